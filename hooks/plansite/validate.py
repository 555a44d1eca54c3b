"""Read every data file, check it, and build the immutable :class:`~plansite.model.Dataset`.

All problems are collected into one :class:`~plansite.errors.Report`; the dataset is only
returned when there is no error, so nothing downstream ever sees half-valid data.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from . import files, forking, schema
from .errors import Pos, Report, suggest
from .load import decode, invisible_chars, load_file, read_data, value_pos
from .model import LEVEL_NAMES, Area, Covers, Dataset, Document, Region, Theme, Unit
from .redirects import Redirect, check_pages, page_urls
from .redirects import problem as redirect_problem
from .scaffold import PLACEHOLDER, TEMPLATE_NOTE
from .searchwords import load_search_words
from .shape import Rec, convert, strings
from .slug import register_readings
from .validate_document import DocumentChecker

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


@dataclass
class _Loaded:
    path: str
    rec: Rec
    text: str  # the file's text, as read


class Validator:
    """Builds a dataset from a project folder, recording every problem."""

    def __init__(self, root: Path, data_dir: str = "data") -> None:
        self.root = root
        self.data = root / data_dir
        self.report = Report()
        # What the registries say, set while they are read (run) and read by the checks that come after them
        # (the document checks, the search words); empty until then.
        self.fulltexts: dict[str, Path] = {}  # document id → its full-text file
        self.sources: dict[str, Path] = {}  # document id → its source text as received
        self.levels_asked: set[str] = set()  # issuers already reported for a missing doc_level (E189 once each)
        self.broken: set[str] = set()  # registries that could not be read (their references are not reported)
        self.item_parts: tuple[str, ...] = ()  # the counting rule's words (vocab.yml item_parts)
        self.collective_kinds: set[str] = set()  # unit kinds that are 统称
        self.area_names: dict[str, str] = {}
        self.area_abbrs: tuple[str, ...] = ()
        self.city_areas: tuple[str, ...] = ()  # areas of level city: their units are names in every document
        self.region_names: dict[str, str] = {}  # a region's name or alias → its id
        self.unit_scopes: dict[tuple[str, str | None], dict[str, str]] = {}  # (area, parent) → name → unit id

    # -- loading -----------------------------------------------------------
    def _load(self, path: Path, struct: schema.Struct, missing_ok: bool = False) -> _Loaded | None:
        src = load_file(path, self.root, self.report, missing_ok)
        if src.root is None:
            return None
        rec = convert(src.root, struct, self.report)
        return _Loaded(src.path, rec, src.text) if rec is not None else None

    def readings(self) -> dict[str, str]:
        """Register the corrected readings of data/pinyin.yml (if there is one) for every pinyin made from now on;
        return them. A reading that is not one toneless syllable per character is E128 and not registered."""
        loaded = self._load(self.data / "pinyin.yml", schema.PINYIN_FILE, missing_ok=True)
        readings: dict[str, str] = {}
        rec = loaded.rec.get("readings", {}) if loaded else {}
        for phrase, reading in rec.items():
            problem = _reading_problem(phrase, reading)
            if problem:
                self.report.add("E128", rec.at(phrase), phrase=phrase, reading=reading, problem=problem)
            else:
                readings[phrase] = reading
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
        found = files.find(self.root, d, self.report)
        if found is None:
            return None
        self.fulltexts = found.fulltexts
        self.sources = found.sources
        self.levels_asked = set()
        vocab = self._load(d / "vocab.yml", schema.VOCAB_FILE)
        readings = self.readings()
        loaded = {
            name: self._load(d / f"{name}.yml", struct)
            for name, struct in (
                ("areas", schema.AREAS_FILE),
                ("themes", schema.THEMES_FILE),
                ("regions", schema.REGIONS_FILE),
            )
        }
        # a registry that could not be read is reported once, not again at every reference to one of its entries
        self.broken = {name for name, x in loaded.items() if x is None} | ({"vocab"} if vocab is None else set())
        areas = self._areas(loaded["areas"])
        themes = self._themes(loaded["themes"])
        regions = self._regions(loaded["regions"])
        doc_kinds = [k["name"] for k in (vocab.rec.get("document_kinds", []) if vocab else []) if "name" in k]
        self.item_parts = tuple(vocab.rec.get("item_parts", ()) if vocab else ())
        unit_kinds = [k["name"] for k in (vocab.rec.get("unit_kinds", []) if vocab else []) if "name" in k]
        self.collective_kinds = {
            k["name"] for k in (vocab.rec.get("unit_kinds", []) if vocab else []) if "name" in k and k.get("collective")
        }
        units = self._units(found.units, areas, unit_kinds)
        docs = self._documents(found.documents, areas, units, themes, regions, doc_kinds)
        search_terms, variants = load_search_words(self, themes, regions, areas, units)
        seen: dict[str, str] = {}
        for doc in docs:
            if doc is None:
                continue
            if doc.id in seen:
                self.report.add("E141", Pos(doc.source), what="文件", value=doc.id, other=seen[doc.id])
            seen[doc.id] = doc.source
        redirects = self._redirects(d / "redirects.yml")
        if not self.report.ok:
            return None
        ds = Dataset(
            areas=tuple(areas.values()),
            units=tuple(u for u, _ in units.values()),
            themes=tuple(themes.values()),
            regions=tuple(regions.values()),
            documents=tuple(sorted((x for x in docs if x), key=lambda x: (-x.year, x.area, x.id))),
            unit_kinds=tuple(unit_kinds),
            readings=tuple(sorted(readings.items())),
            redirects=tuple((r.old, r.new) for r in redirects),
            search_terms=search_terms,
            variants=variants,
        )
        if redirects:
            self._redirect_targets(ds, redirects)
        return ds if self.report.ok else None

    def _redirects(self, path: Path) -> list[Redirect]:
        """The redirects of data/redirects.yml whose form is right (E157 for the others)."""
        loaded = self._load(path, schema.REDIRECTS_FILE, missing_ok=True)
        out = []
        for rec in loaded.rec.get("redirects", []) if loaded else []:
            if not {"from", "to"} <= rec.keys():
                continue
            old, new = rec["from"], rec["to"]
            problem = redirect_problem(old, new)
            if problem:
                self.report.add("E157", rec.pos, value=f"{old} → {new}", problem=problem)
                continue
            out.append(Redirect(old, new, rec.pos))
        return out

    def _redirect_targets(self, ds: Dataset, redirects: list[Redirect]) -> None:
        """Check every redirect against the pages the site will have (E185, E186): planned as a build plans them."""
        from .index import build_index
        from .pages import Site

        plan = Site(ds, build_index(ds)).plan()
        pages = page_urls(self.root, [spec.path for spec in plan])
        points = {d.id: {p.id for p in d.all_points} for d in ds.documents}
        ids = {
            d.id: points[d.id] | {t.id for t in d.tasks} | {s.id for s in d.walk_sections()} | {a.id for a in d.annexes}
            for d in ds.documents
        }
        check_pages(redirects, pages, points, ids, self.report)

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
        for rec in loaded.rec.get("areas", []) if loaded else []:
            if {"id", "name", "level"} <= rec.keys() and not self._dup(seen, "区域", rec["id"], rec.pos):
                out[rec["id"]] = Area(
                    rec["id"], rec["name"], rec["level"], tuple(rec.get("aliases", ())), rec.get("abbr", "")
                )
        self.area_names = {a.id: a.name for a in out.values()}
        self.area_abbrs = tuple(a.abbr for a in out.values() if a.abbr)
        self.city_areas = tuple(a.id for a in out.values() if a.level == "city")
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
            out[rec["id"]] = Region(
                rec["id"], rec["name"], tuple(rec.get("aliases", ())), parent, depth, len(out), rec.get("abbr", "")
            )
            for child in rec.get("children", []):
                visit(child, rec["id"], depth + 1)

        for rec in loaded.rec.get("regions", []) if loaded else []:
            visit(rec, None, 0)
        self.region_names = {}
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
        pending_members: list[Rec] = []  # collectives whose covers lists members, checked once all are read
        for path in paths:
            loaded = self._load(path, schema.UNITS_FILE)
            if not loaded:
                continue
            area = loaded.rec.get("area")
            if area and area not in areas and "areas" not in self.broken:
                self._unknown_ref(loaded.rec.at("area"), "区域", area, list(areas))
            file_parent = loaded.rec.get("parent")
            for rec in loaded.rec.get("units", []):
                if not {"id", "name", "kind"} <= rec.keys():
                    continue
                if rec["kind"] not in kinds and "vocab" not in self.broken:
                    self.report.add("E120", rec.at("kind"), key="kind", value=rec["kind"], allowed="、".join(kinds))
                if self._dup(seen, "单位", rec["id"], rec.at("id")):
                    continue
                collective = rec["kind"] in self.collective_kinds
                covers = None
                if "covers" in rec:
                    c = rec["covers"]
                    if not collective:
                        self.report.add(
                            "E158",
                            rec.at("covers"),
                            value=rec["name"],
                            kind=rec["kind"],
                            allowed="、".join(sorted(self.collective_kinds)) or "（无）",
                        )
                    for i, k in enumerate(c.get("kinds", [])):
                        if k not in kinds:
                            self.report.add("E120", c["kinds"].poss[i], key="kinds", value=k, allowed="、".join(kinds))
                    covers = Covers(tuple(c.get("kinds", ())), tuple(c.get("members", ())), bool(c.get("all")))
                    if covers.members:
                        pending_members.append(rec)
                level = rec.get("doc_level", "")
                if level and area in areas and (level == "city") != (areas[area].level == "city"):
                    self.report.add(
                        "E190",
                        rec.at("doc_level"),
                        value=level,
                        name=rec["name"],
                        area=areas[area].name,
                        area_level=LEVEL_NAMES[areas[area].level],
                        allowed="city" if areas[area].level == "city" else "district 或 department",
                    )
                unit = Unit(
                    rec["id"],
                    rec["name"],
                    rec["kind"],
                    area or "",
                    tuple(rec.get("aliases", ())),
                    rec.get("parent", file_parent),
                    rec.get("note", ""),
                    loaded.path,
                    collective=collective,
                    covers=covers,
                    doc_level=level,
                )
                out[unit.id] = (unit, rec.pos)
                if unit.parent:
                    pending_parents.append((unit, rec.at("parent") if "parent" in rec else loaded.rec.at("parent")))
        for unit, pos in pending_parents:
            if unit.parent not in out:
                self.report.add("E154", pos, value=unit.parent, suggestion=suggest(unit.parent, list(out)))
        for rec in pending_members:
            this = out[rec["id"]][0] if rec["id"] in out else None
            members = rec["covers"]["members"]
            for i, mid in enumerate(members):
                member = out.get(mid, (None,))[0]
                if (
                    member is None
                    or this is None
                    or member.collective
                    or (member.area, member.parent) != (this.area, this.parent)
                ):
                    scope = [
                        u.id
                        for u, _ in out.values()
                        if this and not u.collective and (u.area, u.parent) == (this.area, this.parent)
                    ]
                    self.report.add(
                        "E159", members.poss[i], value=mid, name=rec["name"], suggestion=suggest(mid, scope)
                    )
        # name → unit id, per scope (area, parent)
        self.unit_scopes = {}
        for unit, pos in out.values():
            scope = self.unit_scopes.setdefault((unit.area, unit.parent), {})
            for name in unit.names:
                if name in scope and scope[name] != unit.id:
                    self.report.add("E143", pos, value=name, first=scope[name], second=unit.id)
                    continue
                scope[name] = unit.id
        return out

    def _unknown_ref(self, pos: Pos, what: str, value: str, choices: list[str]) -> None:
        self.report.add("E149", pos, what=what, value=value, suggestion=suggest(value, choices))

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

    def _fulltext(self, path: Path, rec: Rec) -> str:
        """The full text of a document, LF line ends; empty when it has a problem (reported): missing (E153), empty
        (E129), not UTF-8, with invisible characters, a link, too large, unreadable."""
        rel = self._rel(path)
        if path.stem not in getattr(self, "fulltexts", {path.stem: path}):
            try:
                path.lstat()
            except FileNotFoundError:
                self.report.add("E153", rec.at("id"), path=rel)
            except OSError:
                pass  # reported by files.find
            return ""
        data = read_data(path, self.root, self.report)
        text = decode(rel, data, self.report) if data is not None else None
        if text is None or invisible_chars(rel, text.split("\n"), self.report):
            return ""
        if not text.strip():
            self.report.add("E129", Pos(rel), path=rel)
            return ""
        return text

    def _template_left(self, loaded: _Loaded) -> None:
        """What remains of the template of ``plansite new``: its notes at the top (E168, once) and each value that is
        still a placeholder (E167)."""
        notes = [n for n, line in enumerate(loaded.text.split("\n"), start=1) if line.startswith(TEMPLATE_NOTE)]
        if notes:
            self.report.add("E168", Pos(loaded.path, notes[0], 1), count=len(notes))

        lines = loaded.text.split("\n")
        for value, node in strings(loaded.rec, loaded.rec.node):
            if PLACEHOLDER in value:
                index = value.index(PLACEHOLDER)
                self.report.add("E167", value_pos(node, index, lines), snippet=_around(value, index))

    def _placeholder_lines(self, text: str, rel: str) -> None:
        """E167 at each placeholder of the template left in a full text or source text."""
        if PLACEHOLDER not in text:
            return
        for n, line in enumerate(text.split("\n"), start=1):
            if PLACEHOLDER in line:
                col = line.index(PLACEHOLDER)
                self.report.add("E167", Pos(rel, n, col + 1), snippet=_around(line, col))

    def _issuer_agrees(self, rec: Rec, issuer: tuple[Unit, Pos], areas: dict[str, Area]) -> None:
        """The document's ``area`` is its issuer's (E187), and its ``level`` the level its issuer issues at (E188):
        the issuer's ``doc_level`` in the unit registry, or city for a unit of the city. A district's issuer that
        does not say its level is E189, once, at its registry entry."""
        unit, pos = issuer
        if rec["area"] != unit.area:
            self.report.add(
                "E187",
                rec.at("area"),
                value=rec["area"],
                issuer=unit.id,
                name=unit.name,
                expected=unit.area,
                file=unit.source,
            )
        expected = unit.doc_level or ("city" if unit.area in areas and areas[unit.area].level == "city" else "")
        if not expected:
            if unit.id not in self.levels_asked:
                self.levels_asked.add(unit.id)
                self.report.add("E189", pos, name=unit.name)  # (the same words from each process: one error)
        elif rec["level"] != expected:
            self.report.add(
                "E188",
                rec.at("level"),
                value=rec["level"],
                name=unit.name,
                expected=expected,
                expected_name=LEVEL_NAMES[expected],
                file=unit.source,
            )

    def _source(self, path: Path, rec: Rec) -> tuple[str, str]:
        """A document's source text as received (data/sources/<id>.txt): exactly as decoded, for the download that
        must give back the same bytes, and with LF line ends, for comparisons; both empty when it has a problem
        (reported): missing or empty (E166), not UTF-8, a link, too large, unreadable. Nothing else is checked: the
        text is as received, with the artefacts of its conversion, and is only ever published as a .txt file."""
        rel = self._rel(path)
        if path.stem not in getattr(self, "sources", {path.stem: path}):
            try:
                path.lstat()
            except FileNotFoundError:
                self.report.add("E166", rec.at("id"), path=rel, problem="不存在")
            except OSError:
                pass  # reported by files.find
            return "", ""
        data = read_data(path, self.root, self.report)
        text = decode(rel, data, self.report) if data is not None else None
        if text is None:
            return "", ""
        if not text.strip():
            self.report.add("E166", Pos(rel), path=rel, problem="是空的")
            return "", ""
        return data.decode("utf-8"), text

    def _documents_apart(self, paths: list[Path], refs) -> tuple[list[Document | None], Report]:
        self.report = Report()  # in the forked copy: only this half's diagnostics go back
        return [self._document(p, *refs) for p in paths], self.report

    def _document(self, path: Path, areas, units, themes, regions, doc_kinds) -> Document | None:
        loaded = self._load(path, schema.DOCUMENT)
        if not loaded:
            return None
        rec, rel = loaded.rec, loaded.path
        self._template_left(loaded)
        if "id" in rec and path.stem != rec["id"]:
            self.report.add("E151", rec.at("id"), name=path.name, value=rec["id"])
        required = {f.name for f in schema.DOCUMENT.fields if f.required}
        if not required <= rec.keys():
            return None
        ok = True
        if rec["area"] not in areas:
            if "areas" not in self.broken:
                self._unknown_ref(rec.at("area"), "区域", rec["area"], list(areas))
            ok = False
        if rec["issuer"] not in units:
            self._unknown_ref(rec.at("issuer"), "发文机关单位", rec["issuer"], list(units))
            ok = False
        if rec["kind"] not in doc_kinds and "vocab" not in self.broken:
            self.report.add("E120", rec.at("kind"), key="kind", value=rec["kind"], allowed="、".join(doc_kinds))
        if abs(rec["year"] - rec["date"].year) > 1:
            self.report.add("E184", rec.at("year"), year=rec["year"], date=rec["date"].isoformat())
        if rec.get("printed") and rec["printed"] < rec["date"]:
            self.report.add("E169", rec.at("printed"), printed=rec["printed"].isoformat(), date=rec["date"].isoformat())
        if ok:
            self._issuer_agrees(rec, units[rec["issuer"]], areas)
        fulltext_path = self.data / "fulltext" / f"{rec['id']}.txt"
        fulltext = self._fulltext(fulltext_path, rec)
        source_raw, source = self._source(self.data / "sources" / f"{rec['id']}.txt", rec)
        for text, text_path in ((fulltext, fulltext_path), (source, self.data / "sources" / f"{rec['id']}.txt")):
            self._placeholder_lines(text, self._rel(text_path))
        if not ok:
            return None
        ctx = DocumentChecker(
            self, rec, rel, units, themes, regions, fulltext, self._rel(fulltext_path), source_raw, source
        )
        doc = ctx.build()
        ctx.spaces(loaded.text.split("\n"))
        if not any(d.file in (rel, ctx.ft_rel) for d in self.report.errors):
            ctx.coverage()  # only meaningful when every fragment of the document was readable
        return doc


def _around(text: str, index: int) -> str:
    """The placeholder at ``index`` of ``text``, to its closing bracket (or 20 characters)."""
    end = text.find("】", index)
    return text[index : end + 1 if 0 <= end < index + 40 else index + 20]


_SYLLABLE = re.compile(
    r"(?:[bpmfdtnlgkhjqxrzcsyw]|zh|ch|sh)?(?:a|ai|an|ang|ao|e|ei|en|eng|er|i|ia|ian|iang|iao|ie"
    r"|in|ing|iong|iu|o|ong|ou|u|ua|uai|uan|uang|ue|ui|un|uo|v|ve|van|vn)|hm|hng|m|n|ng"
)
_HAN = re.compile(r"[\u3400-\u9fff\U00020000-\U0003134f]+")


def _reading_problem(phrase: str, reading: str) -> str:
    """What is wrong with a reading of data/pinyin.yml (empty when nothing is)."""
    if not _HAN.fullmatch(phrase):
        return "不能用：词语只能由汉字组成"
    syllables = reading.split(" ")
    if not reading or reading != reading.strip() or "" in syllables:
        return "是空的，或有多余的空格" if reading.strip() else "是空的"
    bad = [syl for syl in syllables if not _SYLLABLE.fullmatch(syl)]
    if bad:
        return f"中的“{bad[0]}”不是拼音音节"
    if len(syllables) != len(phrase):
        return f"有 {len(syllables)} 个音节，词语有 {len(phrase)} 个字"
    return ""


def validate_project(root: Path) -> tuple[Dataset | None, Report]:
    """Validate the project at ``root``; return the dataset (None on errors) and the report."""
    v = Validator(root)
    ds = v.run()
    return ds, v.report
