"""The built site in a real browser: every page type loads from a sub-path with no third-party request,
no failed request, no script error and nothing refused by its Content-Security-Policy (the search page runs
a search, so its index files are fetched and unzipped under the policy too)."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from browser import PAGE_TYPES, goto_page

# Reports every Content-Security-Policy violation (set before any of the page's own scripts run).
_CSP_LISTENER = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e =>
  window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + (e.sample || '')));
"""


@pytest.mark.browser
@pytest.mark.parametrize("name", PAGE_TYPES)
def test_page_loads_without_leaving_the_site(browser, site_url: str, name: str) -> None:
    path = PAGE_TYPES[name]
    origin = urlparse(site_url).netloc
    page = browser.new_page()
    page.add_init_script(_CSP_LISTENER)
    third_party, outside, failed, errors = [], [], [], []
    page.on(
        "request",
        lambda r: (
            None
            if r.url.startswith("data:")
            else third_party.append(r.url)
            if urlparse(r.url).netloc != origin
            else outside.append(r.url)
            if not r.url.startswith(site_url)
            else None
        ),
    )
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    response = goto_page(page, site_url, path)
    page.wait_for_load_state("networkidle")
    assert response is not None and response.status == 200
    assert page.locator("html").get_attribute("lang") == "zh"
    assert third_party == []
    if path != "404.html":  # 404.html is served at any address, so MkDocs writes it with root-absolute URLs
        assert outside == []
    assert failed == []
    assert errors == []
    assert page.evaluate("window.__csp") == []
    page.close()


@pytest.mark.browser
def test_document_prints_as_a_task_table(browser, site_url: str) -> None:
    """Printed, a document page shows its title, facts and the 工作任务一览 table, not the long text above it."""
    page = browser.new_page()
    goto_page(page, site_url, PAGE_TYPES["document"])
    point = page.locator(".ps-facts").first
    table = page.locator(".ps-print-only table")
    assert point.is_visible() and not table.is_visible()
    page.emulate_media(media="print")
    assert table.is_visible() and table.locator("tbody tr").count() > 3
    assert not point.is_visible()
    assert not page.locator(".ps-screen-start ~ h2").first.is_visible()
    assert page.locator("h1").first.is_visible()
    assert page.locator("article table").first.is_visible()  # the document's facts above the text
    assert page.locator(".ps-print-footer").is_visible()
    page.close()


# A page under a section: its tab (as the navigation names it) and its breadcrumb (from the home page down).
WAYS = {
    "unit": ("单位", ["首页", "单位", "闵行区"]),
    "document": ("文件", ["首页", "文件"]),
    "city-document": ("文件", ["首页", "文件"]),
    "theme-year": ("主题", ["首页", "主题", "消费协作"]),
    "pair": ("市级和各区", ["首页", "市级和各区", "闵行区"]),
    "city": ("市级和各区", ["首页", "市级和各区"]),
    "region": ("对口地区", ["首页", "对口地区", "云南省"]),
    "compare": ("文件", ["首页", "文件"]),
}


@pytest.mark.browser
@pytest.mark.parametrize("name", WAYS)
def test_a_deeper_page_says_where_it_is(browser, site_url: str, name: str) -> None:
    """At desktop width a page under a section has its section's tab highlighted (and only that one) and a
    breadcrumb whose links lead, one level at a time, back to the home page; the last crumb is the page itself."""
    tab, crumbs = WAYS[name]
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    goto_page(page, site_url, PAGE_TYPES[name])
    active = page.locator(".md-tabs__item--active")
    assert active.count() == 1 and active.inner_text().strip() == tab and active.is_visible()
    nav = page.locator("nav.ps-crumbs")
    assert nav.is_visible() and nav.get_attribute("aria-label") == "当前位置"
    links = nav.locator("a")
    assert [links.nth(i).inner_text() for i in range(links.count())] == crumbs
    current = nav.locator("[aria-current=page]")
    title = page.locator("h1").first.evaluate(  # without its permalink (¶)
        "h => [...h.childNodes].filter(n => !n.classList?.contains('headerlink')).map(n => n.textContent).join('')"
    )
    assert current.count() == 1 and current.inner_text() == title.strip()
    hrefs = [links.nth(i).evaluate("a => a.href") for i in range(links.count())]
    assert hrefs[0] == site_url
    for href in hrefs:
        assert page.request.get(href).status == 200, href
    page.close()


@pytest.mark.browser
def test_compare_two_plans_chosen_on_the_page(browser, site_url: str) -> None:
    """The compare page lists every document; choosing two shows their points theme by theme, side by side, puts
    the choice in the address (so the comparison can be shared) and the browser's Back returns to the former."""
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    goto_page(page, site_url, "compare/")
    page.wait_for_selector("#ps-compare-a optgroup option", state="attached")
    options = page.locator("#ps-compare-a option").evaluate_all("os => os.map(o => o.value).filter(Boolean)")
    assert "shanghai-2021-zhidaoyijian" in options and "minhang-2022-gongzuoyaodian" in options and len(options) >= 5
    page.select_option("#ps-compare-a", "minhang-2022-gongzuoyaodian")
    page.select_option("#ps-compare-b", "songjiang-2021-shishiyijian")
    page.click("#ps-compare-form button[type=submit]")
    page.wait_for_selector("#ps-compare-result h2")
    assert "a=minhang-2022-gongzuoyaodian" in page.url and "b=songjiang-2021-shishiyijian" in page.url
    cols = page.locator("#ps-compare-result .ps-compare-cols").first.locator(".ps-compare-col")
    assert cols.count() == 2
    labels = [cols.nth(i).locator(".ps-compare-label").inner_text() for i in range(2)]
    assert labels[0].startswith("闵行区") and labels[1].startswith("松江区"), labels
    first = page.locator("#ps-compare-result .ps-compare-col a").first
    href = first.evaluate("a => a.href")
    assert "/documents/" in href and "#" in href and page.request.get(href).status == 200
    status = page.locator("#ps-compare-status").inner_text()
    assert status == f"两份文件共涉及 {page.locator('#ps-compare-result h2').count()} 个主题。"
    page.select_option("#ps-compare-b", "jingan-2025-gongzuoyaodian")
    page.click("#ps-compare-form button[type=submit]")
    page.wait_for_function("location.search.includes('jingan')")
    page.go_back()
    page.wait_for_function("document.getElementById('ps-compare-b').value === 'songjiang-2021-shishiyijian'")
    page.close()
