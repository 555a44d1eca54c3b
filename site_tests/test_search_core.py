"""The search core (content/assets/search-core.js) as a pure function, in Node: the index written by
plansite.search from the real data, queries in, record URLs out, checked against a plain substring search.

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
QUERIES = ["消费帮扶", "闵行区", "劳务协作", "百县百品", "组团式", "援外机构", "东西部协作", "泽普", "成团", "闵保",
           "沪滇劳务协作", "不存在的词语"]

RUNNER = r"""
const fs = require("fs"), zlib = require("zlib"), path = require("path");
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
  const out = {};
  for (const q of JSON.parse(process.argv[4])) {
    const found = await S.find(index, S.querySegments(q), {});
    const frags = await index.fragments(found.ids);
    out[q] = { urls: frags.map((f) => f.url), partial: found.partial };
  }
  process.stdout.write(JSON.stringify(out));
})().catch((e) => { console.error(e); process.exit(1); });
"""


@pytest.fixture(scope="module")
def indexed(tmp_path_factory):
    built, report = generate(ROOT, render=False)
    assert built is not None, report.format()
    out = tmp_path_factory.mktemp("searchindex")
    records = list(search.iter_records(built))
    search.write_index(records, out)
    return records, out


def test_the_core_finds_exactly_the_records_that_hold_the_query(indexed, tmp_path: Path) -> None:
    node = shutil.which("node")
    assert node, "Node.js is needed for this test (the machine's, as for axe-core)"
    records, folder = indexed
    runner = tmp_path / "run.js"
    runner.write_text(RUNNER, encoding="utf-8")
    run = subprocess.run([node, str(runner), str(CORE), str(folder), json.dumps(QUERIES, ensure_ascii=False)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    got = json.loads(run.stdout)
    for q in QUERIES:
        expected = {r.url for r in records if any(q.lower() in f.lower() for f in (r.heading, r.content, r.tags))}
        assert not got[q]["partial"] or not expected, q
        assert set(got[q]["urls"]) == expected, (q, sorted(set(got[q]["urls"]) ^ expected)[:5])
        assert len(got[q]["urls"]) == len(set(got[q]["urls"])), q
    assert got["消费帮扶"]["urls"] and got["不存在的词语"]["urls"] == []
