"""Browser fixtures: the built site served on loopback under a sub-path, and Debian's Chromium via Playwright.

Never downloads a browser: Chromium comes from Debian (``apt-get install chromium``); set
``CHROMIUM`` to use another executable.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path

import pytest

SUBPATH = "/plans/sub/"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
]

# One page of every kind the site has (name → path under the site root): the browser tests (smoke,
# accessibility, layout, keyboard) run on each. 404.html uses root-absolute asset URLs (MkDocs writes
# them from site_url), so open it with goto_page(), which serves those from the site root.
PAGE_TYPES = {
    "home": "",
    "documents": "documents/",
    "document": "documents/minhang-2022-gongzuoyaodian/",
    "original": "documents/minhang-2022-gongzuoyaodian/original/",
    "districts": "districts/",
    "district": "districts/minhang/",
    "themes": "themes/",
    "theme": "themes/xiaofei/",
    "units": "units/",
    "unit": "units/minhang-nongyenongcunwei/",
    "regions": "regions/",
    "region": "regions/baoshanshi/",
    "targets": "targets/",
    "deadlines": "deadlines/",
    "az": "az/",
    "search": "search/?q=闵行",
    "about": "about/",
    "data": "data/",
    "notfound": "404.html",
    # the pages split by year
    "theme-year": "themes/xiaofei/2022/",
    "region-year": "regions/yunnan/2022/",
    "targets-year": "targets/2022/",
    "deadlines-year": "deadlines/2022/",
    # the city's pages, a district's plans for one paired region, two plans side by side
    "city": "city/shanghai/",
    "city-document": "documents/shanghai-2021-zhidaoyijian/",
    "pair": "districts/minhang/yunnan/",
    "compare": "compare/?a=minhang-2022-gongzuoyaodian&b=jingan-2025-gongzuoyaodian",
    # the hand-written pages with wide tables and code
    "editing": "editing/",
    "transcription": "transcription/",
    "search-notes": "search-notes/",
    "performance": "performance/",
    # the generated list of readers' words for the search; a search opened from a link with a filter (the
    # filters open, their counts, the clear button, more results)
    "search-words": "search-words/",
    "search-filtered": "search/?q=乡村振兴&区=闵行区",
}


def goto_page(page, site_url: str, path: str):
    """Open ``path`` of the served site and wait until it has loaded (and shows its results, on the search page)."""
    if path == "404.html":
        origin = site_url[: site_url.index(SUBPATH)]
        page.route(
            lambda url: url.startswith(origin + "/") and not url.startswith(site_url),
            lambda route: route.continue_(url=site_url + route.request.url[len(origin) + 1 :]),
        )
    response = page.goto(site_url + path)  # waits for the load event: every script and style has run
    if path.startswith("search/?q="):
        page.wait_for_selector("#ps-search-results li", timeout=10_000)
    if path.startswith("compare/?"):
        page.wait_for_selector("#ps-compare-result h2", timeout=10_000)
    return response


def chromium_path() -> str | None:
    """The Chromium executable to drive, or None when it is not installed."""
    return (
        os.environ.get("CHROMIUM")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
        or shutil.which("google-chrome")
    )


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves ``directory`` under SUBPATH only; anything else is 404 (so root-absolute links break visibly)."""

    def translate_path(self, path: str) -> str:
        clean = path.split("?", 1)[0].split("#", 1)[0]
        if not clean.startswith(SUBPATH):
            return str(Path(self.directory) / "__outside_subpath__")
        return super().translate_path("/" + clean[len(SUBPATH) :])

    def log_message(self, *args) -> None:  # keep test output clean
        pass


def serve(directory: Path) -> tuple[str, http.server.ThreadingHTTPServer]:
    """Serve ``directory`` on 127.0.0.1 (a free port) under SUBPATH; return the base URL and the server."""
    handler = functools.partial(_Handler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}{SUBPATH}", server


@pytest.fixture(scope="session")
def site_url(built_site: Path):
    """Base URL of the built site, served under a sub-path."""
    url, server = serve(built_site)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    """A headless Debian Chromium driven by Playwright."""
    exe = chromium_path()
    if exe is None:
        pytest.fail("Chromium is not installed: run bash .ci/setup --browser (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        yield b
        b.close()
