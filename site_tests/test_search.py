"""Search in real Chromium, typed into the site's own search box, against the built site.

The query set (search_queries.yml, written from the documents) is scored by recall@10 and mean
reciprocal rank, and by the searches offered when a query finds nothing; the report goes to
site_tests/artifacts/search_report.json. Also: the district filter and its counts for the query, the
query and filters in the URL (shared, back and forward, the header box), every result reachable, the
suggestions, labelled fields and marked excerpts, a result opening its work point or task at the anchor,
the A–Z filter box (by pinyin), and that no request leaves the site.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest

from browser import serve
from conftest import ROOT
from search_eval import K, load_queries, relative, run_queries, summary, wait_for_results

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
MIN_RECALL = 0.90

pytestmark = pytest.mark.browser


def watched_page(browser, site_url: str):
    """A new page that records every request made outside the site and every script error."""
    p = browser.new_page()
    p.outside, p.errors = [], []
    p.on(
        "request",
        lambda r: p.outside.append(r.url) if not r.url.startswith(site_url) and not r.url.startswith("data:") else None,
    )
    p.on("pageerror", lambda e: p.errors.append(str(e)))
    return p


@pytest.fixture
def page(browser, site_url: str):
    p = watched_page(browser, site_url)
    yield p
    p.close()


def results(page, site_url: str) -> list[str]:
    """The result links shown, relative to the site root."""
    hrefs = page.locator("#ps-search-results > li h2 a").evaluate_all("els => els.map(a => a.href)")
    return [relative(h, site_url) for h in hrefs]


def type_query(page, query: str) -> None:
    """Type ``query`` into the search box like a reader and wait for its results."""
    box = page.locator("#ps-search-input")
    box.fill("")
    box.press_sequentially(query)
    wait_for_results(page, query)


def open_search(page, site_url: str, params: str = "") -> None:
    """Open the search page (with a query string) and wait until it is ready."""
    page.goto(site_url + "search/" + params)
    page.wait_for_selector("#ps-search[data-ready]", state="attached")


def state(page) -> dict:
    """The query string of the page's URL."""
    return {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()}


def status(page) -> str:
    return page.locator("#ps-search-status").text_content()


@pytest.fixture(scope="module")
def query_set_results(browser, site_url: str):
    """The query set typed into the built site's search page: each query's results, and script errors."""
    page = watched_page(browser, site_url)
    results = run_queries(page, site_url, load_queries())
    page.close()
    return results, page.outside, page.errors


def test_query_set_recall_and_mrr(query_set_results) -> None:
    results, outside, errors = query_set_results
    assert len(results) >= 45
    report = summary(results)
    report["k"] = K
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "search_report.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    print(
        f"\nsearch: {report['queries']} queries, recall@{K} {report['recall_at_10']:.3f}, MRR {report['mrr']:.3f}; "
        f"suggestions offered {report['suggestions']['offered']}/{report['suggestions']['queries']}"
    )
    for kind, agg in report["by_kind"].items():
        print(f"  {kind:8} n={agg['queries']:2}  recall@{K} {agg['recall_at_10']:.3f}  MRR {agg['mrr']:.3f}")
    for miss in report["misses"]:
        print(f"  missed for {miss['q']}: {miss['missing']}")
    assert outside == [] and errors == []
    assert report["recall_at_10"] >= MIN_RECALL, report["misses"]
    assert report["suggestions"]["queries"] >= 4
    assert report["suggestions"]["offered"] == report["suggestions"]["queries"], report["misses"]


def test_district_filter_keeps_only_that_district(page, site_url: str) -> None:
    page.goto(site_url + "search/")
    page.wait_for_selector("#ps-search[data-ready]", state="attached")
    type_query(page, "乡村振兴")
    unfiltered = page.locator("#ps-search-status").text_content()
    page.locator("#ps-search-filterbox > summary").click()
    district = page.locator("#ps-search-filters select[name='区']")
    district.wait_for()
    page.evaluate("() => document.getElementById('ps-search-results').removeAttribute('data-query')")
    district.select_option("松江区")
    page.wait_for_function(
        "() => document.getElementById('ps-search-results').getAttribute('data-query') === '乡村振兴'"
    )
    metas = page.locator("#ps-search-results > li > p.ps-result-meta:first-of-type").all_text_contents()
    assert metas, "no result with the 松江区 filter"
    assert all("松江区" in m for m in metas), metas
    assert all(u.startswith("documents/songjiang-2021-shishiyijian/") for u in results(page, site_url))
    assert page.locator("#ps-search-status").text_content() != unfiltered
    assert page.outside == [] and page.errors == []


def test_every_result_is_reachable_and_the_first_keep_their_order(page, site_url: str) -> None:
    open_search(page, site_url)
    type_query(page, "闵行")
    total = int(page.locator("#ps-search-results").get_attribute("data-total"))
    first = results(page, site_url)
    assert total > 40 and len(first) == 20
    assert status(page) == f"找到 {total} 条结果，显示前 20 条。"
    more = page.locator("#ps-search-more")
    assert more.text_content() == f"显示更多结果（还有 {total - 20} 条）"
    more.click()
    page.wait_for_function("() => document.querySelectorAll('#ps-search-results > li').length > 20")
    shown = results(page, site_url)
    assert shown[:20] == first and len(shown) == 40
    focused = page.evaluate("() => document.activeElement.href")
    assert relative(focused, site_url) == shown[20]  # the reader goes on where the new results start
    while more.is_visible():
        n = len(results(page, site_url))
        more.click()
        page.wait_for_function("n => document.querySelectorAll('#ps-search-results > li').length > n", arg=n)
    every = results(page, site_url)
    assert len(every) == total == len(set(every)) and every[:20] == first
    assert status(page) == f"找到 {total} 条结果。"
    page.reload()  # the results shown are kept with the page's history entry
    page.wait_for_selector("#ps-search[data-ready]", state="attached")
    wait_for_results(page, "闵行")
    assert results(page, site_url) == every
    assert page.outside == [] and page.errors == []


def _options(page, name: str) -> dict[str, int]:
    """A filter's values and the counts beside them."""
    texts = page.locator(f"#ps-search-filters select[name='{name}'] option").all_text_contents()
    return {m[1]: int(m[2]) for t in texts if (m := re.fullmatch(r"(.+)（(\d+)）", t))}


def test_filter_counts_are_the_querys_and_the_state_is_in_the_url(browser, page, site_url: str) -> None:
    open_search(page, site_url)
    type_query(page, "乡村振兴")
    total = int(page.locator("#ps-search-results").get_attribute("data-total"))
    page.locator("#ps-search-filterbox > summary").click()
    page.wait_for_function(
        "() => document.getElementById('ps-search-filters').getAttribute('data-query') === '乡村振兴'"
    )
    districts = _options(page, "区")
    assert districts["松江区"] > 0 and 0 not in districts.values() and sum(districts.values()) <= total
    assert "（无）" not in districts and set(districts) < {"闵行区", "静安区", "松江区", "上海市", "黄浦区", "徐汇区"}
    district = page.locator("#ps-search-filters select[name='区']")
    page.evaluate("() => document.getElementById('ps-search-results').removeAttribute('data-query')")
    district.select_option("松江区")
    wait_for_results(page, "乡村振兴")
    assert state(page) == {"q": "乡村振兴", "区": "松江区"}
    assert status(page) == f"找到 {districts['松江区']} 条结果。"
    filtered = results(page, site_url)
    page.wait_for_function(
        "() => document.querySelectorAll(\"#ps-search-filters select[name='年度'] option\").length === 2"
    )
    assert _options(page, "年度") == {"2021": districts["松江区"]}  # the other filters count within it
    assert _options(page, "区") == districts  # its own values: what choosing another one would give
    page.go_back()
    page.wait_for_function("() => !new URL(location.href).searchParams.get('区')")
    wait_for_results(page, "乡村振兴")
    page.wait_for_function("() => document.querySelector(\"#ps-search-filters select[name='区']\").value === ''")
    assert state(page) == {"q": "乡村振兴"} and status(page).startswith(f"找到 {total} 条结果")
    unfiltered = results(page, site_url)
    page.go_forward()
    page.wait_for_function("() => new URL(location.href).searchParams.get('区') === '松江区'")
    wait_for_results(page, "乡村振兴")
    page.wait_for_function("() => document.querySelector(\"#ps-search-filters select[name='区']\").value === '松江区'")
    assert results(page, site_url) == filtered != unfiltered
    # the header's search box, on the search page: a new query, the filters kept
    page.locator("#ps-headsearch-q").fill("产业")
    page.locator("#ps-headsearch-q").press("Enter")
    wait_for_results(page, "产业")
    assert state(page) == {"q": "产业", "区": "松江区"} and page.locator("#ps-search-input").input_value() == "产业"
    assert all(u.startswith("documents/songjiang-2021-shishiyijian/") for u in results(page, site_url))
    # the URL shared: another reader opens the same search, with its filter shown
    shared = page.url
    other = browser.new_page()
    try:
        other.goto(shared)
        wait_for_results(other, "产业")
        assert results(other, site_url) == results(page, site_url)
        assert other.locator("#ps-search-filterbox").get_attribute("open") is not None
        other.wait_for_function(
            "() => document.querySelector(\"#ps-search-filters select[name='区']\").value === '松江区'"
        )
        assert "松江区" in other.locator("#ps-search-chosen").text_content()
    finally:
        other.close()
    page.locator("#ps-search-clear").click()
    wait_for_results(page, "产业")
    page.wait_for_function("() => !new URL(location.href).searchParams.get('区')")
    assert state(page) == {"q": "产业"}
    assert page.outside == [] and page.errors == []


def test_typing_a_query_is_one_history_entry(page, site_url: str) -> None:
    open_search(page, site_url)
    type_query(page, "泽普")
    type_query(page, "百县百品")
    assert state(page) == {"q": "百县百品"}
    page.go_back()
    wait_for_results(page, "泽普")
    assert page.locator("#ps-search-input").input_value() == "泽普"
    page.go_back()
    wait_for_results(page, "")
    assert state(page) == {} and page.locator("#ps-search-input").input_value() == ""
    assert page.outside == [] and page.errors == []


def test_a_search_that_finds_nothing_offers_others_and_is_never_rewritten(page, site_url: str) -> None:
    open_search(page, site_url, "?q=泽谱")
    wait_for_results(page, "泽谱")
    page.wait_for_function("() => document.getElementById('ps-search-suggest').getAttribute('data-query') === '泽谱'")
    assert status(page).startswith("没有找到“泽谱”") and page.locator("#ps-search-input").input_value() == "泽谱"
    assert results(page, site_url) == []
    offer = page.locator("#ps-search-suggest a", has_text="泽普").first
    assert offer.text_content() == "泽普"
    offer.click()
    wait_for_results(page, "泽普")
    assert state(page) == {"q": "泽普"} and "regions/zepu/" in results(page, site_url)[:K]
    # a variant character: what the source prints is searched as printed, the usual form offered with its count
    open_search(page, site_url, "?q=闽行")
    wait_for_results(page, "闽行")
    page.wait_for_function("() => document.getElementById('ps-search-suggest').getAttribute('data-query') === '闽行'")
    text = page.locator("#ps-search-suggest").text_content()
    assert re.search(r"“闽”通常写作“闵”，也可以搜索：闵行（\d+ 条结果）", text), text
    type_query(page, "闽保")
    assert results(page, site_url) == ["documents/minhang-2022-gongzuoyaodian/#t24"]
    assert page.outside == [] and page.errors == []


def _results_shown(page) -> list[dict]:
    return page.locator("#ps-search-results > li").evaluate_all("""els => els.map(li => ({
        excerpt: li.querySelector('.ps-result-excerpt').textContent,
        excerptMarks: [...li.querySelectorAll('.ps-result-excerpt mark')].map(m => m.textContent),
        fields: [...li.querySelectorAll('.ps-result-fields > li')].map(f => f.textContent),
        fieldMarks: [...li.querySelectorAll('.ps-result-fields mark')].map(m => m.textContent),
        metaMarks: [...li.querySelectorAll('.ps-result-meta mark')].map(m => m.textContent)}))""")


@pytest.mark.parametrize(
    "query, marked",
    [
        ("援藏", "援藏"),
        ("区合作交流办", "区合作交流办"),
        ("baoshan", "保山"),
        ("静府合〔2025〕2号", "静府合〔2025〕2号"),
        ("闵行", "闵行"),
    ],
)
def test_a_result_shows_what_matched_in_its_words_or_as_a_labelled_field(
    page, site_url: str, query: str, marked: str
) -> None:
    """Every result shows the words that matched, marked: in an excerpt of its own words, or, when it is only
    filed under them, in a labelled field (地区：…, 搜索词：…) or its line of metadata; an excerpt is never a row
    of metadata."""
    open_search(page, site_url)
    type_query(page, query)
    shown = _results_shown(page)
    assert shown
    for r in shown:
        marks = r["excerptMarks"] + r["fieldMarks"] + r["metaMarks"]
        assert marks, r
        assert all(m in marked or marked in m for m in marks), r
        assert not re.search("；(工作要点|工作计划|实施意见|指导意见)；", r["excerpt"]), r  # no 文号；类型；区；年度
        for f in r["fields"]:
            assert re.match(r"^[^：]+：", f), f
    if query == "援藏":
        assert any("搜索词：" in f for r in shown for f in r["fields"])
    assert page.outside == [] and page.errors == []


def test_result_opens_the_work_point_at_its_anchor(page, site_url: str) -> None:
    page.goto(site_url + "search/")
    page.wait_for_selector("#ps-search[data-ready]", state="attached")
    type_query(page, "挂图作战")
    first = page.locator("#ps-search-results > li h2 a").first
    target = first.get_attribute("href")
    assert (
        relative(urljoin(page.url, target), site_url)
        == "documents/minhang-2022-gongzuoyaodian/#jiaqiangxiangmujianguan"
    )
    meta = page.locator("#ps-search-results > li > p.ps-result-meta").first.text_content()
    assert "闵行区2022年东西部协作和对口支援工作要点" in meta and "闵行区" in meta and "2022年" in meta
    first.click()
    page.wait_for_url("**/documents/minhang-2022-gongzuoyaodian/#jiaqiangxiangmujianguan")
    anchor = page.locator("#jiaqiangxiangmujianguan")
    assert anchor.count() == 1
    assert "加强项目监管" in anchor.text_content()
    page.wait_for_timeout(300)  # the browser scrolls to the anchor after the page has loaded
    box = anchor.bounding_box()
    assert box is not None and 0 <= box["y"] < page.viewport_size["height"]
    assert page.outside == [] and page.errors == []


@pytest.mark.parametrize("anchor", ["t17", "chixukuodaxiaofeibangfucaigouguimo"])
def test_a_task_or_point_opened_at_its_anchor_is_highlighted(page, site_url: str, anchor: str) -> None:
    """A search result opens a task's row (#t17) highlighted like a work point's heading."""
    page.goto(site_url + "documents/minhang-2022-gongzuoyaodian/#" + anchor)
    page.wait_for_timeout(300)
    colour = page.evaluate(
        """a => { const el = document.getElementById(a);
        const box = el.closest('tr') ? el.closest('td') : el;
        return getComputedStyle(box).backgroundColor; }""",
        anchor,
    )
    plain = page.evaluate("() => getComputedStyle(document.querySelector('#t18').closest('td')).backgroundColor")
    assert colour == "rgb(255, 241, 184)" and plain != colour
    box = page.locator("#" + anchor).bounding_box()
    assert box is not None and 0 <= box["y"] < page.viewport_size["height"]
    assert page.outside == [] and page.errors == []


def test_header_search_form_leads_to_results(page, site_url: str) -> None:
    page.goto(site_url + "documents/")
    page.locator("#ps-headsearch-q").fill("泽普")
    page.locator("#ps-headsearch-q").press("Enter")
    page.wait_for_url("**/search/?q=*")
    page.wait_for_function(
        "() => document.getElementById('ps-search-results').getAttribute('data-query') === '泽普'", timeout=30_000
    )
    assert page.locator("#ps-search-input").input_value() == "泽普"
    got = results(page, site_url)
    assert "regions/zepu/" in got[:K]
    assert page.outside == [] and page.errors == []


@pytest.mark.parametrize("typed", ["minhang", "mh"])
def test_az_filter_box_filters_by_pinyin(page, site_url: str, typed: str) -> None:
    page.goto(site_url + "az/")
    box = page.locator("#ps-az-input")
    box.wait_for()
    total = page.locator(".ps-azgroup li").count()
    box.press_sequentially(typed)
    visible = page.locator(".ps-azgroup li:not([hidden])")
    names = page.locator(".ps-azgroup li:not([hidden]) > a:first-child").all_text_contents()
    assert "闵行区" in names
    assert 0 < len(names) < total
    assert "静安区" not in names and "松江区" not in names
    for i in range(visible.count()):
        hay = (visible.nth(i).text_content() or "").lower().replace(" ", "")
        assert typed in hay
    box.fill("")
    box.dispatch_event("input")
    assert page.locator(".ps-azgroup li:not([hidden])").count() == total
    assert page.outside == [] and page.errors == []


@pytest.fixture(scope="module")
def finely_cut_site(built_site: Path, tmp_path_factory) -> Path:
    """The same site with its search index cut into many small files, as a large site's is: a query's tokens,
    and the words that start with a query's last character, then span several word-index files."""
    from plansite import search
    from plansite.site import generate

    site = tmp_path_factory.mktemp("cut") / "site"
    shutil.copytree(built_site, site)
    shutil.rmtree(site / search.INDEX_DIR)
    built, report = generate(ROOT, render=False)
    assert built is not None, report.format()
    search.build_index(built, site, shard_bytes=1500, chunk_records=3)
    meta = json.loads((site / search.INDEX_DIR / "meta.json").read_text(encoding="utf-8"))
    assert len(meta["shards"]) >= 100 and meta["chunk"] == 3
    return site


@pytest.fixture(scope="module")
def finely_cut_site_url(finely_cut_site: Path):
    url, server = serve(finely_cut_site)
    yield url
    server.shutdown()


def test_query_set_over_a_finely_cut_index(browser, finely_cut_site_url: str, query_set_results) -> None:
    """An index cut into many files gives every query the same results, in the same order, as the usual one."""
    page = browser.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    cut = run_queries(page, finely_cut_site_url, load_queries())
    page.close()
    assert page.errors == []
    assert {r.q: r.got for r in cut} == {r.q: r.got for r in query_set_results[0]}


def test_a_page_open_while_the_site_is_published_again_searches_the_new_index(
    page, built_site: Path, finely_cut_site: Path, tmp_path: Path
) -> None:
    """The page loaded one build's index list; the files it then fetches are another build's: it notices (each
    file names its build) and starts again from the new list, instead of mixing the two."""
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    url, server = serve(site)
    try:
        page.goto(url + "search/")
        page.wait_for_selector("#ps-search[data-ready]", state="attached")
        shutil.rmtree(site / "searchindex")
        shutil.copytree(finely_cut_site / "searchindex", site / "searchindex")
        type_query(page, "百县百品")
        got = results(page, url)
    finally:
        server.shutdown()
    assert "documents/minhang-2022-gongzuoyaodian/#t15" in got[:K]
    assert page.locator("#ps-search-status").text_content().startswith("找到")
    assert [u for u in page.outside if not u.startswith(url)] == [] and page.errors == []
