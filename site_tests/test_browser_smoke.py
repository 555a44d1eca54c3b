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
    page.on("request", lambda r: None if r.url.startswith("data:") else
            third_party.append(r.url) if urlparse(r.url).netloc != origin else
            outside.append(r.url) if not r.url.startswith(site_url) else None)
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
