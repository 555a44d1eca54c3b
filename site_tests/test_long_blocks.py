"""Long tables and lists (templates/_long.md.j2): every generated table or A–Z group of LONG_ROWS rows or more is
wrapped in <div class="ps-long"> with its number of rows, and nothing shorter is; in the browser such a block
is laid out only when it comes near the screen, yet an address that points into it, printing and the A–Z
filter all show it."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from browser import goto_page
from conftest import FIXTURE_DATA, ROOT, make_project
from plansite.render import LONG_ROWS, render_site
from plansite.validate import validate_project

# A raw HTML table or A–Z list, with the <div> that opens on the same line when there is one.
_BLOCK = re.compile(
    r'^(<div class="([^"]*)"(?: style="(?:--ps-rows: (\d+)(?:; --ps-row: [\d.]+rem)?(?:; --ps-card: [\d.]+rem)?)?(?:; )?'
    r'((?:--ps-l\d+: \'[^\']*\'(?:; )?)*)")?>)?'
    r"(<table>.*?</table>|<ul>.*?</ul>)$",
    re.S | re.M,
)


def _pages(project) -> dict[str, str]:
    ds, report = validate_project(project)
    assert ds is not None, report.format()
    changed = {d.source: dt.date(2025, 7, 1) for d in ds.documents}
    return {p.path: p.markdown for p in render_site(ds, ROOT / "templates", changed)}


@pytest.fixture(scope="module", params=["real", "fixture"])
def pages(request, tmp_path_factory) -> dict[str, str]:
    if request.param == "real":
        return _pages(ROOT)
    return _pages(make_project(tmp_path_factory.mktemp("long"), FIXTURE_DATA))


def test_long_blocks_and_only_they_are_wrapped(pages: dict[str, str]) -> None:
    wrapped = short = 0
    for path, markdown in pages.items():
        for m in _BLOCK.finditer(markdown):
            opening, classes, declared, _labels, block = m.groups()
            rows = block.count("<li>") if block.startswith("<ul>") else block.partition("<tbody>")[2].count("<tr>")
            is_long = "ps-long" in (classes or "").split()
            where = f"{path}: a block of {rows} rows"
            if rows >= LONG_ROWS:
                assert is_long and int(declared) == rows, f"{where} is not marked long with its rows: {opening}"
                assert m.end() < len(markdown) and markdown[m.end() :].startswith("\n</div>\n"), where
                wrapped += 1
            else:
                assert not is_long and declared is None, f"{where} is marked long: {opening}"
                short += 1
    assert wrapped > 5 and short > 5  # both kinds are there to check


def test_a_table_of_records_names_its_columns_as_its_headings_do(pages: dict[str, str]) -> None:
    """A table shown on a phone as cards (ps-stack) declares its column names, in order, exactly as its own
    headings (the cards show them before each cell); tables that stay tables declare none."""
    stacked = 0
    for path, markdown in pages.items():
        for m in _BLOCK.finditer(markdown):
            opening, classes, _, labels, block = m.groups()
            names = re.findall(r"--ps-l(\d+): '([^']*)'", labels or "")
            if "ps-stack" not in (classes or "").split():
                assert names == [], f"{path}: {opening}"
                continue
            head = re.search(r"<thead><tr>(.*?)</tr></thead>", block).group(1)
            headings = [re.sub(r"<[^>]+>", "", h) for h in re.findall(r"<th[^>]*>(.*?)</th>", head)]
            assert [int(i) for i, _ in names] == list(range(1, len(names) + 1)), f"{path}: {opening}"
            assert [n for _, n in names] == headings, f"{path}: {opening}"
            assert len(names) <= 8, f"{path}: assets/site.css names the cells of 8 columns at most"
            stacked += 1
    assert stacked > 10


@pytest.mark.browser
def test_long_block_is_laid_out_when_it_comes_into_view(browser, site_url: str) -> None:
    """Far below the screen a long A–Z group is not laid out; scrolled to, it is; printed, all of them are."""
    page = browser.new_page(viewport={"width": 390, "height": 700})
    goto_page(page, site_url, "az/")
    last = page.locator(".ps-long li").last
    assert page.locator(".ps-long").count() > 3
    shown = "el => el.checkVisibility({contentVisibilityAuto: true})"
    assert last.evaluate(shown) is False
    assert page.locator(".ps-long").last.evaluate("el => el.getBoundingClientRect().height") > 100  # its place is kept
    last.scroll_into_view_if_needed()
    page.wait_for_function(f"() => ({shown})([...document.querySelectorAll('.ps-long li')].pop())")
    page.evaluate("window.scrollTo(0, 0)")
    page.emulate_media(media="print")
    page.wait_for_function(f"() => [...document.querySelectorAll('.ps-long li')].every({shown})", timeout=10_000)
    page.close()


@pytest.mark.browser
def test_address_inside_a_long_table_shows_its_row(browser, site_url: str) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 700})
    goto_page(page, site_url, "documents/minhang-2022-gongzuoyaodian/")
    target = page.locator(".ps-tasktable.ps-long tbody tr").last.locator("span[id]").get_attribute("id")
    assert target
    goto_page(page, site_url, f"documents/minhang-2022-gongzuoyaodian/#{target}")
    row = page.locator(f"[id='{target}']")
    page.wait_for_function(
        "id => { const r = document.getElementById(id).getBoundingClientRect();"
        " return r.top >= 0 && r.bottom <= window.innerHeight; }",
        arg=target,
    )
    assert row.evaluate("el => el.checkVisibility({contentVisibilityAuto: true})")
    page.close()


@pytest.mark.browser
def test_az_filter_lays_out_every_match(browser, site_url: str) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 700})
    goto_page(page, site_url, "az/")
    page.locator("#ps-az-input").press_sequentially("b")
    assert "ps-filtering" in page.evaluate("document.body.className")
    matches = page.locator(".ps-azgroup li:not([hidden])")
    assert matches.count() > LONG_ROWS
    assert matches.evaluate_all("els => els.every(el => el.checkVisibility({contentVisibilityAuto: true}))")
    page.locator("#ps-az-input").fill("")
    page.locator("#ps-az-input").dispatch_event("input")
    assert "ps-filtering" not in page.evaluate("document.body.className")
    page.close()


def test_a_heading_over_figures_breaks_only_where_the_template_says(pages: dict[str, str]) -> None:
    """A right-aligned column (figures) has no minimum width on a phone and its heading does not break inside a
    word (assets/site.css): a heading longer than five characters must say where it may break (<wbr>)."""
    import markdown

    checked = 0
    for path, text in pages.items():
        html = markdown.markdown(text, extensions=["tables", "attr_list"])
        for th in re.findall(r'<th style="text-align: right;?">(.*?)</th>', html):
            checked += 1
            runs = [re.sub(r"<[^>]+>", "", r) for r in th.split("<wbr>")]
            assert all(len(r) <= 5 for r in runs), f"{path}: heading {th!r} needs <wbr> between its words"
    assert checked > 20
