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
    titles = dict(re.findall(r"^\| (E\d{3}) \| ([^|]+?) \|", guide, re.M))
    assert {c: t for c, t in titles.items() if t != RULES[c].title} == {}  # the table says what the rule is called
    codes = re.findall(r"^\| (E\d{3}) \|", guide, re.M)
    assert codes == sorted(codes), "the guide's table of codes is in the order of the codes"


def test_code_is_linted_and_formatted() -> None:
    """ruff, configured in pyproject.toml: its lint rules pass and the code is as its formatter writes it
    (fix with: .venv/bin/ruff check --fix . && .venv/bin/ruff format .)."""
    for args in (["check", "--output-format", "concise", "."], ["format", "--check", "."]):
        result = subprocess.run([sys.executable, "-m", "ruff", *args], cwd=ROOT, capture_output=True, text=True)
        assert result.returncode == 0, f"ruff {args[0]}:\n{result.stdout}{result.stderr}"


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
    for needed in (
        "plansite validate --format github",
        "mkdocs build --strict",
        "bash .ci/test",
        "upload-pages-artifact",
        "upload-artifact",
    ):
        assert needed in steps
    assert "deploy-pages" in str(deploy["steps"])
    assert wf["jobs"]["check"]["permissions"] == {"contents": "read", "pages": "read"}  # Pages on a private repo


def test_workflow_pins_actions_and_keeps_no_credentials() -> None:
    text = (ROOT / ".github" / "workflows" / "site.yml").read_text(encoding="utf-8")
    uses = re.findall(r"(?m)^\s*(?:-\s+)?uses:\s*(\S+)(.*)$", text)
    assert len(uses) >= 7
    for action, comment in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", action), f"{action} is not pinned by commit"
        assert re.fullmatch(r"\s+#\s+v\d+\.\d+\.\d+", comment), f"{action}: the tag in a comment"
    wf = yaml.safe_load(text)
    checkouts = [s for job in wf["jobs"].values() for s in job["steps"] if "checkout" in str(s.get("uses"))]
    assert checkouts and all(s["with"]["persist-credentials"] is False for s in checkouts)


def test_yamllint_passes_on_the_data() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "yamllint", "-c", str(ROOT / ".yamllint.yaml"), "data"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout


def test_pinned_toolchain() -> None:
    pins = {
        name.lower().replace("_", "-"): version.split()[0]
        for name, version in (
            line.split("==")
            for line in (ROOT / ".ci" / "constraints.txt").read_text().splitlines()
            if "==" in line and not line.startswith("#")
        )
    }
    assert pins["mkdocs"].startswith("1.")
    for name in ("mkdocs-material", "jinja2", "pyyaml", "markdown", "pypinyin", "pymdown-extensions"):
        assert name in pins, f"{name} is not pinned"
    setup = (ROOT / ".ci" / "setup").read_text(encoding="utf-8")
    assert "--require-hashes -r .ci/constraints.txt" in setup and "--no-deps -e ." in setup
    constraints = (ROOT / ".ci" / "constraints.txt").read_text(encoding="utf-8")
    packages = re.findall(
        r"(?m)^([A-Za-z0-9_.-]+)==\S+ \\\n((?:\s+--hash=sha256:[0-9a-f]{64}(?: \\)?\n)+)", constraints
    )
    assert len(packages) == len(pins) and all(hashes for _, hashes in packages)  # every pin with its hashes
