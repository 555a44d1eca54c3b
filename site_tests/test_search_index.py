"""The search index files (plansite.search): tokens, the inverted index read back against every record,
BM25 impacts by field, pinyin, readers' words, labelled fields, filters, fragments, suggestions, versions and
byte-identical output. The search page that reads them is tested in Chromium (test_search.py)."""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import ROOT
from plansite import search
from plansite.search import END, FILTERS, ITEM_KIND, Record, tokens
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
        self.spelled: dict[str, list[str]] = {}  # pinyin word → the names it spells
        self.order: list[str] = []
        for n in range(len(self.meta["shards"])):
            data = read(folder / "w" / f"{n}.json.gz")
            self.versions.add(data["v"])
            self.shard_firsts.append(data["words"][0][0])
            for token, ids, impacts, counts, positions, *names in data["words"]:
                assert len(ids) == len(impacts) == len(counts) and sum(counts) == len(positions)
                if names:
                    self.spelled[token] = names[0]
                self.order.append(token)
                entry, at = {}, 0
                for rid, impact, count in zip(undelta(ids), impacts, counts):
                    entry[rid] = (impact, positions[at : at + count])
                    at += count
                self.words[token] = entry
        self.records = []
        for n in range(-(-self.meta["records"] // self.meta["chunk"])):
            data = read(folder / "r" / f"{n}.json.gz")
            self.versions.add(data["v"])
            self.records += data["records"]
        data = read(folder / "filters.json.gz")
        self.versions.add(data["v"])
        self.filters = {
            name: {value: undelta(ids) for value, ids in values.items()} for name, values in data["filters"].items()
        }
        data = read(folder / "names.json.gz")
        self.versions.add(data["v"])
        self.names = data["names"]


def expected_tokens(rec: Record) -> list[tuple[str, int]]:
    """Every token of a record and its position, as the index must have them: its heading, text and fields, a
    gap after each, then each pinyin word once (its own names', then those of the names it is filed under)."""
    out, pos = [], 0
    for text in (rec.heading, rec.content, rec.tags):
        for tk in tokens(text):
            if tk is not None:
                out.append((tk, pos))
            pos += 1
        pos += 1
    words = dict.fromkeys([w for w, _ in rec.spoken] + [search.FILED + w for w, _ in rec.filed_spoken])
    return out + [(w, pos + i) for i, w in enumerate(words)]


@pytest.fixture(scope="module")
def real():
    built, report = generate(ROOT, render=False)
    assert built is not None, report.format()
    return list(search.iter_records(built))


def test_tokens_are_character_pairs_words_and_gaps() -> None:
    assert tokens("东西部协作５０００万元，ＡＢc") == [
        "东西",
        "西部",
        "部协",
        "协作",
        "作" + END,
        "5000",
        "万元",
        "元" + END,
        None,
        "abc",
    ]
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
        for tk, pos in expected_tokens(rec):
            expected.setdefault(tk, {}).setdefault(rid, []).append(pos)
        frag = ix.records[rid]
        assert frag["url"] == rec.url and frag["meta"] == {k: v for k, v in rec.meta.items() if v}
        assert frag["text"] == search.SEPARATOR.join(t for t in (rec.heading, rec.content) if t)
        assert frag.get("fields", []) == [list(f) for f in rec.fields]
    assert set(ix.words) == set(expected)
    for tk, where in expected.items():
        assert {rid: positions for rid, (_, positions) in ix.words[tk].items()} == where, tk
        assert all(impact >= 1 for impact, _ in ix.words[tk].values())


def test_pinyin_is_searched_but_not_shown(real, tmp_path: Path) -> None:
    """Units, regions, districts and themes are found by their pinyin (full and initials), but a result's text and
    fields, which the search page shows, are only the Chinese; each pinyin word names what it spells."""
    search.write_index(real, tmp_path)
    ix = Index(tmp_path)
    named = [rid for rid, rec in enumerate(real) if rec.spoken]
    kinds = {real[rid].meta["kind"] for rid in named}
    assert kinds == {"单位", "对口地区", "区", "市", "主题"}
    unit = next(rid for rid in named if real[rid].heading == "闵行区财政局")
    assert {"minhangqucaizhengju", "mhqczj"} <= {w for w, _ in real[unit].spoken}
    assert unit in ix.words["minhangqucaizhengju"] and unit in ix.words["mhqczj"]
    assert ix.spelled["mhqczj"] == ["闵行区财政局"] and "区财政局" in ix.spelled["qucaizhengju"]
    for rid, rec in enumerate(real):
        shown = ix.records[rid]["text"] + str(ix.records[rid].get("fields", ""))
        assert not [w for w, _ in (*rec.spoken, *rec.filed_spoken) if len(w) > 2 and w in shown], rec.url


def test_a_point_is_found_by_the_pinyin_of_what_it_is_filed_under(real, tmp_path: Path) -> None:
    """A work point has the full pinyin of its district, units, regions and themes, as words of their own (~…),
    which the records of those names do not share; a point whose text has the name ranks above one only filed
    under it."""
    search.write_index(real, tmp_path)
    ix = Index(tmp_path)
    baoshan = ix.words[search.FILED + "baoshan"]
    filed = {rid for rid, rec in enumerate(real) if "保山" in {n for _, n in rec.filed_spoken}}
    assert filed and set(baoshan) == filed
    assert ix.spelled[search.FILED + "baoshan"] == ["保山"]
    says = [rid for rid in filed if "保山" in real[rid].heading + real[rid].content]
    only_filed = [rid for rid in filed if rid not in says]
    assert says and only_filed
    assert min(baoshan[r][0] for r in says) > max(baoshan[r][0] for r in only_filed)
    region = next(rid for rid, rec in enumerate(real) if rec.url.startswith("regions/baoshanshi/"))
    assert region in ix.words["baoshan"] and not set(ix.words["baoshan"]) & filed
    point = next(
        rid for rid, rec in enumerate(real) if rec.meta["kind"] == "工作要点" and rec.meta["district"] == "闵行区"
    )
    assert point in ix.words[search.FILED + "minhangqu"] and point not in ix.words.get("mhq", {})


def test_readers_words_file_records_under_what_they_stand_for(real, tmp_path: Path) -> None:
    """援藏 (data/search.yml: 西藏) is indexed, as a labelled field, with every work point, task and document filed
    under 西藏 or a region below it, and with the page of 西藏 itself (not those of its places)."""
    search.write_index(real, tmp_path)
    ix = Index(tmp_path)
    tibet = {"西藏自治区", "日喀则市", "定日县", "江孜县", "亚东县", "拉孜县", "萨迦县"}
    filed = {
        rid
        for rid, rec in enumerate(real)
        if any(label == "搜索词" and "援藏" in value.split("、") for label, value in rec.fields)
    }
    urls = {real[rid].url for rid in filed}
    assert {"regions/xizang/", "documents/songjiang-2021-shishiyijian/#jijidazaoshifanyinlingxiangmu"} <= urls
    assert not {"regions/dingri/", "regions/rikaze/"} & urls
    for rid in filed:
        rec = real[rid]
        assert (
            rec.heading in tibet
            or any(label == "地区" and any(t in value for t in tibet) for label, value in rec.fields)
            or rec.meta["kind"] == "文件"
        )
    points = [
        rid
        for rid, rec in enumerate(real)
        if rec.meta["kind"] in ("工作要点", ITEM_KIND)
        and any(label == "地区" and "定日县" in value for label, value in rec.fields)
    ]
    assert len(points) == 4 and set(points) <= filed
    assert set(points) <= set(ix.words["援藏"])
    theme = next(rid for rid, rec in enumerate(real) if rec.url == "themes/xiaofei/")
    assert ("搜索词", "消费扶贫") in real[theme].fields


def test_fields_are_labelled_and_indexed_without_their_labels(real) -> None:
    point = next(rec for rec in real if rec.meta["kind"] == "工作要点" and rec.meta.get("lead"))
    labels = [label for label, _ in point.fields]
    assert labels[0] == "牵头单位" and "发文字号" in labels and "" in labels
    assert "牵头单位" not in point.tags and point.fields[0][1] in point.tags
    assert all(value for _, value in point.fields)


def test_the_names_a_search_may_suggest(real, tmp_path: Path) -> None:
    built, _ = generate(ROOT, render=False)
    search.build_index(built, tmp_path)
    ix = Index(tmp_path / search.INDEX_DIR)
    assert ix.meta["variants"] == {"闽": "闵"}
    names = ix.names
    assert len(names) == len(set(names)) and all(len(n) >= 2 for n in names)
    assert {"泽普", "泽普县", "闵行区", "消费协作", "援藏", "区人社局"} <= set(names)
    assert (
        names.index("泽普")
        < names.index("闵行区")
        < names.index("消费协作")
        < names.index("援藏")
        < names.index("区人社局")
    )
    assert "青海省" not in names  # no page, no record: a suggestion always finds something


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
    recs = [
        Record("a/", filler, {"title": "a"}, {}, heading="消费帮扶", fields=(("", filler),)),
        Record("b/", "消费帮扶", {"title": "b"}, {}, heading=filler, fields=(("", filler),)),
        Record("c/", filler, {"title": "c"}, {}, heading=filler, fields=(("主题", "消费帮扶"),)),
        Record("d/", filler, {"title": "d"}, {}, heading=filler, fields=(("", filler),)),
    ]
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
    changed = [*real[:-1], replace(real[-1], content=real[-1].content + "。")]
    search.write_index(changed, tmp_path / "c")
    search.write_index(real, tmp_path / "d", chunk_records=4)
    keyed = next(i for i, rec in enumerate(real) if rec.spoken)  # a change of pinyin alone
    other = [*real[:keyed], replace(real[keyed], spoken=(*real[keyed].spoken, ("x", "乙"))), *real[keyed + 1 :]]
    search.write_index(other, tmp_path / "e")
    filed = next(i for i, rec in enumerate(real) if rec.filed_spoken)  # what a pinyin word spells
    spelled = [
        *real[:filed],
        replace(real[filed], filed_spoken=((real[filed].filed_spoken[0][0], "乙"), *real[filed].filed_spoken[1:])),
        *real[filed + 1 :],
    ]
    search.write_index(spelled, tmp_path / "f")
    search.write_index(real, tmp_path / "g", variants={"闽": "闵"})
    versions = {json.loads((tmp_path / x / "meta.json").read_text(encoding="utf-8"))["v"] for x in "acdefg"}
    assert len(versions) == 6


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


def test_levels_and_districts_filter_apart(real) -> None:
    """The city is not a district: its plans are filtered by 层级 (市级), never under 区; every district's and
    department's plan is under its 区 and its 层级; the city's own page is a record of type 市."""
    from plansite.model import LEVEL_NAMES

    built, _ = generate(ROOT, render=False)
    ds = built.dataset
    by_url = {}
    for rec in real:
        by_url.setdefault(rec.url.split("#")[0], []).append(rec)
    for doc in ds.documents:
        area = ds.area(doc.area)
        for rec in by_url[built.site.url("document", doc.id)]:
            assert rec.filters["层级"] == [LEVEL_NAMES[doc.level]]
            assert rec.filters["区"] == ([area.name] if area.level == "district" else [])
    city = [r for r in real if r.meta.get("kind") == "市"]
    assert [r.url for r in city] == [
        built.site.url("city", a.id) for a in ds.areas if a.level == "city" and built.site.has("city", a.id)
    ] and city
    assert all(set(r.filters) <= set(FILTERS) for r in real)
    assert {r.meta["kind"] for r in real} >= {
        "工作要点",
        ITEM_KIND,
        "任务",
        "文件",
        "区",
        "市",
        "对口地区",
        "主题",
        "单位",
    }


def test_the_search_page_offers_the_filters_of_the_index_in_the_same_order() -> None:
    js = (ROOT / "content" / "assets" / "search-ui.js").read_text(encoding="utf-8")
    order = re.search(r"var FILTER_ORDER = \[([^\]]*)\]", js).group(1)
    assert tuple(x.strip().strip('"') for x in order.split(",")) == FILTERS
