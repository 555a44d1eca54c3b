"""Search evaluation in a real browser: the query set, typed into a site's own search box, scored.

Used by ``test_search.py`` and, as a command, to compare search engines on any built site::

    .venv/bin/python site_tests/search_eval.py SITE_DIR [--engine site|material] [--json OUT]
    .venv/bin/python site_tests/search_eval.py SITE_DIR --first-query 泽普 [--engine ...]

The site is served on 127.0.0.1 under a sub-path (``browser.serve``) and driven with Debian's Chromium.
``site`` drives the site's own search page (``search/``, ``#ps-search-input``); ``material`` drives
Material for MkDocs' built-in (lunr) search in the header, for a site built with ``plugins: [search]``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

import yaml

HERE = Path(__file__).resolve().parent
QUERIES = HERE / "search_queries.yml"
K = 10


@dataclass(frozen=True)
class Query:
    q: str
    kind: str
    expect: tuple[str, ...]
    suggest: str = ""  # for a query that finds nothing: a search the page must offer instead


def load_queries(path: Path = QUERIES) -> list[Query]:
    """The query set: each query with the site-relative URLs it must find (or the search it must suggest)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        Query(str(e["q"]), e.get("kind", ""), tuple(e.get("expect", ())), str(e.get("suggest", "")))
        for e in data["queries"]
    ]


def relative(href: str, site_url: str) -> str:
    """A result link resolved against the page and made relative to the site root (``documents/x/#y``)."""
    href = urljoin(site_url, href)
    if href.startswith(site_url):
        href = href[len(site_url) :]
    return href.replace("index.html", "")


@dataclass
class QueryResult:
    q: str
    kind: str
    expect: tuple[str, ...]
    got: list[str]
    ms: float
    found: list[str] = field(default_factory=list)
    recall: float = 0.0
    rr: float = 0.0
    suggest: str = ""
    suggested: list[str] = field(default_factory=list)


def score(query: Query, got: list[str], ms: float = 0.0, suggested: list[str] | None = None) -> QueryResult:
    """recall@K and reciprocal rank of one query's results (a query that expects none: recall 1 when it found
    none), and the searches the page suggested."""
    top = got[:K]
    found = [u for u in query.expect if u in top]
    ranks = [top.index(u) + 1 for u in found]
    if not query.expect:
        return QueryResult(
            query.q,
            query.kind,
            query.expect,
            top,
            ms,
            [],
            float(not got),
            float(not got),
            query.suggest,
            suggested or [],
        )
    return QueryResult(
        query.q,
        query.kind,
        query.expect,
        top,
        ms,
        found,
        len(found) / len(query.expect),
        1.0 / min(ranks) if ranks else 0.0,
        query.suggest,
        suggested or [],
    )


def summary(results: list[QueryResult]) -> dict:
    """Mean recall@K and MRR (over the queries that expect results), overall and by kind; how many of the
    queries with a `suggest` were offered it; plus every query's details."""

    def agg(rs: list[QueryResult]) -> dict:
        rs = [r for r in rs if r.expect]
        n = len(rs) or 1
        return {
            "queries": len(rs),
            "recall_at_10": round(sum(r.recall for r in rs) / n, 4),
            "mrr": round(sum(r.rr for r in rs) / n, 4),
        }

    kinds = sorted({r.kind for r in results})
    wanted = [r for r in results if r.suggest]
    return {
        **agg(results),
        "by_kind": {k: agg([r for r in results if r.kind == k]) for k in kinds},
        "suggestions": {"queries": len(wanted), "offered": sum(r.suggest in r.suggested for r in wanted)},
        "misses": [
            {"q": r.q, "missing": [u for u in r.expect if u not in r.found], "top": r.got}
            for r in results
            if r.expect and r.recall < 1.0
        ]
        + [
            {"q": r.q, "missing": [f"suggest {r.suggest}"], "top": r.got, "suggested": r.suggested}
            for r in wanted
            if r.suggest not in r.suggested or (not r.expect and r.got)
        ],
        "details": [r.__dict__ for r in results],
    }


def wait_for_results(page, query: str) -> None:
    """Wait until the search page shows its results for ``query``."""
    page.wait_for_function(
        "q => document.getElementById('ps-search-results').getAttribute('data-query') === q",
        arg=query,
        timeout=30_000,
    )


class SiteDriver:
    """The site's own search page: types into #ps-search-input and reads #ps-search-results links."""

    name = "site"

    def __init__(self, page, site_url: str) -> None:
        self.page, self.site_url = page, site_url

    def open(self, query: str | None = None) -> None:
        url = self.site_url + "search/" + (f"?q={query}" if query else "")
        self.page.goto(url)
        # data-ready: this site's search page; a visible filter box: the page before this work (for comparisons).
        self.page.wait_for_selector(
            "#ps-search[data-ready], #ps-search-filters:not([hidden])", state="attached", timeout=30_000
        )

    def search(self, query: str) -> tuple[list[str], float]:
        page = self.page
        box = page.locator("#ps-search-input")
        box.fill("")
        page.wait_for_function("() => !document.getElementById('ps-search-results').getAttribute('data-query')")
        t0 = time.perf_counter()
        box.press_sequentially(query)
        wait_for_results(page, query)
        ms = (time.perf_counter() - t0) * 1000
        hrefs = page.eval_on_selector_all("#ps-search-results > li h2 a", "els => els.map(a => a.href)")
        return [relative(h, self.site_url) for h in hrefs], ms

    def suggested(self, query: str) -> list[str]:
        """The searches the page offers for the query it shows (once it has worked them out)."""
        self.page.wait_for_function(
            "q => document.getElementById('ps-search-suggest').getAttribute('data-query') === q",
            arg=query,
            timeout=30_000,
        )
        return self.page.eval_on_selector_all("#ps-search-suggest a", "els => els.map(a => a.textContent)")


class MaterialDriver:
    """Material for MkDocs' built-in lunr search: types into the header search box."""

    name = "material"

    def __init__(self, page, site_url: str) -> None:
        self.page, self.site_url = page, site_url

    def open(self, query: str | None = None) -> None:
        self.page.goto(self.site_url)
        self.page.wait_for_load_state("networkidle")

    def search(self, query: str) -> tuple[list[str], float]:
        page = self.page
        box = page.locator("input.md-search__input")
        box.click()
        box.fill("")
        page.wait_for_timeout(50)
        t0 = time.perf_counter()
        box.press_sequentially(query)
        # Material searches on key events; Chinese typed through an input method ends with one, while
        # Playwright inserts Han characters without any: press End as the input method's commit would.
        box.press("End")
        # Material updates the result list from a web worker; wait until it is stable for 300 ms.
        page.wait_for_function(
            """() => { const m = document.querySelector('.md-search-result__meta');
                       const s = (m ? m.textContent : '') + '|' + document.querySelectorAll('.md-search-result__item').length;
                       const now = performance.now();
                       if (window.__lastS !== s) { window.__lastS = s; window.__lastT = now; return false; }
                       return now - window.__lastT > 300 && m && !/输入|Type/.test(m.textContent); }""",
            polling=50,
            timeout=30_000,
        )
        ms = (time.perf_counter() - t0) * 1000 - 300
        # Top-level results: each item's first link (an article), then its sections; Material lists
        # sections of one page under the page. Count every link in order, as a reader sees them.
        hrefs = page.eval_on_selector_all(
            ".md-search-result__list a.md-search-result__link", "els => els.map(a => a.href)"
        )
        return [relative(h, self.site_url) for h in hrefs], ms

    def suggested(self, query: str) -> list[str]:
        return []


DRIVERS = {"site": SiteDriver, "material": MaterialDriver}


def run_queries(page, site_url: str, queries: list[Query], engine: str = "site") -> list[QueryResult]:
    """Type every query into the site's search box on ``page``; score the first K results of each."""
    driver = DRIVERS[engine](page, site_url)
    driver.open()
    out = []
    for query in queries:
        got, ms = driver.search(query.q)
        out.append(score(query, got, ms, driver.suggested(query.q) if query.suggest else []))
    return out


def first_query(browser, site_url: str, query: str, engine: str = "site", server=None) -> dict:
    """A cold first query: a fresh browser context loads the search page, then the query is typed.

    Returns the time from the first keystroke to the results (ms, including the page's 150 ms
    debounce), the time from navigation until the search is ready, and the bytes: ``bytes_*`` as the
    page's network events report them (encoded, with headers; they miss requests made from a web
    worker), ``served_*`` as ``server`` (``serve_counting``) sent them (response bodies, every request).
    """
    context = browser.new_context()
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    urls: dict[str, str] = {}
    sizes: dict[str, int] = {}
    cdp.on("Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]))
    cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
    try:
        driver = DRIVERS[engine](page, site_url)
        if server is not None:
            server.sent.clear()
        t_nav = time.perf_counter()
        driver.open()
        ready_ms = (time.perf_counter() - t_nav) * 1000
        loaded_bytes = sum(sizes.values())
        got, ms = driver.search(query)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(200)
        total = sum(sizes.values())
        served = list(server.sent) if server is not None else []
        index = sum(
            n for rid, n in sizes.items() if "/searchindex/" in urls.get(rid, "") or "search_index" in urls.get(rid, "")
        )
        return {
            "engine": engine,
            "query": query,
            "results": len(got),
            "first_result": got[0] if got else None,
            "ms_keystroke_to_results": round(ms),
            "ms_page_ready": round(ready_ms),
            "bytes_total": total,
            "bytes_page_load": loaded_bytes,
            "bytes_search_files": index,
            "requests": len(urls),
            "served_bytes": sum(n for _, n in served) if server is not None else None,
            "served_requests": len(served) if server is not None else None,
            "served_search_bytes": sum(n for p, n in served if "/searchindex/" in p or "search_index" in p)
            if server is not None
            else None,
            "files": sorted(
                ((urls.get(rid, "?").replace(site_url, ""), n) for rid, n in sizes.items()), key=lambda x: -x[1]
            ),
        }
    finally:
        context.close()


def first_link(browser, site_url: str, params: str, server=None) -> dict:
    """A cold first search opened from a link (a shared or bookmarked search/?q=…&区=…): a fresh browser context
    opens it; the time from navigation to the results shown, and the bytes sent (``served_*``, counted by
    ``server`` as in :func:`first_query`)."""
    from urllib.parse import parse_qs

    query = parse_qs(params)["q"][0]
    context = browser.new_context()
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    try:
        if server is not None:
            server.sent.clear()
        t0 = time.perf_counter()
        page.goto(site_url + "search/?" + params)
        wait_for_results(page, query)
        ms = (time.perf_counter() - t0) * 1000
        got = page.eval_on_selector_all("#ps-search-results > li h2 a", "els => els.map(a => a.href)")
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(200)
        served = list(server.sent) if server is not None else []
        return {
            "engine": "site",
            "query": "?" + params,
            "results": len(got),
            "first_result": relative(got[0], site_url) if got else None,
            "ms_keystroke_to_results": round(ms),
            "ms_page_ready": None,
            "served_bytes": sum(n for _, n in served) if server is not None else None,
            "served_requests": len(served) if server is not None else None,
            "served_search_bytes": sum(n for p, n in served if "/searchindex/" in p) if server is not None else None,
        }
    finally:
        context.close()


COMPRESSIBLE = (".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", "/")


def serve_counting(directory: Path, gzip_text: bool = True):
    """Like ``browser.serve``, and counts the bytes it sends (``server.sent``: path and body bytes).

    Counting at the server sees every request, also those a page makes from a web worker, which the
    page's own network events do not show. With ``gzip_text`` it gzip-compresses text files, as static
    hosts (GitHub Pages, nginx) do; the search index's ``.json.gz`` files are compressed already and are
    sent as they are.
    """
    import functools
    import gzip
    import http.server
    import io
    import threading

    from browser import SUBPATH, _Handler

    class Handler(_Handler):
        def send_head(self):
            path = self.path.split("?", 1)[0].split("#", 1)[0]
            fs_path = Path(self.translate_path(self.path))
            if fs_path.is_dir():
                fs_path = fs_path / "index.html"
            compress = gzip_text and "gzip" in self.headers.get("Accept-Encoding", "") and path.endswith(COMPRESSIBLE)
            if not fs_path.is_file() or not compress:
                f = super().send_head()
                if f is not None and hasattr(f, "fileno"):
                    self.server.sent.append((path, os.fstat(f.fileno()).st_size))
                return f
            body = gzip.compress(fs_path.read_bytes(), compresslevel=6)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(fs_path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.server.sent.append((path, len(body)))
            return io.BytesIO(body)

    handler = functools.partial(Handler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.sent = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}{SUBPATH}", server


def serve_gzip(directory: Path):
    """``serve_counting`` with gzip for text files."""
    return serve_counting(directory, gzip_text=True)


def main(argv: list[str] | None = None) -> int:
    sys.path.insert(0, str(HERE))
    from playwright.sync_api import sync_playwright

    from browser import CHROMIUM_ARGS, chromium_path, serve

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("site", type=Path, help="a built site folder")
    ap.add_argument("--engine", choices=sorted(DRIVERS), default="site")
    ap.add_argument("--queries", type=Path, default=QUERIES)
    ap.add_argument("--json", type=Path, help="write the report here")
    ap.add_argument("--first-query", metavar="Q", help="measure one cold first query instead (time and bytes)")
    ap.add_argument("--repeat", type=int, default=3, help="cold first-query runs (the median is reported)")
    ap.add_argument("--gzip", action="store_true", help="serve text files gzip-compressed, as static hosts do")
    args = ap.parse_args(argv)

    url, server = (serve_gzip if args.gzip else serve)(args.site)
    try:
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            if args.first_query:
                runs = [first_query(b, url, args.first_query, args.engine) for _ in range(args.repeat)]
                runs.sort(key=lambda r: r["ms_keystroke_to_results"])
                report = {"median": runs[len(runs) // 2], "runs": runs}
                print(json.dumps(report["median"], ensure_ascii=False))
            else:
                page = b.new_page()
                results = run_queries(page, url, load_queries(args.queries), args.engine)
                page.close()
                report = summary(results)
                print(
                    f"{args.engine}: {report['queries']} queries, recall@10 {report['recall_at_10']:.3f}, "
                    f"MRR {report['mrr']:.3f}; suggestions offered {report['suggestions']['offered']}"
                    f"/{report['suggestions']['queries']}"
                )
                for kind, agg in report["by_kind"].items():
                    print(f"  {kind:8} n={agg['queries']:2}  recall@10 {agg['recall_at_10']:.3f}  MRR {agg['mrr']:.3f}")
                for m in report["misses"]:
                    print(f"  miss {m['q']}: {m['missing']}  top3={m['top'][:3]}")
            b.close()
    finally:
        server.shutdown()
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
