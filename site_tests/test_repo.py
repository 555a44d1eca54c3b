"""The repository's promises: README commands, CI wiring, editor docs for every error code, yamllint."""

from __future__ import annotations

import re
import subprocess
import sys

import yaml

from conftest import ROOT
from plansite.errors import RULES


def test_readme_gives_the_two_commands_and_ci_runs_the_test_one() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "bash .ci/serve" in readme and "bash .ci/test" in readme
    run = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^exec bash \.ci/test\s*$", run, re.M)


def test_every_error_code_is_documented_for_editors() -> None:
    guide = (ROOT / "content" / "editing.md").read_text(encoding="utf-8")
    rows = set(re.findall(r"^\| (E\d{3}) \|", guide, re.M))
    assert rows == set(RULES), f"undocumented: {sorted(set(RULES) - rows)}; unknown: {sorted(rows - set(RULES))}"


def test_workflow_deploys_safely() -> None:
    text = (ROOT / ".github" / "workflows" / "site.yml").read_text(encoding="utf-8")
    wf = yaml.safe_load(text)
    triggers = wf[True] if True in wf else wf["on"]  # PyYAML reads the key `on` as True
    assert "pull_request" in triggers and "pull_request_target" not in text
    assert wf["permissions"] == {"contents": "read"}
    deploy = wf["jobs"]["deploy"]
    assert deploy["needs"] == "check"
    assert deploy["concurrency"]["cancel-in-progress"] is False
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    steps = " ".join(str(s.get("uses", "")) + str(s.get("run", "")) for s in wf["jobs"]["check"]["steps"])
    for needed in ("plansite validate --format github", "mkdocs build --strict", "bash .ci/test",
                   "upload-pages-artifact", "upload-artifact"):
        assert needed in steps
    assert "deploy-pages" in str(deploy["steps"])


def test_yamllint_passes_on_the_data() -> None:
    result = subprocess.run([sys.executable, "-m", "yamllint", "-c", str(ROOT / ".yamllint.yaml"), "data"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_pinned_toolchain() -> None:
    pins = dict(line.split("==") for line in (ROOT / ".ci" / "constraints.txt").read_text().splitlines()
                if "==" in line and not line.startswith("#"))
    assert pins["mkdocs"].startswith("1.")
    for name in ("mkdocs-material", "Jinja2", "PyYAML", "Markdown", "pypinyin", "pymdown-extensions"):
        assert name in pins, f"{name} is not pinned"
    setup = (ROOT / ".ci" / "setup").read_text(encoding="utf-8")
    assert "-c .ci/constraints.txt" in setup
