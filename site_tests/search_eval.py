"""Search evaluation in a real browser: the query set, typed into a site's own search box, scored.

Used by ``test_search.py`` and, as a command, to compare search engines on any built site::

    .venv/bin/python site_tests/search_eval.py SITE_DIR [--engine pagefind|material] [--json OUT]
    .venv/bin/python site_tests/search_eval.py SITE_DIR --first-query 泽普 [--engine ...]

The site is served on 127.0.0.1 under a sub-path (``browser.serve``) and driven with Debian's Chromium.
``pagefind`` drives the site's own search page (``search/``, ``#ps-search-input``); ``material`` drives
Material for MkDocs' built-in (lunr) search in the header, for a site built with ``plugins: [search]``.
"""

from __future__ import annotations

import argparse
import json
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


def load_queries(path: Path = QUERIES) -> list[Query]:
    """The query set: each query with the site-relative URLs it must find."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [Query(str(e["q"]), e.get("kind", ""), tuple(e["expect"])) for e in data["queries"]]


def relative(href: str, site_url: str) -> str:
    """A result link resolved against the page and made relative to the site root (``documents/x/#y``)."""
    href = urljoin(site_url, href)
    if href.startswith(site_url):
        href = href[len(site_url):]
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


def score(query: Query, got: list[str], ms: float = 0.0) -> QueryResult:
    """recall@K and reciprocal rank of one query's results."""
    top = got[:K]
    found = [u for u in query.expect if u in top]
    ranks = [top.index(u) + 1 for u in found]
    return QueryResult(query.q, query.kind, query.expect, top, ms, found,
                       len(found) / len(query.expect), 1.0 / min(ranks) if ranks else 0.0)


def summary(results: list[QueryResult]) -> dict:
    """Mean recall@K and MRR, overall and by kind, plus every query's details."""
    def agg(rs: list[QueryResult]) -> dict:
        n = len(rs) or 1
        return {"queries": len(rs), "recall_at_10": round(sum(r.recall for r in rs) / n, 4),
                "mrr": round(sum(r.rr for r in rs) / n, 4)}

    kinds = sorted({r.kind for r in results})
    return {**agg(results), "by_kind": {k: agg([r for r in results if r.kind == k]) for k in kinds},
            "misses": [{"q": r.q, "missing": [u for u in r.expect if u not in r.found], "top": r.got}
                       for r in results if r.recall < 1.0],
            "details": [r.__dict__ for r in results]}


class PagefindDriver:
    """The site's own search page: types into #ps-search-input and reads #ps-search-results links."""

    name = "pagefind"

    def __init__(self, page, site_url: str) -> None:
        self.page, self.site_url = page, site_url

    def open(self, query: str | None = None) -> None:
        url = self.site_url + "search/" + (f"?q={query}" if query else "")
        self.page.goto(url)
        self.page.wait_for_selector("#ps-search-filters:not([hidden])", timeout=30_000)

    def search(self, query: str) -> tuple[list[str], float]:
        page = self.page
        box = page.locator("#ps-search-input")
        box.fill("")
        page.wait_for_function("!document.getElementById('ps-search-results').getAttribute('data-query')")
        t0 = time.perf_counter()
        box.press_sequentially(query)
        page.wait_for_function("q => document.getElementById('ps-search-results').getAttribute('data-query') === q",
                               arg=query, timeout=30_000)
        ms = (time.perf_counter() - t0) * 1000
        hrefs = page.eval_on_selector_all("#ps-search-results > li h2 a", "els => els.map(a => a.href)")
        return [relative(h, self.site_url) for h in hrefs], ms


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
        page.locator("label.md-search__icon, .md-header__button[for='__search']").first.click()
        box = page.locator("input.md-search__input")
        box.fill("")
        page.wait_for_timeout(50)
        t0 = time.perf_counter()
        box.press_sequentially(query)
        # Material updates the result list from a web worker; wait until it is stable for 300 ms.
        page.wait_for_function(
            """() => { const m = document.querySelector('.md-search-result__meta');
                       const s = (m ? m.textContent : '') + '|' + document.querySelectorAll('.md-search-result__item').length;
                       const now = performance.now();
                       if (window.__lastS !== s) { window.__lastS = s; window.__lastT = now; return false; }
                       return now - window.__lastT > 300 && m && !/输入|Type/.test(m.textContent); }""",
            polling=50, timeout=30_000)
        ms = (time.perf_counter() - t0) * 1000 - 300
        # Top-level results: each item's first link (an article), then its sections; Material lists
        # sections of one page under the page. Count every link in order, as a reader sees them.
        hrefs = page.eval_on_selector_all(".md-search-result__list a.md-search-result__link",
                                          "els => els.map(a => a.href)")
        return [relative(h, self.site_url) for h in hrefs], ms


DRIVERS = {"pagefind": PagefindDriver, "material": MaterialDriver}


def run_queries(browser, site_url: str, queries: list[Query], engine: str = "pagefind") -> list[QueryResult]:
    """Type every query into the site's search box; score the first K results of each."""
    page = browser.new_page()
    try:
        driver = DRIVERS[engine](page, site_url)
        driver.open()
        out = []
        for query in queries:
            got, ms = driver.search(query.q)
            out.append(score(query, got, ms))
        return out
    finally:
        page.close()


def first_query(browser, site_url: str, query: str, engine: str = "pagefind") -> dict:
    """A cold first query: a fresh browser context loads the search page, then the query is typed.

    Returns the time from the first keystroke to the results (ms), the time from navigation to the
    results, and the bytes transferred (encoded, as on the wire) for the whole visit and for the search
    index files alone.
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
        t_nav = time.perf_counter()
        driver.open()
        ready_ms = (time.perf_counter() - t_nav) * 1000
        loaded_bytes = sum(sizes.values())
        got, ms = driver.search(query)
        page.wait_for_load_state("networkidle")
        total = sum(sizes.values())
        index = sum(n for rid, n in sizes.items() if "/pagefind/" in urls.get(rid, "")
                    or "search_index" in urls.get(rid, "") or "/search/" in urls.get(rid, "") and
                    urls.get(rid, "").endswith(".js"))
        return {"engine": engine, "query": query, "results": len(got), "first_result": got[0] if got else None,
                "ms_keystroke_to_results": round(ms), "ms_page_ready": round(ready_ms),
                "bytes_total": total, "bytes_page_load": loaded_bytes, "bytes_search_files": index,
                "requests": len(urls)}
    finally:
        context.close()


def main(argv: list[str] | None = None) -> int:
    sys.path.insert(0, str(HERE))
    from browser import CHROMIUM_ARGS, chromium_path, serve
    from playwright.sync_api import sync_playwright

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("site", type=Path, help="a built site folder")
    ap.add_argument("--engine", choices=sorted(DRIVERS), default="pagefind")
    ap.add_argument("--queries", type=Path, default=QUERIES)
    ap.add_argument("--json", type=Path, help="write the report here")
    ap.add_argument("--first-query", metavar="Q", help="measure one cold first query instead (time and bytes)")
    ap.add_argument("--repeat", type=int, default=3, help="cold first-query runs (the median is reported)")
    args = ap.parse_args(argv)

    url, server = serve(args.site)
    try:
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            if args.first_query:
                runs = [first_query(b, url, args.first_query, args.engine) for _ in range(args.repeat)]
                runs.sort(key=lambda r: r["ms_keystroke_to_results"])
                report = {"median": runs[len(runs) // 2], "runs": runs}
                print(json.dumps(report["median"], ensure_ascii=False))
            else:
                results = run_queries(b, url, load_queries(args.queries), args.engine)
                report = summary(results)
                print(f"{args.engine}: {report['queries']} queries, recall@10 {report['recall_at_10']:.3f}, "
                      f"MRR {report['mrr']:.3f}")
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
