"""The search index files (plansite.search): tokens, the inverted index read back against every record,
BM25 impacts by field, filters, fragments, versions and byte-identical output. The search page that reads
them is tested in Chromium (test_search.py)."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest

from conftest import ROOT
from plansite import search
from plansite.search import END, Record, tokens
from plansite.site import generate


def read(path: Path):
    return json.loads(gzip.decompress(path.read_bytes()).decode("utf-8"))


def undelta(deltas: list[int]) -> list[int]:
    out, total = [], 0
    for d in deltas:
        total += d
        out.append(total)
    return out


class Index:
    """An index folder read back: meta, every word's postings, the fragments and the filters."""

    def __init__(self, folder: Path) -> None:
        self.meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        self.versions = set()
        self.shard_firsts = []
        self.words: dict[str, dict[int, tuple[int, list[int]]]] = {}  # token → record → (impact, positions)
        self.order: list[str] = []
        for n in range(len(self.meta["shards"])):
            data = read(folder / "w" / f"{n}.json.gz")
            self.versions.add(data["v"])
            self.shard_firsts.append(data["words"][0][0])
            for token, ids, impacts, counts, positions in data["words"]:
                assert len(ids) == len(impacts) == len(counts) and sum(counts) == len(positions)
                self.order.append(token)
                entry, at = {}, 0
                for rid, impact, count in zip(undelta(ids), impacts, counts):
                    entry[rid] = (impact, positions[at:at + count])
                    at += count
                self.words[token] = entry
        self.records = []
        for n in range(-(-self.meta["records"] // self.meta["chunk"])):
            data = read(folder / "r" / f"{n}.json.gz")
            self.versions.add(data["v"])
            self.records += data["records"]
        data = read(folder / "filters.json.gz")
        self.versions.add(data["v"])
        self.filters = {name: {value: undelta(ids) for value, ids in values.items()}
                        for name, values in data["filters"].items()}


@pytest.fixture(scope="module")
def real():
    built, report = generate(ROOT, render=False)
    assert built is not None, report.format()
    return list(search.iter_records(built))


def test_tokens_are_character_pairs_words_and_gaps() -> None:
    assert tokens("东西部协作５０００万元，ＡＢc") == ["东西", "西部", "部协", "协作", "作" + END, "5000", "万元", "元" + END,
                                                    None, "abc"]
    assert tokens("区 人社局") == ["区" + END, "人社", "社局", "局" + END]  # a space takes no position
    assert tokens("") == []


def test_every_occurrence_of_every_token_is_in_the_index(real, tmp_path: Path) -> None:
    """Read back, the index gives each record exactly the tokens and positions its text has (small files, so
    that words and records spread over many files)."""
    n = search.write_index(real, tmp_path, shard_bytes=3000, chunk_records=5)
    ix = Index(tmp_path)
    assert n == ix.meta["records"] == len(real) == len(ix.records)
    assert ix.versions == {ix.meta["v"]}
    assert ix.order == sorted(ix.order) and len(set(ix.order)) == len(ix.order)
    assert ix.meta["shards"] == ix.shard_firsts and len(ix.shard_firsts) > 20
    expected: dict[str, dict[int, list[int]]] = {}
    for rid, rec in enumerate(real):
        pos = 0
        for text in (rec.heading, rec.content, rec.tags, rec.keywords):
            for tk in tokens(text):
                if tk is not None:
                    expected.setdefault(tk, {}).setdefault(rid, []).append(pos)
                pos += 1
            pos += 1
        frag = ix.records[rid]
        assert frag["url"] == rec.url and frag["meta"] == {k: v for k, v in rec.meta.items() if v}
        assert frag["text"] == search.SEPARATOR.join(t for t in (rec.heading, rec.content, rec.tags) if t)
    assert set(ix.words) == set(expected)
    for tk, where in expected.items():
        assert {rid: positions for rid, (_, positions) in ix.words[tk].items()} == where, tk
        assert all(impact >= 1 for impact, _ in ix.words[tk].values())


def test_pinyin_is_searched_but_not_shown(real, tmp_path: Path) -> None:
    """Units, regions, districts and themes are found by their pinyin (full and initials), but a result's text,
    which the search page shows as its excerpt, is only the Chinese."""
    search.write_index(real, tmp_path)
    ix = Index(tmp_path)
    named = [rid for rid, rec in enumerate(real) if rec.keywords]
    kinds = {real[rid].meta["kind"] for rid in named}
    assert kinds == {"单位", "对口地区", "区", "主题"}
    unit = next(rid for rid in named if real[rid].heading == "闵行区财政局")
    assert {"minhangqucaizhengju", "mhqczj"} <= set(real[unit].keywords.split())
    assert unit in ix.words["minhangqucaizhengju"] and unit in ix.words["mhqczj"]
    assert all(not re.search("[a-z]{2}", ix.records[rid]["text"]) for rid in named), \
        [ix.records[rid]["text"] for rid in named if re.search("[a-z]{2}", ix.records[rid]["text"])][:3]


def test_filters_list_the_records_of_each_value(real, tmp_path: Path) -> None:
    search.write_index(real, tmp_path)
    ix = Index(tmp_path)
    assert list(ix.filters) == [name for name in search.FILTERS if name in ix.filters]
    for name, values in ix.filters.items():
        for value, ids in values.items():
            assert ids == [rid for rid, rec in enumerate(real) if value in rec.filters.get(name, [])]
    assert sum(len(ids) for ids in ix.filters["类型"].values()) == len(real)


def test_a_word_ranks_higher_in_the_heading_than_in_the_text_than_in_the_tags(tmp_path: Path) -> None:
    filler = "推进乡村振兴工作"
    recs = [Record("a/", filler, {"title": "a"}, {}, heading="消费帮扶", tags=filler),
            Record("b/", "消费帮扶", {"title": "b"}, {}, heading=filler, tags=filler),
            Record("c/", filler, {"title": "c"}, {}, heading=filler, tags="消费帮扶"),
            Record("d/", filler, {"title": "d"}, {}, heading=filler, tags=filler)]
    search.write_index(recs, tmp_path)
    ix = Index(tmp_path)
    impacts = {rid: impact for rid, (impact, _) in ix.words["帮扶"].items()}
    assert set(impacts) == {0, 1, 2}
    assert impacts[0] > impacts[1] > impacts[2] >= 1
    assert ix.words["帮扶"][1][1] == [len(tokens(filler)) + 1 + 2]  # after the heading and its gap


def test_the_same_records_give_the_same_bytes_and_any_change_a_new_version(real, tmp_path: Path) -> None:
    search.write_index(real, tmp_path / "a")
    search.write_index(real, tmp_path / "b")
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*") if p.is_file())
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files)
    changed = [*real[:-1], Record(real[-1].url, real[-1].content + "。", real[-1].meta, real[-1].filters,
                                  real[-1].heading, real[-1].tags, real[-1].keywords)]
    search.write_index(changed, tmp_path / "c")
    search.write_index(real, tmp_path / "d", chunk_records=4)
    keyed = next(i for i, rec in enumerate(real) if rec.keywords)  # a change of pinyin alone
    rec = real[keyed]
    other = [*real[:keyed], Record(rec.url, rec.content, rec.meta, rec.filters, rec.heading, rec.tags,
                                   rec.keywords + " x"), *real[keyed + 1:]]
    search.write_index(other, tmp_path / "e")
    versions = {json.loads((tmp_path / x / "meta.json").read_text(encoding="utf-8"))["v"] for x in "acde"}
    assert len(versions) == 4


def test_the_same_text_cut_into_other_parts_is_another_version(tmp_path: Path) -> None:
    """Heading 甲 and text 乙, or heading 甲 · 乙: the same text shown, other weights and positions."""
    search.write_index([Record("a/", "乙", {}, {}, heading="甲")], tmp_path / "a")
    search.write_index([Record("a/", "", {}, {}, heading="甲" + search.SEPARATOR + "乙")], tmp_path / "b")
    a, b = Index(tmp_path / "a"), Index(tmp_path / "b")
    assert a.records == b.records
    assert a.meta["v"] != b.meta["v"]


def test_an_empty_index_is_valid(tmp_path: Path) -> None:
    assert search.write_index([], tmp_path) == 0
    meta = json.loads((tmp_path / "meta.json").read_text(encoding="utf-8"))
    assert meta["records"] == 0 and meta["shards"] == [] and meta["filters"] == []


def test_an_unknown_filter_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="颜色"):
        search.write_index([Record("a/", "文字", {}, {"颜色": ["红"]})], tmp_path)
