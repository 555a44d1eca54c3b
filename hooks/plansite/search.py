"""Chinese full-text search: a static index of one record per work point, task and named entity.

A record (:func:`iter_records`) is a work point, an annex task, a unit, a paired region, a district, a theme
or a document, so a result opens the work point itself (``documents/<id>/#<point>``), and the aggregate
pages (themes, units, …) never crowd the work points out. Each record carries its district, year, themes
and units as filters; the names it is filed under (units with their aliases, themes, regions, its document)
as labelled fields; the readers' words of data/search.yml for its regions and themes (援藏, 沪滇 …); and the
pinyin of names: a unit, region, district or theme is found by its full pinyin or initials, a work point by
the full pinyin of what it is filed under.

Chinese is indexed as overlapping character pairs (:func:`tokens`), and the search page
(content/assets/search-core.js) splits a query into the same pairs and asks for them in a row, so any
substring of the text is found (a slogan inside a longer phrase, a unit's short name, 5000万元). Ranking is
BM25 over the record's heading, text and the names it is filed under, weighted 3 : 1 : 0.5 (chosen on the
query set in site_tests/search_queries.yml), computed here for every word and record (an *impact*), so the
page only adds numbers.

:class:`IndexWriter` writes the index as static files under ``searchindex/`` (the format is described
there); the browser fetches only the parts of the word index a query needs and the fragments of the
results it shows, and the registered names to suggest only when a search finds nothing.
content/search-notes.md has the measurements behind the design.
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

from .model import LEVEL_NAMES, Point, Task
from .site import Built
from .slug import pinyin_variants


@dataclass(frozen=True)
class Record:
    """One search record: a site-relative URL, the text to index, display metadata and filters.

    ``heading`` and ``content`` are the item's own words, the text a result's excerpt is taken from.
    ``fields`` are the names it is filed under (units, themes, regions, readers' words for them, its document),
    each with a label: indexed (without the label) with a lower weight, so that an item that says a word in its
    own text ranks above one that is only filed under it, and shown as labelled fields when they hold what was
    searched; a field without a label is indexed only (the result's metadata line shows it).

    Pinyin is searched, never shown: ``spoken`` pairs the pinyin of the record's own names (a unit's, a
    region's) with the name (``("minhangqu", "闵行区")``); ``filed_spoken`` the pinyin of the names it is filed
    under (a work point's units, regions, district and themes), indexed apart (:data:`FILED`) so that they never
    change how the records of the names themselves rank, and at a still lower weight when the name is not in
    the record's own words.
    """

    url: str
    content: str
    meta: dict[str, str]
    filters: dict[str, list[str]]
    heading: str = ""
    fields: tuple[tuple[str, str], ...] = ()
    spoken: tuple[tuple[str, str], ...] = ()
    filed_spoken: tuple[tuple[str, str], ...] = ()

    @property
    def tags(self) -> str:
        """The fields' values as indexed, one after the other."""
        return "；".join(value for _, value in self.fields if value)


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
    for han, alnum, _space, other in _PIECES.findall(text.translate(_FULLWIDTH)):
        if han:
            out += [han[i : i + 2] for i in range(len(han) - 1)]
            out.append(han[-1] + END)
        elif alnum:
            out.append(alnum.lower())
        elif other:
            out.append(None)
    return out


def _spoken(names, initials: bool = True) -> tuple[tuple[str, str], ...]:
    """Each name's full pinyin (and initials) with the name: 闵行区 → (minhangqu, 闵行区), (mhq, 闵行区)."""
    out: list[tuple[str, str]] = []
    for n in dict.fromkeys(names):
        full, first = pinyin_variants(n)
        for word in (full, first) if initials else (full,):
            if word and (word, n) not in out:
                out.append((word, n))
    return tuple(out)


def _with_aliases(first: str, names) -> str:
    """``简称（全称、其他简称）``: the name a document writes, then the unit's other names."""
    rest = [n for n in dict.fromkeys(names) if n != first]
    return f"{first}（{'、'.join(rest)}）" if rest else first


class ReadersWords:
    """The readers' words of data/search.yml (援藏, 沪滇 …) by the regions and themes they stand for: the words a
    record is indexed with. A work point, task or document has the words of the regions it is filed under and of
    every region above them, and of its themes; the page of a region or theme only those that name it (援藏:
    西藏's page, not 定日's), so that its places' pages do not crowd the work points out."""

    def __init__(self, ds, ix) -> None:
        self.terms = []
        for term in ds.search_terms:
            regions = {d for rid in term.regions for d in ix.region_descendants(rid)}
            self.terms.append((term, regions, set(term.themes)))

    def words(self, regions=(), themes=()) -> list[str]:
        """The words for a record filed under ``regions`` and ``themes`` (ids), in the registry's order."""
        out: list[str] = []
        for term, term_regions, term_themes in self.terms:
            if (not term_regions or term_regions.intersection(regions)) and (
                not term_themes or term_themes.intersection(themes)
            ):
                out += [w for w in term.words if w not in out]
        return out

    def naming(self, region: str = "", theme: str = "") -> list[str]:
        """The words that name this region or theme itself."""
        out: list[str] = []
        for term, _, _ in self.terms:
            if region in term.regions or theme in term.themes:
                out += [w for w in term.words if w not in out]
        return out


def iter_records(built: Built) -> Iterator[Record]:
    """Every search record, in a stable order, made one by one."""
    ds, ix, site = built.dataset, built.index, built.site
    readers = ReadersWords(ds, ix)

    def district(doc) -> list[str]:
        """The 区 filter: the district of a district's or a department's plan (the city is not a district)."""
        area = ds.area(doc.area)
        return [area.name] if area.level == "district" else []

    def units_text(refs) -> str:
        return "、".join(_with_aliases(r.written, ds.unit(r.unit).names) for r in refs)

    def item_record(doc, item: Point | Task, kind: str, heading: str, anchor: str, point: Point | None) -> Record:
        area = ds.area(doc.area)
        themes = [ds.theme(t).name for t in item.themes]
        regions = [_with_aliases(ds.region(rid).name, ds.region(rid).names) for rid in item.regions]
        units = [ds.unit(r.unit).name for r in (*item.lead, *item.responsible)]
        fields = (
            ("牵头单位", units_text(item.lead)),
            ("责任单位", units_text(item.responsible)),
            ("主题", "、".join(themes)),
            ("地区", "、".join(regions)),
            ("对应要点", point.heading if isinstance(item, Task) and point is not None else ""),
            ("搜索词", "、".join(readers.words(item.regions, item.themes))),
            ("发文字号", doc.doc_number),
            ("文件类型", doc.kind),
            ("", area.name),
            ("", f"{doc.year}年"),
        )
        meta = {
            "title": heading,
            "doc": doc.title,
            "doc_number": doc.doc_number,
            "district": area.name,
            "year": str(doc.year),
            "kind": kind,
            "lead": "、".join(r.written for r in item.lead),
            "deadline": "；".join(d.phrase for d in item.deadlines),
        }
        filters = {
            "层级": [LEVEL_NAMES[doc.level]],
            "区": district(doc),
            "年度": [str(doc.year)],
            "主题": sorted(set(themes)) or ["（无）"],
            "单位": sorted(set(units)) or ["（无）"],
            "类型": [kind],
        }
        names = [
            area.name,
            *area.aliases,
            *(n for r in (*item.lead, *item.responsible) for n in (r.written, ds.unit(r.unit).name)),
            *(n for rid in item.regions for n in ds.region(rid).names),
            *themes,
        ]
        return Record(
            site.url("document", doc.id, anchor=anchor),
            item.text,
            meta,
            filters,
            heading=heading,
            fields=tuple((label, value) for label, value in fields if value),
            filed_spoken=_spoken(names, initials=False),
        )

    for doc in ds.documents:
        for p in doc.all_points:
            yield (item_record(doc, p, "工作要点" if p.counted else ITEM_KIND, p.heading, p.id, None))
        for t in doc.tasks:
            point = ix.point_by_id.get((doc.id, t.point)) if t.point else None
            yield (item_record(doc, t, "任务", f"任务 {t.no}（{t.area}）", t.id, point))
        area = ds.area(doc.area)
        fields = (
            ("发文机关", ds.unit(doc.issuer).name),
            ("搜索词", "、".join(readers.words(doc.regions))),
            ("", area.name),
            ("", f"{doc.year}年"),
        )
        yield (
            Record(
                site.url("document", doc.id),
                f"{doc.doc_number} {doc.kind}",
                {
                    "title": doc.title,
                    "doc": doc.doc_number,
                    "district": area.name,
                    "year": str(doc.year),
                    "kind": "文件",
                },
                {"层级": [LEVEL_NAMES[doc.level]], "区": district(doc), "年度": [str(doc.year)], "类型": ["文件"]},
                heading=doc.title,
                fields=tuple(f for f in fields if f[1]),
            )
        )
    # The pages of names, broadest first: a district's, a region's or a theme's page comes before a unit's when
    # they score the same (a district's short name: its page before those of the units named after it).
    for a in ds.areas:
        kind = site.area_kind(a.id)
        if site.has(kind, a.id):
            label = "区" if kind == "district" else "市"
            yield (
                Record(
                    site.url(kind, a.id),
                    "、".join(a.aliases),
                    {"title": a.name, "kind": label},
                    {"类型": [label]},
                    heading=a.name,
                    spoken=_spoken((a.name, *a.aliases)),
                )
            )
    for r in ds.regions:
        if site.has("region", r.id):
            path = "›".join(ds.region(x).name for x in ix.region_path(r.id))
            fields = (("", path), ("搜索词", "、".join(readers.naming(region=r.id))))
            yield (
                Record(
                    site.url("region", r.id),
                    "、".join(r.aliases),
                    {"title": r.name, "doc": path, "kind": "对口地区"},
                    {"类型": ["对口地区"]},
                    heading=r.name,
                    fields=tuple(f for f in fields if f[1]),
                    spoken=_spoken(r.names),
                )
            )
    for t in ds.themes:
        fields = (("搜索词", "、".join(readers.naming(theme=t.id))),)
        yield (
            Record(
                site.url("theme", t.id),
                t.description,
                {"title": t.name, "doc": t.description, "kind": "主题"},
                {"类型": ["主题"]},
                heading=t.name,
                fields=tuple(f for f in fields if f[1]),
                spoken=_spoken([t.name]),
            )
        )
    for u in ds.units:
        if site.has("unit", u.id):
            org = ix.unit_area_name(u)
            yield (
                Record(
                    site.url("unit", u.id),
                    "、".join(u.aliases),
                    {"title": u.name, "doc": "、".join(u.aliases), "district": org, "kind": "单位"},
                    {"类型": ["单位"]},
                    heading=u.name,
                    fields=(("类别", u.kind), ("", org)),
                    spoken=_spoken(u.names),
                )
            )


def suggestion_names(built: Built) -> list[str]:
    """The names a search that finds nothing may suggest, nearest first on the page, in this order when equally
    near: paired regions, districts, themes, readers' words, units; each name and alias that has a record,
    once, two characters or more."""
    ds, site = built.dataset, built.site
    names: list[str] = []
    names += [n for r in ds.regions if site.has("region", r.id) for n in r.names]
    names += [n for a in ds.areas if site.has("district", a.id) for n in (a.name, *a.aliases)]
    names += [t.name for t in ds.themes]
    names += [w for term in ds.search_terms for w in term.words]
    names += [n for u in ds.units if site.has("unit", u.id) for n in u.names]
    return [n for n in dict.fromkeys(names) if len(n) >= 2]


# -- the index files ---------------------------------------------------------------------------------------

INDEX_DIR = "searchindex"
FORMAT = 2  # of the files below; part of the index version, so a new format never mixes with an old one
HEADING_WEIGHT, CONTENT_WEIGHT, TAG_WEIGHT = 3.0, 1.0, 0.5
# The pinyin of the names a record is filed under is indexed as words that start with FILED (~minhangqu): a search
# by pinyin asks for both (content/assets/search-core.js), and those words never change how the records of the names
# themselves rank (a word's weight depends on how many records have it). PINYIN_WEIGHT: for a name that the
# record's own words do not say; such a word's impacts are all below those of the records that say the name.
FILED = "~"
PINYIN_WEIGHT = 0.25
K1, B = 1.2, 0.75  # BM25: term-frequency saturation and length normalisation
CHUNK_RECORDS = 16  # records per fragment file: a first page of 20 results fetches at most 20 small files
SHARD_BYTES = 48_000  # JSON text per word-index file before compression (about 12–20 kB gzipped); a word whose
# entry would not fit starts the next file, so that a query for a rare word never loads a common word's long list
FILTERS = ("类型", "层级", "区", "年度", "主题", "单位")  # also in search-ui.js (FILTER_ORDER)
# The type of an entry of the general requirements or the safeguards (not counted as a work point).
ITEM_KIND = "条目（总体要求、保障措施等）"


class _Postings:
    """Where one token occurs: record numbers (ascending), weighted frequency and positions in each."""

    __slots__ = ("counts", "ids", "positions", "tf")

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
      (records per fragment file), ``shards`` (the first token of each word-index file, in sorted order),
      ``filters`` (the filter names) and ``variants`` (variant character → the usual one, for suggestions);
    * ``w/<n>.json.gz``: part *n* of the word index, ``{"v", "words": [[token, record deltas, impacts,
      position counts, positions(, names)], …]}`` in token order; an impact is the token's BM25 score in that
      record × 10 (at least 1); the positions are those of each record in turn, ascending, a token per position
      (a record's heading, text, fields and pinyin follow each other with a gap of one); a pinyin word has the
      names it spells (``["baoshan", …, ["保山"]]``), which the page marks in a result;
    * ``r/<n>.json.gz``: records ``n × chunk`` … as ``{"v", "records": [{"url", "meta", "text", "fields"},
      …]}`` (text: heading · text; fields: ``[label, value]`` of the names it is filed under, when it has any);
    * ``filters.json.gz``: ``{"v", "filters": {name: {value: record deltas}}}``;
    * ``names.json.gz``: ``{"v", "names": […]}``, the registered names a search that finds nothing may suggest
      (:func:`suggestion_names`), fetched only then.
    """

    def __init__(
        self,
        shard_bytes: int = SHARD_BYTES,
        chunk_records: int = CHUNK_RECORDS,
        names=(),
        variants: dict[str, str] | None = None,
    ) -> None:
        self.shard_bytes, self.chunk_records = shard_bytes, chunk_records
        self.names, self.variants = list(names), dict(variants or {})
        self.vocab: dict[str, _Postings] = {}
        self.spelled: dict[str, set[str]] = {}  # pinyin word → the names it spells
        self.lengths = array("f")  # weighted number of tokens of each record
        self.fragments: list[str] = []  # each record's fragment as JSON
        self.filters: dict[str, dict[str, array]] = {name: {} for name in FILTERS}
        self.digest = hashlib.sha1(
            json.dumps(
                [
                    "plansite-search",
                    FORMAT,
                    HEADING_WEIGHT,
                    CONTENT_WEIGHT,
                    TAG_WEIGHT,
                    PINYIN_WEIGHT,
                    K1,
                    B,
                    shard_bytes,
                    chunk_records,
                    self.names,
                    sorted(self.variants.items()),
                ],
                ensure_ascii=False,
            ).encode()
        )

    def add(self, rec: Record) -> None:
        """Index one record."""
        rid = len(self.lengths)
        local: dict[str, list] = {}  # token → [weighted frequency, position, position, …]
        pos, length = 0, 0.0
        for text, weight in ((rec.heading, HEADING_WEIGHT), (rec.content, CONTENT_WEIGHT), (rec.tags, TAG_WEIGHT)):
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
        own = rec.heading + rec.content
        spelled: dict[str, list[str]] = {}  # token → the names it spells here
        for prefix, pairs in (("", rec.spoken), (FILED, rec.filed_spoken)):
            for word, name in pairs:
                spelled.setdefault(prefix + word, []).append(name)
        for tk, names in spelled.items():  # a pinyin word is one token; the words follow each other
            weight = TAG_WEIGHT if not tk.startswith(FILED) or any(n in own for n in names) else PINYIN_WEIGHT
            entry = local.get(tk)
            if entry is None:
                local[tk] = [weight, pos]
            else:
                entry[0] += weight
                entry.append(pos)
            length += weight
            pos += 1
            self.spelled.setdefault(tk, set()).update(names)
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
        frag = {
            "url": rec.url,
            "meta": {k: v for k, v in rec.meta.items() if v},
            "text": SEPARATOR.join(t for t in (rec.heading, rec.content) if t),
        }
        if rec.fields:
            frag["fields"] = [list(f) for f in rec.fields]
        fragment = _json(frag)
        self.fragments.append(fragment)
        # the text, and where its heading and text meet (weights and positions depend on it), and its pinyin
        spoken_key = " ".join(f"{w}={'/'.join(n)}" for w, n in spelled.items())
        self.digest.update(f"{fragment}\0{len(rec.heading)}\0{spoken_key}\0".encode())
        for name, values in rec.filters.items():
            if name not in self.filters:
                raise ValueError(f"unknown search filter {name!r}")
            for value in values:
                self.filters[name].setdefault(value, array("I")).append(rid)
                self.digest.update(f"\0{name}\0{value}".encode())

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
            if tk.startswith(FILED):  # records whose own words say the name rank above all only filed under it
                below = max((x for x, tf in zip(impacts, p.tf) if tf < TAG_WEIGHT), default=0)
                impacts = [x + below if tf >= TAG_WEIGHT else x for x, tf in zip(impacts, p.tf)]
            row = [tk, _deltas(p.ids), impacts, p.counts.tolist(), p.positions.tolist()]
            if tk in self.spelled:
                row.append(sorted(self.spelled[tk]))
            entry = _json(row)
            if words and size + len(entry) > self.shard_bytes:  # a long list starts a file of its own
                write_words()
                words, size = [], 0
            if not words:
                shards.append(tk)
            words.append(entry)
            size += len(entry)
        if words:
            write_words()
        for c in range(0, n, self.chunk_records):
            chunk = ",".join(self.fragments[c : c + self.chunk_records])
            (out / "r" / f"{c // self.chunk_records}.json.gz").write_bytes(_gz(f'{head}"records":[{chunk}]}}'))
        filters = {
            name: {value: _deltas(ids) for value, ids in values.items()}
            for name, values in self.filters.items()
            if values
        }
        (out / "filters.json.gz").write_bytes(_gz(f'{head}"filters":{_json(filters)}}}'))
        (out / "names.json.gz").write_bytes(_gz(f'{head}"names":{_json(self.names)}}}'))
        meta = {
            "format": FORMAT,
            "v": v,
            "records": n,
            "chunk": self.chunk_records,
            "shards": shards,
            "filters": list(filters),
            "variants": self.variants,
        }
        (out / "meta.json").write_text(_json(meta) + "\n", encoding="utf-8")
        return n


def write_index(records: Iterable[Record], out: Path, **options) -> int:
    """Index ``records`` and write the index into ``out``; return the number of records. ``options``: the
    :class:`IndexWriter`'s ``shard_bytes``, ``chunk_records``, ``names`` and ``variants``."""
    writer = IndexWriter(**options)
    for rec in records:
        writer.add(rec)
    return writer.write(out)


def build_index(built: Built, site_dir: Path, **sizes) -> int:
    """Write the search index of the site to ``site_dir/searchindex``; return the number of records."""
    variants = {v.variant: v.standard for v in built.dataset.variants}
    return write_index(
        iter_records(built), site_dir / INDEX_DIR, names=suggestion_names(built), variants=variants, **sizes
    )
