"""Chinese full-text search: a static index of one record per work point, task and named entity.

A record (:func:`iter_records`) is a work point, an annex task, a unit, a paired region, a district, a theme
or a document, so a result opens the work point itself (``documents/<id>/#<point>``), and the aggregate
pages (themes, units, …) never crowd the work points out. Each record carries its district, year, themes
and units as filters, and unit, region and district names with their aliases and pinyin (full and
initials), so a unit is found by its short name, its full pinyin or its initials.

Chinese is indexed as overlapping character pairs (:func:`tokens`), and the search page
(content/assets/search-core.js) splits a query into the same pairs and asks for them in a row, so any
substring of the text is found (a slogan inside a longer phrase, a unit's short name, 5000万元). Ranking is
BM25 over the record's heading, text and the names it is filed under, weighted 3 : 1 : 0.5 (chosen on the
query set in site_tests/search_queries.yml), computed here for every word and record (an *impact*), so the
page only adds numbers.

:class:`IndexWriter` writes the index as static files under ``searchindex/`` (the format is described
there); the browser fetches only the parts of the word index a query needs and the fragments of the
results it shows. content/search-notes.md has the measurements behind the design.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import math
import re
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .model import Point, Task
from .site import Built
from .slug import pinyin_variants


@dataclass(frozen=True)
class Record:
    """One search record: a site-relative URL, the text to index, display metadata and filters.

    ``heading`` and ``content`` are the item's own words; ``tags`` are the names it is filed under
    (units, themes, regions, its document and district), indexed with a lower weight so that an item
    that says a word in its own text ranks above one that is only filed under it. ``keywords`` (the
    pinyin of names) are indexed like tags but are not part of the text a result shows.
    """

    url: str
    content: str
    meta: dict[str, str]
    filters: dict[str, list[str]]
    heading: str = ""
    tags: str = ""
    keywords: str = ""


# Chinese is indexed as overlapping character pairs (bigrams): a run of n Han characters gives n tokens, each
# character paired with the next one and the last one with END; letters and digits are whole tokens (lower
# case, full-width made ASCII); other characters are not indexed but take a position, so no phrase runs across
# punctuation. Every token is a string of Han characters, ASCII letters and digits and END, all in the Basic
# Multilingual Plane, so Python and JavaScript sort them alike (the word index is cut into sorted ranges).
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_PIECES = re.compile(f"([{_HAN}]+)|([0-9A-Za-z]+)|(\\s+)|(.)", re.S)
_FULLWIDTH = {c: c - 0xFEE0 for c in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]}
END = "|"  # after the last Han character of a run: 协作。 → 协作, 作|
SEPARATOR = " · "  # between the parts of a record's text, as shown in excerpts


def tokens(text: str) -> list[str | None]:
    """The tokens of ``text`` in order, None for a character that is not indexed (it keeps its position).

    ``东西部协作5000万元，`` → 东西, 西部, 部协, 协作, 作|, 5000, 万元, 元|, None. The search page makes the same
    tokens from a query (content/assets/search-core.js, ``querySegments``).
    """
    out: list[str | None] = []
    for han, alnum, space, other in _PIECES.findall(text.translate(_FULLWIDTH)):
        if han:
            out += [han[i:i + 2] for i in range(len(han) - 1)]
            out.append(han[-1] + END)
        elif alnum:
            out.append(alnum.lower())
        elif other:
            out.append(None)
    return out

def _pinyin(names) -> str:
    """Full pinyin and initials of each name (闵行区 → ``minhangqu mhq``), for search by pinyin."""
    words: list[str] = []
    for n in names:
        for w in pinyin_variants(n):
            if w and w not in words:
                words.append(w)
    return " ".join(words)


def _with_aliases(first: str, names) -> str:
    """``简称（全称、其他简称）``: the name a document writes, then the unit's other names."""
    rest = [n for n in dict.fromkeys(names) if n != first]
    return f"{first}（{'、'.join(rest)}）" if rest else first


def iter_records(built: Built) -> Iterator[Record]:
    """Every search record, in a stable order, made one by one."""
    ds, ix, site = built.dataset, built.index, built.site

    def units_text(refs) -> str:
        return "、".join(_with_aliases(r.written, ds.unit(r.unit).names) for r in refs)

    def item_record(doc, item: Point | Task, kind: str, heading: str, anchor: str, point: Point | None) -> Record:
        area = ds.area(doc.area)
        themes = [ds.theme(t).name for t in item.themes]
        regions = [_with_aliases(ds.region(rid).name, ds.region(rid).names) for rid in item.regions]
        units = [ds.unit(r.unit).name for r in (*item.lead, *item.responsible)]
        tags = [f"牵头单位：{units_text(item.lead)}" if item.lead else "",
                f"责任单位：{units_text(item.responsible)}" if item.responsible else "",
                f"主题：{'、'.join(themes)}" if themes else "",
                f"地区：{'、'.join(regions)}" if regions else "",
                f"对应要点：{point.heading}" if isinstance(item, Task) and point is not None else "",
                f"{doc.doc_number}；{doc.kind}；{area.name}；{doc.year}年"]
        meta = {"title": heading, "doc": doc.title, "doc_number": doc.doc_number, "district": area.name,
                "year": str(doc.year), "kind": kind,
                "lead": "、".join(r.written for r in item.lead),
                "deadline": "；".join(d.phrase for d in item.deadlines)}
        filters = {"区": [area.name], "年度": [str(doc.year)], "主题": sorted(set(themes)) or ["（无）"],
                   "单位": sorted(set(units)) or ["（无）"], "类型": [kind]}
        return Record(site.url("document", doc.id, anchor=anchor), item.text, meta, filters, heading=heading,
                      tags="；".join(t for t in tags if t))

    for doc in ds.documents:
        for p in doc.all_points:
            yield (item_record(doc, p, "工作要点" if p.counted else "条目", p.heading, p.id, None))
        for t in doc.tasks:
            point = ix.point_by_id.get((doc.id, t.point)) if t.point else None
            yield (item_record(doc, t, "任务", f"任务 {t.no}（{t.area}）", t.id, point))
        area = ds.area(doc.area)
        yield (Record(site.url("document", doc.id), f"{doc.doc_number} {doc.kind}",
                          {"title": doc.title, "doc": doc.doc_number, "district": area.name,
                           "year": str(doc.year), "kind": "文件"},
                          {"区": [area.name], "年度": [str(doc.year)], "类型": ["文件"]},
                          heading=doc.title, tags=f"{ds.unit(doc.issuer).name}；{area.name} {doc.year}年"))
    for u in ds.units:
        if site.has("unit", u.id):
            org = ix.unit_area_name(u)
            yield (Record(site.url("unit", u.id), "、".join(u.aliases),
                              {"title": u.name, "doc": "、".join(u.aliases), "district": org, "kind": "单位"},
                              {"类型": ["单位"]}, heading=u.name, tags=f"{u.kind}；{org}", keywords=_pinyin(u.names)))
    for r in ds.regions:
        if site.has("region", r.id):
            path = "›".join(ds.region(x).name for x in ix.region_path(r.id))
            yield (Record(site.url("region", r.id), "、".join(r.aliases),
                              {"title": r.name, "doc": path, "kind": "对口地区"}, {"类型": ["对口地区"]},
                              heading=r.name, tags=path, keywords=_pinyin(r.names)))
    for a in ds.areas:
        if site.has("district", a.id):
            yield (Record(site.url("district", a.id), "、".join(a.aliases), {"title": a.name, "kind": "区"},
                              {"类型": ["区"]}, heading=a.name, keywords=_pinyin((a.name, *a.aliases))))
    for t in ds.themes:
        yield (Record(site.url("theme", t.id), t.description, {"title": t.name, "doc": t.description, "kind": "主题"},
                          {"类型": ["主题"]}, heading=t.name, keywords=_pinyin([t.name])))



# -- the index files ---------------------------------------------------------------------------------------

INDEX_DIR = "searchindex"
FORMAT = 1  # of the files below; part of the index version, so a new format never mixes with an old one
HEADING_WEIGHT, CONTENT_WEIGHT, TAG_WEIGHT = 3.0, 1.0, 0.5
K1, B = 1.2, 0.75  # BM25: term-frequency saturation and length normalisation
CHUNK_RECORDS = 16  # records per fragment file: a first page of 20 results fetches at most 20 small files
SHARD_BYTES = 48_000  # JSON text per word-index file before compression (about 12–20 kB gzipped)
FILTERS = ("类型", "区", "年度", "主题", "单位")


class _Postings:
    """Where one token occurs: record numbers (ascending), weighted frequency and positions in each."""

    __slots__ = ("ids", "tf", "counts", "positions")

    def __init__(self) -> None:
        self.ids = array("I")
        self.tf = array("f")
        self.counts = array("I")  # positions in each record
        self.positions = array("I")


def _json(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def _gz(text: str) -> bytes:
    """UTF-8 text gzipped with no timestamp (two builds give the same bytes)."""
    return gzip.compress(text.encode("utf-8"), compresslevel=6, mtime=0)


def _deltas(values) -> list[int]:
    """Ascending numbers as the first one and the differences (the page adds them up again)."""
    prev, out = 0, []
    for v in values:
        out.append(v - prev)
        prev = v
    return out


class IndexWriter:
    """Collects records (:meth:`add`) and writes the search index (:meth:`write`) into ``searchindex/``:

    * ``meta.json``: ``v`` (the index version: a hash of the format and every record, added to every URL the
      page fetches and repeated inside every file, so a page never mixes two builds), ``records``, ``chunk``
      (records per fragment file), ``shards`` (the first token of each word-index file, in sorted order) and
      ``filters`` (the filter names);
    * ``w/<n>.json.gz``: part *n* of the word index, ``{"v", "words": [[token, record deltas, impacts,
      position counts, positions], …]}`` in token order; an impact is the token's BM25 score in that record
      × 10 (at least 1); the positions are those of each record in turn, ascending, a token per position (a
      record's heading, text and tags follow each other with a gap of one);
    * ``r/<n>.json.gz``: records ``n × chunk`` … as ``{"v", "records": [{"url", "meta", "text"}, …]}`` (text:
      heading · text · tags);
    * ``filters.json.gz``: ``{"v", "filters": {name: {value: record deltas}}}``.
    """

    def __init__(self, shard_bytes: int = SHARD_BYTES, chunk_records: int = CHUNK_RECORDS) -> None:
        self.shard_bytes, self.chunk_records = shard_bytes, chunk_records
        self.vocab: dict[str, _Postings] = {}
        self.lengths = array("f")  # weighted number of tokens of each record
        self.fragments: list[str] = []  # each record's fragment as JSON
        self.filters: dict[str, dict[str, array]] = {name: {} for name in FILTERS}
        self.digest = hashlib.sha1(json.dumps(["plansite-search", FORMAT, HEADING_WEIGHT, CONTENT_WEIGHT, TAG_WEIGHT,
                                               K1, B, shard_bytes, chunk_records]).encode())

    def add(self, rec: Record) -> None:
        """Index one record."""
        rid = len(self.lengths)
        local: dict[str, list] = {}  # token → [weighted frequency, position, position, …]
        pos, length = 0, 0.0
        for text, weight in ((rec.heading, HEADING_WEIGHT), (rec.content, CONTENT_WEIGHT), (rec.tags, TAG_WEIGHT),
                             (rec.keywords, TAG_WEIGHT)):
            for tk in tokens(text):
                if tk is not None:
                    entry = local.get(tk)
                    if entry is None:
                        local[tk] = [weight, pos]
                    else:
                        entry[0] += weight
                        entry.append(pos)
                    length += weight
                pos += 1
            pos += 1
        self.lengths.append(length)
        vocab = self.vocab
        for tk, entry in local.items():
            p = vocab.get(tk)
            if p is None:
                p = vocab[tk] = _Postings()
            p.ids.append(rid)
            p.tf.append(entry[0])
            p.counts.append(len(entry) - 1)
            p.positions.extend(entry[1:])
        text = SEPARATOR.join(t for t in (rec.heading, rec.content, rec.tags) if t)
        fragment = _json({"url": rec.url, "meta": {k: v for k, v in rec.meta.items() if v}, "text": text})
        self.fragments.append(fragment)
        # the text, and where its heading, text and tags meet (weights and positions depend on it)
        self.digest.update(f"{fragment}\0{len(rec.heading)}\0{len(rec.content)}\0{rec.keywords}\0".encode("utf-8"))
        for name, values in rec.filters.items():
            if name not in self.filters:
                raise ValueError(f"unknown search filter {name!r}")
            for value in values:
                self.filters[name].setdefault(value, array("I")).append(rid)
                self.digest.update(f"\0{name}\0{value}".encode("utf-8"))

    def write(self, out: Path) -> int:
        """Write the index into ``out`` (a new or empty folder); return the number of records."""
        n = len(self.lengths)
        v = self.digest.hexdigest()[:16]
        head = f'{{"v":"{v}",'
        (out / "w").mkdir(parents=True, exist_ok=True)
        (out / "r").mkdir(exist_ok=True)
        avg = (sum(self.lengths) / n) if n else 1.0
        norm = [K1 * (1 - B + B * length / avg) for length in self.lengths]
        shards: list[str] = []  # the first token of each word-index file
        words: list[str] = []  # the entries of the file being filled
        size = 0

        def write_words() -> None:
            (out / "w" / f"{len(shards) - 1}.json.gz").write_bytes(_gz(f'{head}"words":[{",".join(words)}]}}'))

        for tk in sorted(self.vocab):
            p = self.vocab[tk]
            idf = math.log(1 + (n - len(p.ids) + 0.5) / (len(p.ids) + 0.5))
            impacts = [max(1, round(10 * idf * tf * (K1 + 1) / (tf + norm[i]))) for i, tf in zip(p.ids, p.tf)]
            entry = _json([tk, _deltas(p.ids), impacts, p.counts.tolist(), p.positions.tolist()])
            if not words:
                shards.append(tk)
            words.append(entry)
            size += len(entry)
            if size >= self.shard_bytes:
                write_words()
                words, size = [], 0
        if words:
            write_words()
        for c in range(0, n, self.chunk_records):
            chunk = ",".join(self.fragments[c:c + self.chunk_records])
            (out / "r" / f"{c // self.chunk_records}.json.gz").write_bytes(_gz(f'{head}"records":[{chunk}]}}'))
        filters = {name: {value: _deltas(ids) for value, ids in values.items()}
                   for name, values in self.filters.items() if values}
        (out / "filters.json.gz").write_bytes(_gz(f'{head}"filters":{_json(filters)}}}'))
        meta = {"format": FORMAT, "v": v, "records": n, "chunk": self.chunk_records, "shards": shards,
                "filters": list(filters)}
        (out / "meta.json").write_text(_json(meta) + "\n", encoding="utf-8")
        return n


def write_index(records: Iterable[Record], out: Path, **sizes) -> int:
    """Index ``records`` and write the index into ``out``; return the number of records. ``sizes``: the
    :class:`IndexWriter`'s ``shard_bytes`` and ``chunk_records``."""
    writer = IndexWriter(**sizes)
    for rec in records:
        writer.add(rec)
    return writer.write(out)


def build_index(built: Built, site_dir: Path, **sizes) -> int:
    """Write the search index of the site to ``site_dir/searchindex``; return the number of records."""
    return write_index(iter_records(built), site_dir / INDEX_DIR, **sizes)
