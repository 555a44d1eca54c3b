"""Shared fixtures: the repository root, a small frozen fixture project, and a builder of temporary projects."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))
sys.path.insert(0, str(ROOT))  # tools/ (the benchmark and its synthetic data)

FIXTURE_DATA = Path(__file__).resolve().parent / "fixtures" / "data"


def pytest_addoption(parser):
    parser.addoption("--update-goldens", action="store_true", help="rewrite the golden files from the current output")


def pytest_collection_modifyitems(config, items):
    """Mark what a test needs, from the fixtures it uses: ``build`` (a real mkdocs build of the site) and
    ``browser`` (Chromium), so that ``pytest -m "not build and not browser"`` runs the library's tests alone."""
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if names & {"built_site", "site_url", "hostile_site"}:
            item.add_marker(pytest.mark.build)
        if "browser" in names:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def update_goldens(request) -> bool:
    return request.config.getoption("--update-goldens")


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


def make_project(tmp: Path, data: Path = FIXTURE_DATA) -> Path:
    """A temporary project: the repository's templates, content, overrides, hooks and config, with ``data``."""
    proj = tmp / "project"
    proj.mkdir(parents=True, exist_ok=True)
    for name in ("templates", "content", "overrides", "hooks"):
        shutil.copytree(ROOT / name, proj / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", proj / "mkdocs.yml")
    shutil.copytree(data, proj / "data")
    return proj


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh copy of the fixture project (frozen data of two documents)."""
    return make_project(tmp_path)


def build_site(project: Path, site_dir: Path, env: dict | None = None) -> subprocess.CompletedProcess[str]:
    """Run a real ``mkdocs build --strict`` of ``project`` into ``site_dir``."""
    import os
    import subprocess

    full_env = os.environ | {"NO_MKDOCS_2_WARNING": "1"} | (env or {})
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "-q",
            "-f",
            str(project / "mkdocs.yml"),
            "-d",
            str(site_dir),
        ],
        cwd=project,
        capture_output=True,
        text=True,
        env=full_env,
        timeout=600,
    )


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The repository's real site, built once per test session with ``--strict``."""
    site = tmp_path_factory.mktemp("site") / "site"
    result = build_site(ROOT, site)
    assert result.returncode == 0, result.stdout + result.stderr
    return site


from browser import browser, site_url  # noqa: E402,F401  (shared browser fixtures)
