"""Read every data file, check it, and build the immutable :class:`~plansite.model.Dataset`.

All problems are collected into one :class:`~plansite.errors.Report`; the dataset is only
returned when there is no error, so nothing downstream ever sees half-valid data.
"""

from __future__ import annotations

import difflib
import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from . import forking, schema
from .errors import Pos, Report
from .load import load_file
from .model import (Annex, Area, Covers, Dataset, Deadline, Document, Notice, Point, Region, Section, Target,
                    Task, Theme, Unit, UnitRef)
from .shape import Lst, Rec, convert
from .searchwords import load_search_words
from .slug import register_readings

_WS = re.compile(r"\s+")


# Documents are validated in two processes from this many per half on (below it, a fork costs more than it saves).
PARALLEL_DOCUMENTS = 40


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the duration of the block, then restore it.

    Reading a large project allocates millions of small objects (YAML nodes, marks, converted
    values) that form no reference cycles, so reference counting frees them all; yet every burst
    of allocations sets off the cyclic collector, whose full passes over the growing heap took
    about a third of the whole run. Cycles made meanwhile are collected once it runs again.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def norm(text: str) -> str:
    """Text with all whitespace removed: the comparison used for fidelity to the full text."""
    return _WS.sub("", text)


@dataclass
class _Loaded:
    path: str
    rec: Rec


class Validator:
    """Builds a dataset from a project folder, recording every problem."""

    def __init__(self, root: Path, data_dir: str = "data") -> None:
        self.root = root
        self.data = root / data_dir
        self.report = Report()

    # -- loading -----------------------------------------------------------
    def _load(self, path: Path, struct: schema.Struct) -> _Loaded | None:
        src = load_file(path, self.root, self.report)
        if src.root is None:
            return None
        rec = convert(src.root, struct, self.report)
        return _Loaded(src.path, rec) if rec is not None else None

    def readings(self) -> dict[str, str]:
        """Register the corrected readings of data/pinyin.yml (if there is one) for every pinyin made from now on;
        return them."""
        path = self.data / "pinyin.yml"
        loaded = self._load(path, schema.PINYIN_FILE) if path.exists() else None
        readings = dict(loaded.rec.get("readings", {})) if loaded else {}
        if readings:
            register_readings(readings)
        return readings

    def _rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def run(self, only: list[Path] | None = None) -> Dataset | None:
        """Validate everything under ``data/``; return the dataset, or None when there are errors."""
        with _gc_paused():
            return self._run()

    def _run(self) -> Dataset | None:
        d = self.data
        vocab = self._load(d / "vocab.yml", schema.VOCAB_FILE)
        readings = self.readings()
        areas = self._areas(self._load(d / "areas.yml", schema.AREAS_FILE))
        themes = self._themes(self._load(d / "themes.yml", schema.THEMES_FILE))
        regions = self._regions(self._load(d / "regions.yml", schema.REGIONS_FILE))
        doc_kinds = [k["name"] for k in (vocab.rec.get("document_kinds", []) if vocab else []) if "name" in k]
        self.item_parts = tuple(vocab.rec.get("item_parts", ()) if vocab else ())
        unit_kinds = [k["name"] for k in (vocab.rec.get("unit_kinds", []) if vocab else []) if "name" in k]
        self.collective_kinds = {k["name"] for k in (vocab.rec.get("unit_kinds", []) if vocab else [])
                                 if "name" in k and k.get("collective")}
        units = self._units(sorted((d / "units").glob("*.yml")), areas, unit_kinds)
        docs = self._documents(sorted((d / "documents").glob("*.yml")), areas, units, themes, regions, doc_kinds)
        search_terms, variants = load_search_words(self, themes, regions, areas, units)
        seen: dict[str, str] = {}
        for doc in docs:
            if doc is None:
                continue
            if doc.id in seen:
                self.report.add("E141", Pos(doc.source), what="文件", value=doc.id, other=seen[doc.id])
            seen[doc.id] = doc.source
        redirects = self._redirects(d / "redirects.yml", docs)
        if not self.report.ok:
            return None
        return Dataset(
            areas=tuple(areas.values()), units=tuple(u for u, _ in units.values()),
            themes=tuple(themes.values()), regions=tuple(regions.values()),
            documents=tuple(sorted((x for x in docs if x), key=lambda x: (-x.year, x.area, x.id))),
            unit_kinds=tuple(unit_kinds),
            readings=tuple(sorted(readings.items())),
            redirects=redirects, search_terms=search_terms, variants=variants,
        )

    def _redirects(self, path: Path, docs) -> tuple[tuple[str, str], ...]:
        if not path.exists():
            return ()
        loaded = self._load(path, schema.REDIRECTS_FILE)
        out = []
        anchors = {d.id: {p.id for p in d.all_points} | {t.id for t in d.tasks} for d in docs if d}
        for rec in loaded.rec.get("redirects", []) if loaded else []:
            if not {"from", "to"} <= rec.keys():
                continue
            old, new = rec["from"], rec["to"]
            problem = ""
            if old.startswith("/") or "://" in old or new.startswith("/") or "://" in new:
                problem = "要写相对于网站根目录的网址（不以 / 开头，不写域名）"
            elif "#" in old:
                page, _, _ = old.partition("#")
                to_page, _, anchor = new.partition("#")
                doc_id = page.strip("/").split("/")[-1]
                if page != to_page or not anchor:
                    problem = "是锚点跳转，目标必须是同一页面的锚点"
                elif not page.startswith("documents/") or doc_id not in anchors or anchor not in anchors[doc_id]:
                    problem = "的目标锚点不存在"
            elif not old.endswith("/") or not (new.endswith("/") or "/#" in new):
                problem = "的网址要以 / 结尾"
            if problem:
                self.report.add("E157", rec.pos, value=f"{old} → {new}", problem=problem)
                continue
            out.append((old, new))
        return tuple(out)

    # -- registries --------------------------------------------------------
    def _dup(self, seen: dict[str, Pos], what: str, id_: str, pos: Pos) -> bool:
        if id_ in seen:
            other = seen[id_]
            self.report.add("E141", pos, what=what, value=id_, other=f"{other.file}:{other.line}")
            return True
        seen[id_] = pos
        return False

    def _areas(self, loaded: _Loaded | None) -> dict[str, Area]:
        out: dict[str, Area] = {}
        seen: dict[str, Pos] = {}
        for i, rec in enumerate(loaded.rec.get("areas", []) if loaded else []):
            if {"id", "name", "level"} <= rec.keys() and not self._dup(seen, "区域", rec["id"], rec.pos):
                out[rec["id"]] = Area(rec["id"], rec["name"], rec["level"], tuple(rec.get("aliases", ())))
        self.area_names = {a.id: a.name for a in out.values()}
        return out

    def _themes(self, loaded: _Loaded | None) -> dict[str, Theme]:
        out: dict[str, Theme] = {}
        seen: dict[str, Pos] = {}
        recs = loaded.rec.get("themes", []) if loaded else []
        for i, rec in enumerate(recs):
            if {"id", "name", "description"} <= rec.keys() and not self._dup(seen, "主题", rec["id"], rec.pos):
                out[rec["id"]] = Theme(rec["id"], rec["name"], rec["description"], bool(rec.get("core")), i)
        return out

    def _regions(self, loaded: _Loaded | None) -> dict[str, Region]:
        out: dict[str, Region] = {}
        seen: dict[str, Pos] = {}

        def visit(rec: Rec, parent: str | None, depth: int) -> None:
            if not {"id", "name"} <= rec.keys() or self._dup(seen, "地区", rec["id"], rec.pos):
                return
            out[rec["id"]] = Region(rec["id"], rec["name"], tuple(rec.get("aliases", ())), parent, depth, len(out))
            for child in rec.get("children", []):
                visit(child, rec["id"], depth + 1)

        for rec in loaded.rec.get("regions", []) if loaded else []:
            visit(rec, None, 0)
        self.region_names: dict[str, str] = {}
        name_pos: dict[str, str] = {}
        for r in out.values():
            for name in r.names:
                if name in self.region_names and self.region_names[name] != r.id:
                    self.report.add("E155", seen[r.id], value=name, first=self.region_names[name], second=r.id)
                    continue
                self.region_names[name] = r.id
                name_pos[name] = r.id
        return out

    def _units(self, paths: list[Path], areas: dict[str, Area], kinds: list[str]) -> dict[str, tuple[Unit, Pos]]:
        out: dict[str, tuple[Unit, Pos]] = {}
        seen: dict[str, Pos] = {}
        pending_parents: list[tuple[Unit, Pos]] = []
        pending_members: list[tuple[Rec, Covers]] = []
        for path in paths:
            loaded = self._load(path, schema.UNITS_FILE)
            if not loaded:
                continue
            area = loaded.rec.get("area")
            if area and area not in areas:
                self._unknown_ref(loaded.rec.at("area"), "区域", area, list(areas))
            file_parent = loaded.rec.get("parent")
            for rec in loaded.rec.get("units", []):
                if not {"id", "name", "kind"} <= rec.keys():
                    continue
                if rec["kind"] not in kinds:
                    self.report.add("E120", rec.at("kind"), key="kind", value=rec["kind"], allowed="、".join(kinds))
                if self._dup(seen, "单位", rec["id"], rec.at("id")):
                    continue
                collective = rec["kind"] in self.collective_kinds
                covers = None
                if "covers" in rec:
                    c = rec["covers"]
                    if not collective:
                        self.report.add("E158", rec.at("covers"), value=rec["name"], kind=rec["kind"],
                                        allowed="、".join(sorted(self.collective_kinds)) or "（无）")
                    for i, k in enumerate(c.get("kinds", [])):
                        if k not in kinds:
                            self.report.add("E120", c["kinds"].poss[i], key="kinds", value=k, allowed="、".join(kinds))
                    covers = Covers(tuple(c.get("kinds", ())), tuple(c.get("members", ())), bool(c.get("all")))
                    if covers.members:
                        pending_members.append((rec, covers))
                unit = Unit(rec["id"], rec["name"], rec["kind"], area or "", tuple(rec.get("aliases", ())),
                            rec.get("parent", file_parent), rec.get("note", ""), loaded.path,
                            collective=collective, covers=covers)
                out[unit.id] = (unit, rec.pos)
                if unit.parent:
                    pending_parents.append((unit, rec.at("parent") if "parent" in rec else loaded.rec.at("parent")))
        for unit, pos in pending_parents:
            if unit.parent not in out:
                self.report.add("E154", pos, value=unit.parent, suggestion=_suggest(unit.parent, list(out)))
        for rec, covers in pending_members:
            this = out[rec["id"]][0] if rec["id"] in out else None
            members = rec["covers"]["members"]
            for i, mid in enumerate(members):
                member = out.get(mid, (None,))[0]
                if member is None or this is None or member.collective or (member.area, member.parent) != (
                        this.area, this.parent):
                    scope = [u.id for u, _ in out.values() if this and not u.collective
                             and (u.area, u.parent) == (this.area, this.parent)]
                    self.report.add("E159", members.poss[i], value=mid, name=rec["name"],
                                    suggestion=_suggest(mid, scope))
        # name → unit id, per scope (area, parent)
        self.unit_scopes: dict[tuple[str, str | None], dict[str, str]] = {}
        for unit, pos in out.values():
            scope = self.unit_scopes.setdefault((unit.area, unit.parent), {})
            for name in unit.names:
                if name in scope and scope[name] != unit.id:
                    self.report.add("E143", pos, value=name, first=scope[name], second=unit.id)
                    continue
                scope[name] = unit.id
        return out

    def _unknown_ref(self, pos: Pos, what: str, value: str, choices: list[str]) -> None:
        self.report.add("E149", pos, what=what, value=value, suggestion=_suggest(value, choices))

    # -- documents ---------------------------------------------------------
    def _documents(self, paths: list[Path], *refs) -> list[Document | None]:
        """Every document, in order. A large project's documents are validated in two processes, half each:
        the second half in a forked copy of this validator, whose documents and diagnostics come back in
        order (the same result as one process, about 40% sooner)."""
        half = len(paths) // 2
        if half < PARALLEL_DOCUMENTS:
            return [self._document(p, *refs) for p in paths]
        second = forking.fork_call(self._documents_apart, paths[half:], refs)
        try:
            docs = [self._document(p, *refs) for p in paths[:half]]
        except BaseException:
            second.cancel()
            raise
        more, report = second()
        self.report.extend(report)
        return docs + more

    def _documents_apart(self, paths: list[Path], refs) -> tuple[list[Document | None], Report]:
        self.report = Report()  # in the forked copy: only this half's diagnostics go back
        return [self._document(p, *refs) for p in paths], self.report

    def _document(self, path: Path, areas, units, themes, regions, doc_kinds) -> Document | None:
        loaded = self._load(path, schema.DOCUMENT)
        if not loaded:
            return None
        rec, rel = loaded.rec, loaded.path
        if "id" in rec and path.stem != rec["id"]:
            self.report.add("E151", rec.at("id"), name=path.name, value=rec["id"])
        required = {f.name for f in schema.DOCUMENT.fields if f.required}
        if not required <= rec.keys():
            return None
        ok = True
        if rec["area"] not in areas:
            self._unknown_ref(rec.at("area"), "区域", rec["area"], list(areas))
            ok = False
        if rec["issuer"] not in units:
            self._unknown_ref(rec.at("issuer"), "发文机关单位", rec["issuer"], list(units))
            ok = False
        if rec["kind"] not in doc_kinds:
            self.report.add("E120", rec.at("kind"), key="kind", value=rec["kind"], allowed="、".join(doc_kinds))
        fulltext_path = self.data / "fulltext" / f"{rec['id']}.txt"
        fulltext = ""
        if fulltext_path.exists():
            try:
                fulltext = fulltext_path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
            except UnicodeDecodeError:
                self.report.add("E101", Pos(self._rel(fulltext_path)), detail="")
        else:
            self.report.add("E153", rec.at("id"), path=self._rel(fulltext_path))
        if not ok:
            return None
        ctx = _DocContext(self, rec, rel, units, themes, regions, fulltext, self._rel(fulltext_path))
        doc = ctx.build()
        if not any(d.file in (rel, ctx.ft_rel) for d in self.report.errors):
            ctx.coverage()  # only meaningful when every fragment of the document was readable
        return doc


def _spaced(ref: str) -> str:
    """``工作要点 4`` followed by Chinese: a space after the figure, as before it."""
    return ref + " " if ref[-1:].isdigit() else ref


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _suggest(value: str, choices: list[str]) -> str:
    near = difflib.get_close_matches(value, choices, n=3, cutoff=0.4)
    return f"是不是“{'”“'.join(near)}”？" if near else ""


class _DocContext:
    """Builds one document, resolving its unit, theme and region names."""

    def __init__(self, v: Validator, rec: Rec, rel: str, units, themes, regions, fulltext: str, ft_rel: str):
        self.v, self.rec, self.rel = v, rec, rel
        self.units, self.themes, self.regions = units, themes, regions
        self.fulltext, self.ft_norm, self.ft_rel = fulltext, norm(fulltext), ft_rel
        self.ids: dict[str, Pos] = {}
        self.fragments: list[str] = []
        issuer = units[rec["issuer"]][0]
        area = rec["area"]
        chain = []
        u: Unit | None = issuer
        while u is not None:  # the issuer's own internal units, then its parents' …
            chain.append((u.area, u.id))
            u = units[u.parent][0] if u.parent and u.parent in units else None
        chain += [(area, None), ("shanghai", None)]
        self.scopes = [v.unit_scopes.get(key, {}) for key in chain]
        self.scope_name = f"{v.area_names.get(area, area)}（及{issuer.name}）"
        self.theme_names = {t.name: t.id for t in themes.values()} | {t.id: t.id for t in themes.values()}

    # fidelity -------------------------------------------------------------
    def fidelity(self, text: str, pos: Pos, what: str) -> None:
        if not text:
            return
        self.fragments.append(text)
        if not self.fulltext:
            return
        n = norm(text)
        if n in self.ft_norm:
            return
        lo, hi = 0, len(n)
        while lo < hi:  # longest prefix that still occurs
            mid = (lo + hi + 1) // 2
            if n[:mid] in self.ft_norm:
                lo = mid
            else:
                hi = mid - 1
        snippet = n[max(0, lo - 8): lo + 8]
        detail = f"从第 {lo + 1} 个字起不一致（附近：“{snippet}”）" if lo else "开头就不一致"
        self.v.report.add("E152", pos, what=what, fulltext=self.ft_rel, detail=detail)

    # resolution -------------------------------------------------------------
    def unit_refs(self, rec: Rec, key: str, units_text: str | None) -> tuple[UnitRef, ...]:
        out = []
        names: Lst = rec.get(key, Lst())
        for i, name in enumerate(names):
            pos = names.poss[i]
            uid = next((s[name] for s in self.scopes if name in s), None)
            if uid is None:
                known = sorted({n for s in self.scopes for n in s})
                self.v.report.add("E142", pos, value=name, scope=self.scope_name, suggestion=_suggest(name, known))
                continue
            if units_text is not None and name not in units_text:
                self.v.report.add("E148", pos, value=name, units_text=units_text)
            out.append(UnitRef(name, uid))
        return tuple(out)

    def theme_ids(self, rec: Rec) -> tuple[str, ...]:
        out = []
        names: Lst = rec.get("themes", Lst())
        for i, name in enumerate(names):
            if name not in self.theme_names:
                self.v.report.add("E144", names.poss[i], value=name,
                                  allowed="、".join(t.name for t in self.themes.values()))
                continue
            if self.theme_names[name] not in out:
                out.append(self.theme_names[name])
        return tuple(out)

    def region_ids(self, rec: Rec) -> tuple[str, ...]:
        out = []
        names: Lst = rec.get("regions", Lst())
        for i, name in enumerate(names):
            rid = self.v.region_names.get(name)
            if rid is None:
                self.v.report.add("E145", names.poss[i], value=name,
                                  suggestion=_suggest(name, list(self.v.region_names)))
                continue
            if rid not in out:
                out.append(rid)
        return tuple(out)

    def targets(self, rec: Rec, text: str, where: str, point: Point | None = None,
                is_task: bool = False) -> tuple[Target, ...]:
        """The targets of a point or (``is_task``) a task, whose work point (if it has one) is ``point``."""
        out = []
        for t in rec.get("targets", []):
            if not {"phrase", "value", "unit", "counts"} <= t.keys():
                continue
            if t["phrase"] not in text:
                self.v.report.add("E147", t.at("phrase"), what="量化指标短语", value=t["phrase"], where=where)
                continue
            target = Target(t["phrase"], t["value"], t["unit"], t["counts"], t.get("comparator", ""),
                            t.get("per", ""), bool(t.get("additive")), t.get("restates", ""))
            if target.additive and target.rate:
                self.v.report.add("E161", t.at("additive"), value=target.phrase)
            elif target.additive and target.per:
                self.v.report.add("E162", t.at("additive"), value=target.phrase, per=target.per)
            self._restatement(t, target, point, is_task)
            out.append(target)
        return tuple(out)

    def _restatement(self, t: Rec, target: Target, point: Point | None, is_task: bool) -> None:
        """A task's target that repeats its work point's target says so (``restates``), and says it right."""
        mine = point.targets if point is not None else ()
        if target.restates:
            problem = ""
            if not is_task:
                problem = "只有任务分解表中的任务才写 restates（它指向所分解的工作要点中的指标）"
            elif point is None:
                problem = "这个任务没有写所分解的工作要点（point），无从重述"
            else:
                same = [x for x in mine if x.phrase == target.restates]
                if not same:
                    problem = f"所分解的{_spaced(point.ref)}中没有这个指标" + (
                        f"（它的指标：{'；'.join(x.phrase for x in mine)}）" if mine else "（它没有录入指标）")
                elif (same[0].value, same[0].unit) != (target.value, target.unit):
                    problem = (f"两处的数值或单位不同（工作要点：{_num(same[0].value)}{same[0].unit}；"
                               f"任务：{_num(target.value)}{target.unit}），不是同一指标的重述")
            if problem:
                self.v.report.add("E163", t.at("restates"), value=target.restates, problem=problem)
            return
        if is_task and not t.get("distinct"):
            same = [x for x in mine if (x.value, x.unit) == (target.value, target.unit)]
            if same:
                self.v.report.add("E160", t.at("phrase"), value=target.phrase, label=_spaced(point.ref),
                                  candidates="”或“".join(x.phrase for x in same))

    def deadlines(self, rec: Rec, text: str, where: str) -> tuple[Deadline, ...]:
        out = []
        for d in rec.get("deadlines", []):
            if "phrase" not in d:
                continue
            found = [k for k in ("due", "repeat", "within_days") if k in d]
            if len(found) != 1:
                self.v.report.add("E150", d.pos, value=d["phrase"], found="、".join(found) or "都没有")
                continue
            if d["phrase"] not in text:
                self.v.report.add("E147", d.at("phrase"), what="时限短语", value=d["phrase"], where=where)
                continue
            out.append(Deadline(d["phrase"], d.get("due"), d.get("repeat"), d.get("day"), d.get("within_days"),
                                d.get("after", "")))
        return tuple(out)

    def unique(self, what: str, rec: Rec) -> None:
        if "id" in rec and rec["id"] in self.ids:
            other = self.ids[rec["id"]]
            self.v.report.add("E141", rec.at("id"), what=what, value=rec["id"], other=f"{other.file}:{other.line}")
        elif "id" in rec:
            self.ids[rec["id"]] = rec.at("id")

    # building ---------------------------------------------------------------
    def point(self, rec: Rec, path: tuple[str, ...], counted: bool) -> Point | None:
        kind = "工作要点" if counted else "条目"
        self.unique(kind, rec)
        if not {"id", "label", "text"} <= rec.keys():
            return None
        title, text = rec.get("title", ""), rec["text"]
        where = f"{kind} {rec['label']}"
        self.fidelity(rec["label"], rec.at("label"), f"{where} 的编号")
        self.fidelity(title, rec.at("title"), f"{where} 的标题")
        for para in text.split("\n"):
            self.fidelity(para, rec.at("text"), f"{where} 的正文")
        units_text = rec.get("units_text")
        self.fidelity(units_text or "", rec.at("units_text"), f"{where} 的单位行")
        return Point(
            id=rec["id"], doc=self.rec["id"], label=rec["label"], title=title, text=text,
            section_path=path, units_text=units_text or "",
            lead=self.unit_refs(rec, "lead", units_text), responsible=self.unit_refs(rec, "responsible", units_text),
            themes=self.theme_ids(rec), regions=self.region_ids(rec),
            targets=self.targets(rec, text, where), deadlines=self.deadlines(rec, text, where),
            notes=tuple(rec.get("notes", ())), counted=counted, line=rec.pos.line,
            title_alone=bool(rec.get("title_alone")),
        )

    def section(self, rec: Rec, path: tuple[str, ...], depth: int, framing: str = "") -> Section | None:
        """A section; ``framing``: the title of the part of general requirements or safeguards it is in, if any
        (its entries are items, not work points: the counting rule of data/vocab.yml ``item_parts``)."""
        self.unique("章节", rec)
        if not {"id", "label", "title"} <= rec.keys():
            return None
        here = (*path, rec["id"])
        heading = rec["label"] + rec["title"]
        if not framing and any(word in rec["title"] for word in self.v.item_parts):
            framing = heading
        if framing and rec.get("points"):
            self.v.report.add("E164", rec.at("points"), section=heading, problem=f"属于“{framing}”（总体要求或保障措施类的部分）",
                              key="points", other="items", what="条目，不计入工作要点")
        elif not framing and rec.get("items"):
            self.v.report.add("E164", rec.at("items"), section=heading, problem="不是总体要求或保障措施类的部分",
                              key="items", other="points", what="工作要点")
        self.fidelity(rec["label"] + rec["title"], rec.at("title"), f"章节 {rec['label']}{rec['title']}")
        for i, para in enumerate(rec.get("paragraphs", [])):
            for line in para.split("\n"):
                self.fidelity(line, rec["paragraphs"].poss[i], "段落")
        kids = [self.section(s, here, depth + 1, framing) for s in rec.get("sections", [])]
        points = [self.point(p, here, True) for p in rec.get("points", [])]
        items = [self.point(p, here, False) for p in rec.get("items", [])]
        return Section(rec["id"], rec["label"], rec["title"], tuple(rec.get("paragraphs", ())),
                       tuple(k for k in kids if k), tuple(p for p in points if p), tuple(p for p in items if p), depth)

    def task(self, rec: Rec, annex: str, points: dict[str, Point]) -> Task | None:
        self.unique("任务", rec)
        if not {"id", "no", "area", "text"} <= rec.keys():
            return None
        where = f"任务 {rec['no']}"
        for para in rec["text"].split("\n"):
            self.fidelity(para, rec.at("text"), f"{where} 的文字")
        self.fidelity(rec["area"], rec.at("area"), f"{where} 的“工作要点”栏")
        units = [*rec.get("lead", ()), *rec.get("responsible", ())]
        self.fidelity("".join(units), rec.at("lead" if "lead" in rec else "responsible"), f"{where} 的单位栏")
        if "point" in rec and rec["point"] not in points:
            self.v.report.add("E146", rec.at("point"), value=rec["point"], suggestion=_suggest(rec["point"], sorted(points)))
        return Task(
            id=rec["id"], doc=self.rec["id"], annex=annex, no=rec["no"], area=rec["area"], text=rec["text"],
            point=rec.get("point"), lead=self.unit_refs(rec, "lead", None),
            responsible=self.unit_refs(rec, "responsible", None), themes=self.theme_ids(rec),
            regions=self.region_ids(rec),
            targets=self.targets(rec, rec["text"], where, points.get(rec.get("point", "")), is_task=True),
            deadlines=self.deadlines(rec, rec["text"], where), notes=tuple(rec.get("notes", ())),
        )

    def build(self) -> Document:
        r = self.rec
        for key in ("title", "doc_number"):
            self.fidelity(r[key], r.at(key), {"title": "标题", "doc_number": "发文字号"}[key])
        for key, what in (("header", "版头"), ("preamble", "导语"), ("closing", "结束语"), ("signature", "落款"),
                          ("end_matter", "文末")):
            for i, line in enumerate(r.get(key, [])):
                for piece in line.split("\n"):
                    self.fidelity(piece, r[key].poss[i], what)
        notice = None
        if "notice" in r and {"title", "paragraphs"} <= r["notice"].keys():
            n = r["notice"]
            self.fidelity(n["title"], n.at("title"), "通知标题")
            for key in ("paragraphs", "signature"):
                for i, line in enumerate(n.get(key, [])):
                    for piece in line.split("\n"):
                        self.fidelity(piece, n[key].poss[i], "通知")
            notice = Notice(n["title"], tuple(n["paragraphs"]), tuple(n.get("signature", ())))
        parts = tuple(s for s in (self.section(p, (), 0) for p in r.get("parts", [])) if s)
        points = {p.id: p for s in parts for p in _walk_points(s)}
        annexes = []
        for a in r.get("annexes", []):
            self.unique("附件", a)
            if not {"id", "label", "title", "tasks"} <= a.keys():
                continue
            self.fidelity(a["label"], a.at("label"), "附件标签")
            self.fidelity(a["title"], a.at("title"), "附件标题")
            tasks = tuple(t for t in (self.task(t, a["id"], points) for t in a["tasks"]) if t)
            annexes.append(Annex(a["id"], a["label"], a["title"], tasks, tuple(a.get("notes", ()))))
        return Document(
            id=r["id"], title=r["title"], kind=r["kind"], issuer=r["issuer"], level=r["level"], area=r["area"],
            doc_number=r["doc_number"], date=r["date"], year=r["year"], units_layout=r["units_layout"],
            parts=parts, source=self.rel, printed=r.get("printed"), publicity=r.get("publicity", ""),
            regions=self.region_ids(r), header=tuple(r.get("header", ())), notice=notice,
            preamble=tuple(r.get("preamble", ())), closing=tuple(r.get("closing", ())), signature=tuple(r.get("signature", ())),
            end_matter=tuple(r.get("end_matter", ())), annexes=tuple(annexes), notes=tuple(r.get("notes", ())),
            fulltext=self.fulltext,
        )

    def coverage(self) -> None:
        """Report full-text lines that no recorded fragment covers (so the page would lose them)."""
        if not self.fulltext:
            return
        frags = sorted({n for n in map(norm, self.fragments) if n}, key=len, reverse=True)
        for n, line in enumerate(self.fulltext.split("\n"), start=1):
            rest = norm(line)
            for f in frags:
                if f in rest:
                    rest = rest.replace(f, "")
            rest = _LEFTOVER.sub("", rest)
            if rest:
                self.v.report.add("E156", Pos(self.ft_rel, n, 1), snippet=rest[:30])


# What may remain of a full-text line once every recorded fragment is removed: task and table
# numbering, unit lists of tables, punctuation between fragments, and the table header.
_LEFTOVER = re.compile(r"序号工作要点具体任务牵头单位责任单位|\d+\.?|[。，、；：:;,.（）()]")


def _walk_points(sec: Section):
    yield from sec.points
    yield from sec.items
    for child in sec.sections:
        yield from _walk_points(child)


def validate_project(root: Path) -> tuple[Dataset | None, Report]:
    """Validate the project at ``root``; return the dataset (None on errors) and the report."""
    v = Validator(root)
    ds = v.run()
    return ds, v.report
