"""The built site in a real browser: every page type loads from a sub-path with no third-party request."""

from __future__ import annotations

import pytest

PAGE_TYPES = ["", "documents/", "documents/minhang-2022-gongzuoyaodian/",
              "documents/minhang-2022-gongzuoyaodian/original/", "districts/minhang/", "themes/xiaofei/",
              "units/minhang-hezuojiaoliuban/", "regions/baoshanshi/", "targets/", "deadlines/", "az/", "search/"]


@pytest.mark.browser
@pytest.mark.parametrize("path", PAGE_TYPES)
def test_page_loads_without_leaving_the_site(browser, site_url: str, path: str) -> None:
    page = browser.new_page()
    outside, failed, errors = [], [], []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(site_url) and
            not r.url.startswith("data:") else None)
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    response = page.goto(site_url + path)
    page.wait_for_load_state("networkidle")
    assert response is not None and response.status == 200
    assert page.locator("html").get_attribute("lang") == "zh"
    assert outside == []
    assert failed == []
    assert errors == []
    page.close()
