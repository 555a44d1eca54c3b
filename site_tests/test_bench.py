"""The benchmark's own helpers (tools.bench): which pages it measures, and that it measures them. The figures
themselves come from ``python -m tools.bench`` (content/performance.md), never from a timed test."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from tools.bench import heaviest_pages, same_pages


def test_heaviest_pages_takes_the_largest_page_of_each_kind(tmp_path: Path) -> None:
    sizes = {
        "index.html": 5,
        "az/index.html": 50,
        "units/index.html": 30,
        "units/a/index.html": 10,
        "units/b/index.html": 20,
        "themes/x/2021/index.html": 7,
        "themes/x/2022/index.html": 9,
        "documents/d/original/index.html": 8,
        "search/index.html": 99,
        "assets/x/index.html": 99,
    }
    for rel, size in sizes.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x" * size)
    assert heaviest_pages(tmp_path) == [
        "az/index.html",
        "units/index.html",
        "units/b/index.html",
        "themes/x/2022/index.html",
        "documents/d/original/index.html",
        "index.html",
    ]


def test_same_pages_compares_only_pages_present_at_both_sizes() -> None:
    small = {
        "units/a/index.html": 100,
        "units/b/index.html": 200,
        "documents/d/index.html": 50,
        "themes/x/2021/index.html": 10,
    }
    big = {
        "units/a/index.html": 110,
        "units/b/index.html": 300,
        "documents/d/index.html": 50,
        "themes/x/2021/index.html": 10,
        "documents/e/index.html": 9999,
        "units/c/index.html": 1,
    }
    got = same_pages(small, big)
    assert got["pages"] == 4
    assert got["median_growth"] == 1.05  # of 1.0, 1.0, 1.1, 1.5; the pages only in big do not count
    assert got["by_kind"]["units"] == {"pages": 2, "median_growth": 1.3, "max_growth": 1.5}
    assert got["by_kind"]["documents"]["median_growth"] == 1.0
    assert got["by_kind"]["themes/年度"]["pages"] == 1
    assert same_pages({}, big) == {"pages": 0, "median_growth": None, "by_kind": {}}


@pytest.mark.browser
def test_page_show_times_loads_each_page(built_site: Path) -> None:
    # in a process of its own: the benchmark starts Playwright itself, and the tests' browser is running here
    code = (
        "import json, sys; from pathlib import Path; from tools.bench import page_show_times; "
        "print(json.dumps(page_show_times(Path(sys.argv[1]), ['az/index.html', 'units/index.html'], runs=1)))"
    )
    run = subprocess.run(
        [sys.executable, "-c", code, str(built_site)],
        capture_output=True,
        text=True,
        timeout=300,
        env=os.environ | {"PYTHONPATH": f"{ROOT / 'hooks'}:{ROOT}"},
        cwd=ROOT,
    )
    assert run.returncode == 0, run.stderr
    got = json.loads(run.stdout)
    assert [p["page"] for p in got["pages"]] == ["az/index.html", "units/index.html"]
    assert all(p["load_ms"] > 0 and p["elements"] > 200 and p["kb"] > 10 for p in got["pages"])
    assert got["slowest"] in got["pages"] and got["cpu_slowdown"] == 4
