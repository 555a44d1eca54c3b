"""Chinese full-text search: a Pagefind index of one record per work point, task and named entity.

Records are added through Pagefind's service (the protocol of its Python API), each as a small
HTML document (:func:`to_html`) with weighted parts, meta and filters, so a result opens the work point itself
(``documents/<id>/#<point>``), and the aggregate pages (themes, units, …) never crowd the work
points out. Each record carries its district, year, themes and units as filters, and unit,
region and district names with their aliases and pinyin (full and initials), so a unit is found
by its short name, its full pinyin or its initials.

Chinese is indexed as character bigrams encoded as ASCII tokens (:func:`index_text`), and the
search page splits a query into the same tokens and asks for them as an exact phrase, so any
substring of the text is found (a slogan inside a longer phrase, a unit's short name, 5000万元), ranked by Pagefind's BM25 with the
item's heading weighted above its text and its text above the names it is filed under (weights
chosen on the query set in site_tests/search_queries.yml).

Pinned to Pagefind 1.4.0: see content/search-notes.md for the measurement behind the choice.
"""

from __future__ import annotations

import base64
import collections
import functools
import html
import itertools
import json
import os
import re
import subprocess
import threading
import time
from collections.abc import Iterator
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
    that says a word in its own text ranks above one that is only filed under it.
    """

    url: str
    content: str
    meta: dict[str, str]
    filters: dict[str, list[str]]
    heading: str = ""
    tags: str = ""


# Chinese is indexed as overlapping character pairs (bigrams), each written as one ASCII token
# ``u`` + two 3-character base-36 codes of the characters (:func:`index_text`). Pagefind's own
# Chinese segmentation (jieba, at index time) cannot be used for this: the browser does not segment
# the query, so a query that is part of a longer word or that jieba split differently found nothing.
# Tokens of letters and digits cannot hold Han characters unchanged (jieba would split them again).
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_PIECES = re.compile(f"([{_HAN}]+)|([0-9A-Za-z]+)|(\\s+)|(.)", re.S)
_FULLWIDTH = {c: c - 0xFEE0 for c in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]}
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
END = "zzz"  # the code after the last character of a run (no character has it: codes stop at 28159)
SEPARATOR = " · "  # between the parts of a record, as shown in excerpts


def char_code(ch: str) -> str:
    """The 3-character base-36 code of a Han character (CJK Ext. A, Unified, Compatibility)."""
    n = ord(ch)
    v = n - 0x3400 if n < 0xF900 else 27648 + n - 0xF900
    return _DIGITS[v // 1296] + _DIGITS[v // 36 % 36] + _DIGITS[v % 36]


@functools.lru_cache(maxsize=1)
def _code_table() -> dict[int, str]:
    """``str.translate`` table: every Han character (the ranges of ``_HAN``) to its code."""
    ranges = [(0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF)]
    return {n: char_code(chr(n)) for lo, hi in ranges for n in range(lo, hi + 1)}


def index_text(text: str) -> str:
    """``text`` as Pagefind indexes it: each Han character as the token of itself and the next one.

    ``东西部协作5000万元，`` → ``u… u… u… u… u…zzz 5000 u… u…zzz ，``: a run of n Han characters gives n
    tokens (the last one paired with END), letters and digits stay whole tokens (lower case),
    punctuation stays for the excerpts. The search page (content/assets/site.js) makes the same
    tokens from a query and decodes the characters again (the first code of each token) to show
    an excerpt. Full-width digits and letters are made ASCII.
    """
    out: list[str] = []
    for han, alnum, space, other in _PIECES.findall(text.translate(_FULLWIDTH)):
        if han:
            codes = han.translate(_code_table()) + END  # 3 characters per Han character
            out += ["u" + codes[i:i + 6] for i in range(0, len(codes) - 3, 3)]
        elif alnum:
            out.append(alnum.lower())
        elif other:
            out.append(other)
    return " ".join(out)


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
    ds, ix = built.dataset, built.index

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
        return Record(f"documents/{doc.id}/#{anchor}", item.text, meta, filters, heading=heading,
                      tags="；".join(t for t in tags if t))

    for doc in ds.documents:
        for p in doc.all_points:
            yield (item_record(doc, p, "工作要点" if p.counted else "条目", p.heading, p.id, None))
        for t in doc.tasks:
            point = ix.point_by_id.get((doc.id, t.point)) if t.point else None
            yield (item_record(doc, t, "任务", f"任务 {t.no}（{t.area}）", t.id, point))
        area = ds.area(doc.area)
        yield (Record(f"documents/{doc.id}/", f"{doc.doc_number} {doc.kind}",
                          {"title": doc.title, "doc": doc.doc_number, "district": area.name,
                           "year": str(doc.year), "kind": "文件"},
                          {"区": [area.name], "年度": [str(doc.year)], "类型": ["文件"]},
                          heading=doc.title, tags=f"{ds.unit(doc.issuer).name}；{area.name} {doc.year}年"))
    for u in ds.units:
        if u.id in ix.by_unit or u.id in ix.docs_by_issuer:
            org = ix.unit_area_name(u)
            yield (Record(f"units/{u.id}/", "、".join(u.aliases),
                              {"title": u.name, "doc": "、".join(u.aliases), "district": org, "kind": "单位"},
                              {"类型": ["单位"]}, heading=u.name, tags=f"{u.kind}；{org}；{_pinyin(u.names)}"))
    for r in ds.regions:
        if r.id in ix.docs_by_region:
            path = "›".join(ds.region(x).name for x in ix.region_path(r.id))
            yield (Record(f"regions/{r.id}/", "、".join(r.aliases),
                              {"title": r.name, "doc": path, "kind": "对口地区"}, {"类型": ["对口地区"]},
                              heading=r.name, tags=f"{path}；{_pinyin(r.names)}"))
    for a in ds.areas:
        if a.id in ix.docs_by_area:
            yield (Record(f"districts/{a.id}/", "、".join(a.aliases), {"title": a.name, "kind": "区"},
                              {"类型": ["区"]}, heading=a.name, tags=_pinyin((a.name, *a.aliases))))
    for t in ds.themes:
        yield (Record(f"themes/{t.id}/", t.description, {"title": t.name, "doc": t.description, "kind": "主题"},
                          {"类型": ["主题"]}, heading=t.name, tags=_pinyin([t.name])))


class PagefindService:
    """A small synchronous client of ``pagefind --service`` (the protocol of Pagefind's own Python API).

    Pagefind's asyncio client polls for each response with a 0.1 s sleep, which makes
    10,000 records take 17 minutes; this client streams all requests and reads the
    responses as they come (24,366 records of the 10,000-point synthetic site: about a minute).
    """

    def __init__(self) -> None:
        from pagefind.service import get_executable

        binary = get_executable()
        if binary is None:
            raise RuntimeError("找不到 Pagefind 程序：请安装 pagefind[extended]==1.4.0（见 README）。")
        self.proc = subprocess.Popen([str(binary), "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL)
        self.next_id = 0
        self.ready: collections.deque[bytes] = collections.deque()  # responses read, not yet returned
        self.rest = b""  # the start of the next response

    def _read(self) -> dict:
        """The next response (base64 JSON, each followed by a comma), read in chunks: byte by byte, the
        responses of a 3,000-record bundle took a million calls."""
        while not self.ready:
            chunk = self.proc.stdout.read1(1 << 16)
            if not chunk:
                raise RuntimeError("Pagefind 服务意外退出。")
            *done, self.rest = (self.rest + chunk).split(b",")
            self.ready.extend(done)
        return json.loads(base64.b64decode(self.ready.popleft()))

    def request_all(self, payloads, count: int | None = None) -> list[dict]:
        """Send ``payloads`` (a list, or an iterable of ``count`` payloads, encoded one by one as a thread
        streams them) and return the responses in order."""
        if count is None:
            payloads = list(payloads)
            count = len(payloads)
        first = self.next_id + 1
        self.next_id += count
        failed: list[BaseException] = []

        def write() -> None:
            try:
                for n, payload in enumerate(payloads):
                    self.proc.stdin.write(base64.b64encode(json.dumps(
                        {"message_id": first + n, "payload": payload}).encode()) + b",")
                self.proc.stdin.flush()
            except BaseException as exc:  # noqa: BLE001 - reported by the reader below
                failed.append(exc)

        writer = threading.Thread(target=write, daemon=True)
        writer.start()
        responses = {}
        while len(responses) < count:
            if failed:
                raise RuntimeError(f"向 Pagefind 发送记录时出错：{failed[0]}")
            resp = self._read()
            if resp is None:
                continue
            payload = resp.get("payload", {})
            if payload.get("type") == "Error":
                raise RuntimeError(f"Pagefind 出错：{payload.get('message')}")
            responses[resp.get("message_id")] = payload
        writer.join()
        return [responses[first + i] for i in range(count)]

    def close(self) -> None:
        """Stop the service."""
        if self.proc.stdin:
            self.proc.stdin.close()
        self.proc.wait(timeout=60)


# Content weights (Pagefind multiplies a word's frequency by the weight of the element it is in).
HEADING_WEIGHT = 3.0
CONTENT_WEIGHT = 1.0
TAG_WEIGHT = 0.5


def _attr(value: str) -> str:
    # Pagefind reads ``key:value`` from the attribute and splits several pairs at commas.
    return html.escape(value.replace(",", "，"), quote=True)


def to_html(r: Record) -> str:
    """The HTML document Pagefind indexes for ``r``: weighted heading, content and tags; meta and filters."""
    meta = "".join(f'<span data-pagefind-meta="{_attr(k)}:{_attr(v)}"></span>' for k, v in r.meta.items() if v)
    filters = "".join(f'<span data-pagefind-filter="{_attr(k)}:{_attr(v)}"></span>'
                      for k, values in r.filters.items() for v in values)
    blocks = [(r.heading, HEADING_WEIGHT, "h1"), (r.content, CONTENT_WEIGHT, "p"), (r.tags, TAG_WEIGHT, "p")]
    body = "".join(f'<{tag} data-pagefind-weight="{w}">{html.escape(index_text(t + SEPARATOR))}</{tag}>'
                   for t, w, tag in blocks if t)
    return f'<!doctype html><html lang="zh"><head><meta charset="utf-8"></head><body>{meta}{filters}{body}</body></html>'


def _entry_ok(out_dir: Path) -> bool:
    try:
        json.loads((out_dir / "pagefind-entry.json").read_text(encoding="utf-8"))
        return True
    except (OSError, ValueError):
        return False


def _snapshot(out_dir: Path) -> dict[str, tuple[int, int]]:
    """Size and modification time of every file of the bundle in ``out_dir`` (not of bundles under it)."""
    out: dict[str, tuple[int, int]] = {}
    folders = [str(out_dir)]
    while folders:
        try:
            entries = list(os.scandir(folders.pop()))
        except FileNotFoundError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if not (entry.name == "parts" and os.path.samefile(os.path.dirname(entry.path), out_dir)):
                    folders.append(entry.path)
            elif entry.is_file(follow_symlinks=False):
                st = entry.stat(follow_symlinks=False)
                out[entry.path] = (st.st_size, st.st_mtime_ns)
    return out


def _wait_until_settled(out_dir: Path, deadline: float, quiet: float = 0.2) -> None:
    """Return once the files in ``out_dir`` have not changed for ``quiet`` seconds (or at ``deadline``)."""
    before = _snapshot(out_dir)
    while time.monotonic() < deadline:
        time.sleep(quiet)
        now = _snapshot(out_dir)
        if now == before:
            return
        before = now


def write_index(recs: list[Record], out_dir: Path) -> None:
    """Index ``recs`` with Pagefind and write the bundle into ``out_dir``."""
    svc = PagefindService()
    try:
        (created,) = svc.request_all([{"type": "NewIndex", "config": {"force_language": "zh"}}])
        index_id = created["index_id"]
        svc.request_all(({"type": "AddFile", "index_id": index_id, "url": r.url, "file_contents": to_html(r),
                          "file_path": None} for r in recs), len(recs))
        svc.request_all([{"type": "WriteFiles", "index_id": index_id, "output_path": str(out_dir)}])
        # Pagefind answers WriteFiles before its writes are all done (the entry file was once found empty,
        # and pagefind-highlight.js short, when the service was closed at once): keep it running until the
        # entry file is complete and no file of the bundle has changed for a moment.
        deadline = time.monotonic() + 30
        while not _entry_ok(out_dir) and time.monotonic() < deadline:
            time.sleep(0.05)
        _wait_until_settled(out_dir, deadline)
    finally:
        svc.close()
    if not _entry_ok(out_dir):
        raise RuntimeError(f"Pagefind 没有写出完整的搜索索引（{out_dir / 'pagefind-entry.json'}）。")


# Records per Pagefind bundle. Pagefind holds a bundle's whole index in memory until it writes it (about
# 50 kB a record: 1.1 GB for the 22,807 records of 10,000 work points), so a large site is indexed as
# several bundles, one after the other, and the search page merges them (Pagefind's mergeIndex). 3,000 records:
# about 170 MB a bundle, 8 bundles at 10,000 work points, 767 kB for a first search (content/performance.md).
PART_RECORDS = 3000
PARTS_FILE = "plansite-parts.json"


def build_index(built: Built, site_dir: Path, part_records: int = PART_RECORDS) -> int:
    """Write the Pagefind bundle to ``site_dir/pagefind`` (and, for more than ``part_records`` records, the
    other bundles under ``pagefind/parts/``, listed in ``pagefind/plansite-parts.json``); return the number
    of records."""
    out = site_dir / "pagefind"
    stream = iter_records(built)
    total, n, extra = 0, 0, []
    while True:  # one bundle's records at a time in memory
        part = list(itertools.islice(stream, part_records))
        if n and not part:
            break
        write_index(part, out / "parts" / str(n) if n else out)
        if n:
            extra.append(f"parts/{n}/")
        total += len(part)
        n += 1
        if len(part) < part_records:
            break
    (out / PARTS_FILE).write_text(json.dumps(extra) + "\n", encoding="utf-8")
    return total
