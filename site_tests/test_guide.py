"""The 编辑指南 (content/editing.md) is complete and its commands work as written from a fresh clone.

Every key of the JSON Schemas in data/schema/ is explained in the guide; every command the guide, the template of
``plansite new`` and its next steps show runs: the plansite commands for real in a temporary project (as
``.venv/bin/python -m plansite …`` after ``bash .ci/setup``), the pytest command at least to the collection of its
tests with its options, and the .ci scripts exist and parse. No command is shown without ``.venv/bin/``: the system's
python has none of the packages.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, make_project
from plansite.errors import RULES
from plansite.scaffold import TEMPLATE

GUIDE = (ROOT / "content" / "editing.md").read_text(encoding="utf-8")
VENV = ".venv/bin/python"
_COMMAND = re.compile(r"\.venv/bin/python -m (?:plansite|pytest)(?: (?:[^\s`#（），。；、“”]+))*|bash \.ci/[a-z]+")


def _schema_keys(node, out: set[str]) -> set[str]:
    if isinstance(node, dict):
        for key, value in node.get("properties", {}).items():
            out.add(key)
            _schema_keys(value, out)
        for value in node.values():
            if isinstance(value, (dict, list)):
                _schema_keys(value, out)
    elif isinstance(node, list):
        for value in node:
            _schema_keys(value, out)
    return out


def test_every_schema_key_is_in_the_guide() -> None:
    keys = set()
    for path in sorted((ROOT / "data" / "schema").glob("*.schema.json")):
        keys |= _schema_keys(json.loads(path.read_text(encoding="utf-8")), set())
    assert len(keys) > 60
    # as `key`, or written as a key in an example (key:, "key":)
    missing = sorted(k for k in keys if f"`{k}`" not in GUIDE and not re.search(rf'(?<![\w"-])"?{k}"?:', GUIDE))
    assert missing == [], f"keys of data/schema/ the guide does not explain: {missing}"


def _new_output(tmp_path: Path) -> str:
    proj = make_project(tmp_path / "new")
    result = _run(f"{VENV} -m plansite new --issuer jingan-hezuojiaoliuban --year 2026", proj)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _shown(tmp_path: Path) -> dict[str, set[str]]:
    """Every command shown to an editor, by where it is shown."""
    return {
        "guide": set(_COMMAND.findall(GUIDE)),
        "template": set(_COMMAND.findall(TEMPLATE)),
        "new": set(_COMMAND.findall(_new_output(tmp_path))),
        "messages": {c for r in RULES.values() for c in _COMMAND.findall(r.message + r.hint)},
    }


def test_no_command_is_shown_without_the_venv(tmp_path: Path) -> None:
    texts = [
        GUIDE,
        TEMPLATE,
        _new_output(tmp_path),
        (ROOT / "README.md").read_text(encoding="utf-8"),
        (ROOT / "content" / "about.md").read_text(encoding="utf-8"),
    ]
    texts += [r.message + r.hint for r in RULES.values()]
    bare = [m.group() for t in texts for m in re.finditer(r"(?<![/\w.])python3? (?:-m \w+|\S+\.py)", t)]
    assert bare == [], f"commands that fail outside the venv: {bare}"


def _run(command: str, cwd: Path, *extra: str) -> subprocess.CompletedProcess:
    argv = shlex.split(command)
    if argv[0] == VENV:
        argv[0] = sys.executable  # this test runs in that venv (or in CI's, made by .ci/setup the same way)
    return subprocess.run(
        [*argv, *extra],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        env=os.environ | {"PYTHONPATH": str(ROOT / "hooks"), "GITHUB_ACTIONS": ""},
    )


def test_every_shown_command_runs(tmp_path: Path) -> None:
    shown = _shown(tmp_path)
    commands = set().union(*shown.values())
    assert shown["guide"] >= {
        f"{VENV} -m plansite validate",
        "bash .ci/serve",
        "bash .ci/test",
        "bash .ci/setup",
        f"{VENV} -m pytest site_tests/test_urls.py --update-goldens",
    }
    assert any(c.startswith(f"{VENV} -m plansite new ") for c in shown["guide"])
    assert any(c.startswith(f"{VENV} -m plansite slug ") for c in shown["guide"])
    assert shown["new"] >= {
        f"{VENV} -m plansite validate",
        "bash .ci/serve",
        f"{VENV} -m pytest site_tests/test_urls.py --update-goldens",
    }
    ran = []
    for command in sorted(commands):
        argv = shlex.split(command)
        if argv[0] == "bash":  # the scripts install software: they exist and parse
            script = ROOT / argv[1]
            assert script.is_file(), command
            assert subprocess.run(["bash", "-n", str(script)]).returncode == 0, command
            continue
        if argv[2] == "pytest":  # it builds the site: its tests are collected with its options
            result = _run(command, ROOT, "--collect-only", "-q", "-p", "no:cacheprovider")
            assert result.returncode == 0, command + "\n" + result.stdout + result.stderr
            continue
        proj = make_project(tmp_path / f"p{len(ran)}")  # a fresh project each, as a fresh clone has
        result = _run(command, proj)
        assert result.returncode == 0, command + "\n" + result.stdout + result.stderr
        assert "Traceback" not in result.stderr
        ran.append(command)
    assert {c.split()[3] for c in ran} >= {"validate", "new", "slug"}


@pytest.mark.parametrize("sub", ["validate", "render", "new", "slug", "schema"])
def test_every_subcommand_has_help(sub: str) -> None:
    result = _run(f"{VENV} -m plansite {sub} --help", ROOT)
    assert result.returncode == 0 and "usage: .venv/bin/python -m plansite" in result.stdout
