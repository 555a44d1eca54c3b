"""The benchmark's own helpers (plansite.bench): which pages it measures, and that it measures them. The figures
themselves come from ``python -m plansite.bench`` (content/performance.md), never from a timed test."""

from __future__ import annotations

from pathlib import Path

import pytest

from plansite.bench import heaviest_pages, page_show_times


def test_heaviest_pages_takes_the_largest_page_of_each_kind(tmp_path: Path) -> None:
    sizes = {"index.html": 5, "az/index.html": 50, "units/index.html": 30, "units/a/index.html": 10,
             "units/b/index.html": 20, "themes/x/2021/index.html": 7, "themes/x/2022/index.html": 9,
             "documents/d/original/index.html": 8, "search/index.html": 99, "assets/x/index.html": 99}
    for rel, size in sizes.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x" * size)
    assert heaviest_pages(tmp_path) == ["az/index.html", "units/index.html", "units/b/index.html",
                                        "themes/x/2022/index.html", "documents/d/original/index.html", "index.html"]


@pytest.mark.browser
def test_page_show_times_loads_each_page(built_site: Path) -> None:
    got = page_show_times(built_site, ["az/index.html", "units/index.html"], runs=1)
    assert [p["page"] for p in got["pages"]] == ["az/index.html", "units/index.html"]
    assert all(p["load_ms"] > 0 and p["elements"] > 200 and p["kb"] > 10 for p in got["pages"])
    assert got["slowest"] in got["pages"] and got["cpu_slowdown"] == 4
