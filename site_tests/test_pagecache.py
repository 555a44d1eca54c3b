"""``mkdocs serve``'s page cache (plansite.pagecache): after an edit, a rebuild that reuses the HTML of the
unchanged pages writes the same site, byte for byte, as a fresh ``mkdocs build`` of the edited data."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, build_site, make_project

# Builds like ``mkdocs serve`` does, in one process: on_startup("serve"), a build, then for every rebuild the
# configuration loaded again (and the hook file with it) and another build. Between the two builds it
# applies the edit given as JSON (file, old text, new text). Strict: a warning (such as a link to an anchor
# the page does not seem to have) fails it. Prints the cache's hits and misses of each build.
_SERVE_LIKE = r"""
import json, logging, sys
from pathlib import Path
from mkdocs.commands.build import build
from mkdocs.config import load_config
from plansite.pagecache import CACHE

logging.basicConfig(level=logging.WARNING)  # MkDocs' warnings (strict: any warning fails the build) to stderr
project, site, edit = Path(sys.argv[1]), sys.argv[2], json.loads(sys.argv[3])
config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=site, strict=True)
config.plugins.on_startup(command="serve", dirty=False)
build(config)
counts = [[CACHE.hits, CACHE.misses]]
path = project / edit["file"]
text = path.read_text(encoding="utf-8")
assert text.count(edit["old"]) == 1
path.write_text(text.replace(edit["old"], edit["new"]), encoding="utf-8")
build(load_config(config_file=str(project / "mkdocs.yml"), site_dir=site, strict=True))
counts.append([CACHE.hits, CACHE.misses])
print(json.dumps(counts))
"""


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def _unit_note_edit(project: Path) -> dict:
    """Give the first unit of a unit file a note (its page changes)."""
    path = sorted((project / "data" / "units").glob("*.yml"))[0]
    m = re.search(r'(?m)^(\s*)- id: "?([a-z0-9-]+)"?\s*$', path.read_text(encoding="utf-8"))
    assert m is not None
    indent = " " * (len(m.group(1)) + 2)
    return {
        "file": path.relative_to(project).as_posix(),
        "old": m.group(0),
        "new": f"{m.group(0)}\n{indent}note: 页面缓存测试的修改",
    }


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The real data built twice as ``mkdocs serve`` would, with an edit in between; and a fresh build of the
    edited project."""
    tmp = tmp_path_factory.mktemp("pagecache")
    project = make_project(tmp, ROOT / "data")
    edit = _unit_note_edit(project)
    env = os.environ | {"NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(project / "hooks")}
    run = subprocess.run(
        [sys.executable, "-c", _SERVE_LIKE, str(project), str(tmp / "served"), json.dumps(edit)],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    fresh = build_site(project, tmp / "fresh")
    assert fresh.returncode == 0, fresh.stdout + fresh.stderr
    return json.loads(run.stdout.strip().splitlines()[-1]), tmp / "served", tmp / "fresh"


def test_rebuild_reuses_unchanged_pages(served) -> None:
    (first_hits, first_misses), (hits, misses) = served[0]
    assert first_hits == 0 and first_misses > 100  # nothing to reuse at first
    assert misses >= 1  # the edited unit's page is converted again…
    assert hits > 100 * misses  # …the rest is reused


def test_rebuild_with_cache_equals_a_fresh_build(served) -> None:
    _, with_cache, fresh = served
    got, want = _files(with_cache), _files(fresh)
    assert sorted(got) == sorted(want)
    differ = [path for path in want if got[path] != want[path]]
    assert differ == []
    assert any("页面缓存测试的修改" in got[p].decode("utf-8") for p in got if p.endswith(".html"))  # the edit is there
