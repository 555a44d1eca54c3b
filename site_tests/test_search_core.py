"""The search core (content/assets/search-core.js) as a pure function, in Node: the index written by
plansite.search from the real data, queries in, record URLs out, checked against a plain substring search;
pinyin against the records' pinyin words, the counts beside the filters against the records' filters, and the
suggestions for a search that finds nothing.

No browser: the core reads the index files through a loader the test gives it (the files, unzipped), so what
is tested is exactly the tokenising, the word index and the ranking the search page uses.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT
from plansite import search
from plansite.site import generate

CORE = ROOT / "content" / "assets" / "search-core.js"
QUERIES = [
    "消费帮扶",
    "闵行区",
    "劳务协作",
    "百县百品",
    "组团式",
    "援外机构",
    "东西部协作",
    "泽普",
    "成团",
    "闵保",
    "沪滇劳务协作",
    "不存在的词语",
]

RUNNER = r"""
const fs = require("fs"), zlib = require("zlib"), path = require("path");
/* argv: core, index folder, and a JSON list of jobs: a query (its result URLs), or {op, q, filters}. */
const S = require(process.argv[2]);
const dir = process.argv[3];
S.SearchIndex.prototype.open = async function () {
  this.meta = JSON.parse(fs.readFileSync(path.join(dir, "meta.json"), "utf8")); this.files = {};
};
S.SearchIndex.prototype.load = async function (file) {
  if (!this.files[file]) this.files[file] = JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(dir, file))).toString("utf8"));
  return this.files[file];
};
(async () => {
  const index = new S.SearchIndex("http://example.invalid/");
  await index.open();
  const out = [];
  const urls = async (ids) => (await index.fragments(ids)).map((f) => f.url);
  for (const job of JSON.parse(process.argv[4])) {
    const j = typeof job === "string" ? { op: "find", q: job, filters: {} } : job;
    if (j.op === "suggest") {
      out.push(S.suggestions(j.q, await index.names(), index.meta.variants, 5));
      continue;
    }
    const found = await S.find(index, S.querySegments(j.q), j.filters || {});
    const res = { urls: await urls(found.ids), partial: found.partial, spelled: found.spelled };
    if (j.op === "facets") res.facets = await S.facets(index, found, j.filters || {});
    out.push(res);
  }
  process.stdout.write(JSON.stringify(out));
})().catch((e) => { console.error(e); process.exit(1); });
"""


@pytest.fixture(scope="module")
def indexed(tmp_path_factory):
    built, report = generate(ROOT, render=False)
    assert built is not None, report.format()
    out = tmp_path_factory.mktemp("site")
    records = list(search.iter_records(built))
    search.build_index(built, out)
    return records, out / search.INDEX_DIR


def core(folder: Path, jobs: list, tmp_path: Path) -> list:
    """Run ``jobs`` through the search core in Node over the index in ``folder``."""
    node = shutil.which("node")
    assert node, "Node.js is needed for this test (the machine's, as for axe-core)"
    runner = tmp_path / "run.js"
    runner.write_text(RUNNER, encoding="utf-8")
    run = subprocess.run(
        [node, str(runner), str(CORE), str(folder), json.dumps(jobs, ensure_ascii=False)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def test_the_core_finds_exactly_the_records_that_hold_the_query(indexed, tmp_path: Path) -> None:
    records, folder = indexed
    got = dict(zip(QUERIES, core(folder, QUERIES, tmp_path)))
    for q in QUERIES:
        expected = {r.url for r in records if any(q.lower() in f.lower() for f in (r.heading, r.content, r.tags))}
        assert not got[q]["partial"] or not expected, q
        assert set(got[q]["urls"]) == expected, (q, sorted(set(got[q]["urls"]) ^ expected)[:5])
        assert len(got[q]["urls"]) == len(set(got[q]["urls"])), q
    assert got["消费帮扶"]["urls"] and got["不存在的词语"]["urls"] == []


PINYIN = ["baoshan", "minhang", "zepu", "xiaofeixiezuo", "qurensheju", "minhang xiaofei"]


def test_pinyin_finds_the_names_and_what_is_filed_under_them(indexed, tmp_path: Path) -> None:
    """A word of letters finds every record with a pinyin word that starts with it: the names' own records and
    the records filed under them; the names' records come first, and the names it spells are given for marking."""
    records, folder = indexed
    got = core(folder, PINYIN, tmp_path)
    for q, res in zip(PINYIN, got):
        expected = {
            r.url
            for r in records
            if all(any(w.startswith(word) for w, _ in (*r.spoken, *r.filed_spoken)) for word in q.split())
        }
        assert set(res["urls"]) == expected and expected, q
    baoshan, minhang, zepu = got[0], got[1], got[2]
    assert baoshan["urls"][0] == "regions/baoshanshi/" and "保山" in baoshan["spelled"]
    assert minhang["urls"][0] == "districts/minhang/" and len(minhang["urls"]) > 100
    assert zepu["urls"][0] == "regions/zepu/"
    assert any(u.startswith("documents/minhang-2022-gongzuoyaodian/#") for u in baoshan["urls"])


FACETED = [
    {"op": "facets", "q": "乡村振兴", "filters": {}},
    {"op": "facets", "q": "乡村振兴", "filters": {"区": "松江区"}},
    {"op": "facets", "q": "乡村振兴", "filters": {"区": "松江区", "年度": "2022"}},
    {"op": "facets", "q": "援藏", "filters": {}},
]


def test_filter_counts_are_those_of_the_query(indexed, tmp_path: Path) -> None:
    """Beside each filter value: how many results the query gives with that value and the other filters chosen
    (the value of the same filter replaced); values without results are left out."""
    records, folder = indexed
    got = core(folder, FACETED, tmp_path)
    for job, res in zip(FACETED, got):
        matching = [r for r in records if job["q"] in r.heading + r.content + r.tags]
        assert set(res["urls"]) == {
            r.url for r in matching if all(v in r.filters.get(n, []) for n, v in job["filters"].items())
        }
        for name, counts in res["facets"].items():
            others = {n: v for n, v in job["filters"].items() if n != name}
            expected: dict[str, int] = {}
            for r in matching:
                if all(v in r.filters.get(n, []) for n, v in others.items()):
                    for v in r.filters.get(name, []):
                        expected[v] = expected.get(v, 0) + 1
            assert counts == expected, (job, name)
    whole, songjiang, none = got[0]["facets"], got[1]["facets"], got[2]["facets"]
    assert whole["区"] == songjiang["区"] and songjiang["年度"] == {"2021": len(got[1]["urls"])}
    assert got[2]["urls"] == [] and none["年度"] == songjiang["年度"] and none["区"]["闵行区"] > 0


SUGGEST = ["泽谱", "闽行", "泽谱 包机", "区人设局", "援臧", "不存在的词语"]


def test_a_search_that_finds_nothing_is_offered_the_nearest_names_and_usual_characters(indexed, tmp_path: Path) -> None:
    _, folder = indexed
    got = dict(zip(SUGGEST, core(folder, [{"op": "suggest", "q": q} for q in SUGGEST], tmp_path)))
    assert got["泽谱"][0] == {"query": "泽普", "kind": "name", "word": "泽谱", "name": "泽普"}
    assert got["闽行"][0] == {"query": "闵行", "kind": "variant", "word": "闽", "name": "闵"}
    assert "泽普 包机" in [s["query"] for s in got["泽谱 包机"]]
    assert "区人社局" in [s["query"] for s in got["区人设局"]]
    assert got["援臧"][0]["query"] == "援藏"
    assert got["不存在的词语"] == []
    assert all(s["query"] != q and len(got[q]) <= 5 for q in SUGGEST for s in got[q])


def test_one_character_apart() -> None:
    node = shutil.which("node")
    script = (
        f"const S = require({json.dumps(str(CORE))});"
        "const t = (a, b) => S.oneApart(Array.from(a), Array.from(b));"
        "process.stdout.write(JSON.stringify([t('泽谱','泽普'), t('泽普','泽普县'), t('泽普县','泽普'),"
        "t('泽普','泽普'), t('泽谱县','泽普'), t('普泽','泽普'), t('区人社局','区人设局'), t('闵行区','行区')]))"
    )
    run = subprocess.run([node, "-e", script], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == [1, 2, 2, 0, 0, 0, 1, 2]
