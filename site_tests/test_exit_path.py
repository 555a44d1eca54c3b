"""The exit path (README.md, “不依赖本项目钩子的出路”): ``plansite render --out`` writes the generated part of the
site as plain files, and MkDocs builds them with no project hook at all, strict, every link and anchor intact.
The same files can be handed to any other static-site tool that reads Markdown."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from test_build import _broken, _pages

from conftest import ROOT, make_project


def test_rendered_tree_builds_with_plain_mkdocs(tmp_path: Path) -> None:
    proj = make_project(tmp_path)
    docs = tmp_path / "docs"
    shutil.copytree(proj / "content", docs)
    env = os.environ | {"PYTHONPATH": str(ROOT / "hooks"), "NO_MKDOCS_2_WARNING": "1"}
    run = subprocess.run(
        [sys.executable, "-m", "plansite", "--root", str(proj), "render", "--out", str(docs)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    config = (proj / "mkdocs.yml").read_text(encoding="utf-8")
    config = re.sub(r"(?m)^hooks:\n(?:  - .*\n)+", "", config)
    assert "hooks" not in re.sub(r"(?m)^#.*$", "", config)
    config = config.replace("docs_dir: content", f"docs_dir: {docs}").replace(
        "edit_uri: edit/main/content/", "edit_uri: ''"
    )
    config = config.replace("custom_dir: overrides", f"custom_dir: {proj / 'overrides'}")
    (tmp_path / "plain.yml").write_text(config, encoding="utf-8")
    site = tmp_path / "site"
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(tmp_path / "plain.yml"), "-d", str(site)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    pages = _pages(site)
    assert len(pages) > 50
    broken = _broken(site, pages)
    assert broken == [], broken[:10]
    assert (site / "searchindex" / "meta.json").is_file() and (site / "data" / "plans.json").is_file()
