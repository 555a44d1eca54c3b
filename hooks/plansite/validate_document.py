"""Check one document against its full text and the registries, and build its :class:`~plansite.model.Document`.

:class:`DocumentChecker` is made by :class:`plansite.validate.Validator` for each document file once its
registries are read: it resolves the names of units, themes and regions, checks every fragment against the full
text (and that the full text is recorded completely), the targets, deadlines and the annex task tables, and
reports to the validator's :class:`~plansite.errors.Report`.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

from . import fidelity
from .errors import Pos, suggest
from .fidelity import norm
from .load import Seq, value_pos
from .markup import http_url
from .model import Annex, Deadline, Document, Notice, Point, Section, Target, Task, Unit, UnitRef
from .shape import Lst, Rec, strings

if TYPE_CHECKING:
    from .validate import Validator


def _spaced(ref: str) -> str:
    """``工作要点 4`` or ``工作要点 4.`` followed by Chinese: a space after the label, as before it."""
    return ref + " " if ref[-1:].isascii() and ref[-1:] not in ("", " ") else ref


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


class DocumentChecker:
    """Builds one document, resolving its unit, theme and region names."""

    def __init__(
        self,
        v: Validator,
        rec: Rec,
        rel: str,
        units,
        themes,
        regions,
        fulltext: str,
        ft_rel: str,
        source_raw: str = "",
        source: str = "",
    ):
        self.v, self.rec, self.rel = v, rec, rel
        self.units, self.themes, self.regions = units, themes, regions
        self.fulltext, self.ft_norm, self.ft_rel = fulltext, norm(fulltext), ft_rel
        self.source_raw, self.source = source_raw, source  # the text as received: exactly, and with LF line ends
        self.source_rel = f"data/sources/{rec['id']}.txt"
        self.ids: dict[str, Pos] = {}
        self.headings: list[str] = []  # of the sections the entry being built is in
        self.cursor, self.placed = 0, ""  # where in the full text the last entry is, and what it is (its order)
        self.taken: set[int] = set()  # where in the full text each entry placed so far starts
        self.fragments: list[str] = []
        self.fragment_pos: list[Pos] = []
        self.owners: list[str] = []  # the entry each fragment is part of (工作要点 3.“……”, 章节“……”, 导语 …)
        self.entry, self.entry_kind = "", "这段文字"  # the entry being built, and what E152 calls its text
        self.paragraphs: list[str] = []  # prose (normalised), in data order: counted against the full text
        self.rows = fidelity.table_rows(fulltext) if "\t" in fulltext else {}
        issuer = units[rec["issuer"]][0]
        area = rec["area"]
        chain = []
        u: Unit | None = issuer
        while u is not None:  # the issuer's own internal units, then its parents' …
            chain.append((u.area, u.id))
            u = units[u.parent][0] if u.parent and u.parent in units else None
        chain += [(area, None)] + [(city, None) for city in v.city_areas if city != area]
        self.scopes = [v.unit_scopes.get(key, {}) for key in chain]
        self.scope_name = f"{v.area_names.get(area, area)}（及{issuer.name}）"
        self.theme_names = {t.name: t.id for t in themes.values()} | {t.id: t.id for t in themes.values()}

    # fidelity -------------------------------------------------------------
    def fidelity(self, text: str, pos: Pos, what: str, prose: bool = False) -> None:
        if not text:
            return
        self.fragments.append(text)
        self.fragment_pos.append(pos)
        self.owners.append(self.entry or what)
        if prose:
            self.paragraphs.append(norm(text))
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
        snippet = n[max(0, lo - 8) : lo + 8]
        detail = f"从第 {lo + 1} 个字起不一致（附近：“{snippet}”）" if lo else "开头就不一致"
        self.v.report.add(
            "E152", pos, what=what, fulltext=self.ft_rel, detail=detail, entry=self.entry_kind, source=self.source_rel
        )

    def place(self, keys: list[str], pos: Pos, what: str) -> None:
        """Find an entry (a section, a point or item, a task) in the full text after the entry before it, in the
        order the site shows them; E192 when it is only before it, and the search goes on from there (one entry
        moved is one error, a whole part moved is one error at its first entry). ``keys``: its text as it may stand
        in the full text (normalised), the first found wins; an entry not in the full text at all is E152's."""
        if not self.fulltext:
            return
        keys = [k for k in keys if k]
        found = [(i, k) for k in keys if (i := self.ft_norm.find(k, self.cursor)) >= 0]
        if not found:  # only before: out of order, unless each copy there is another entry's (E182: recorded twice)
            found = [(i, k) for k in keys for i in _occurrences(self.ft_norm, k) if i not in self.taken]
            if not found:
                return
            self.v.report.add("E192", pos, what=_spaced(what), before=_spaced(self.placed))
        i, k = min(found, key=lambda x: (x[0], -len(x[1])))
        self.cursor, self.placed = i + len(k), what
        self.taken.add(i)

    # resolution -------------------------------------------------------------
    def unit_refs(self, rec: Rec, key: str, units_text: str | None) -> tuple[UnitRef, ...]:
        out = []
        names: Lst = rec.get(key, Lst())
        for i, name in enumerate(names):
            pos = names.poss[i]
            uid = next((s[name] for s in self.scopes if name in s), None)
            if uid is None:
                known = sorted({n for s in self.scopes for n in s})
                self.v.report.add("E142", pos, value=name, scope=self.scope_name, suggestion=suggest(name, known))
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
                if "themes" in self.v.broken:
                    continue
                self.v.report.add(
                    "E144", names.poss[i], value=name, allowed="、".join(t.name for t in self.themes.values())
                )
                continue
            if self.theme_names[name] not in out:
                out.append(self.theme_names[name])
        return tuple(out)

    def region_ids(self, rec: Rec, text: str | None = None, where: str = "") -> tuple[str, ...]:
        """The regions of ``rec``; when ``text`` is given (a point's, an item's or a task's), each must be named in it
        or in the heading of a section it is in (E191)."""
        out = []
        names: Lst = rec.get("regions", Lst())
        for i, name in enumerate(names):
            rid = self.v.region_names.get(name)
            if rid is None:
                if "regions" in self.v.broken:
                    continue
                self.v.report.add(
                    "E145", names.poss[i], value=name, suggestion=suggest(name, list(self.v.region_names))
                )
                continue
            if text is not None and not self.names_region(self.regions[rid], text):
                region = self.regions[rid]
                self.v.report.add(
                    "E191",
                    names.poss[i],
                    value=name,
                    where=where,
                    names="、".join(region.names),
                    abbr=f"，或一字简称“{region.abbr}”出现在两地合称中" if region.abbr else "",
                )
            if rid not in out:
                out.append(rid)
        return tuple(out)

    def names_region(self, region, text: str) -> bool:
        """``text``, or the heading of a section it is in, names ``region``: by its name or an alias, or by its
        one-character ``abbr`` in a pair's name (next to “·”, or after the abbr of the city or a district)."""
        for t in (text, *self.headings):
            if any(n in t for n in region.names):
                return True
            if region.abbr and region.abbr in t:
                a = re.escape(region.abbr)
                partner = "|".join(map(re.escape, self.v.area_abbrs))
                if re.search(f"·{a}|{a}·" + (f"|(?:{partner}){a}" if partner else ""), t):
                    return True
        return False

    def targets(
        self, rec: Rec, text: str, where: str, point: Point | None = None, is_task: bool = False
    ) -> tuple[Target, ...]:
        """The targets of a point or (``is_task``) a task, whose work point (if it has one) is ``point``."""
        out = []
        for t in rec.get("targets", []):
            if not {"phrase", "value", "unit", "counts"} <= t.keys():
                continue
            if t["phrase"] not in text:
                self.v.report.add("E147", t.at("phrase"), what="量化指标短语", value=t["phrase"], where=where)
                continue
            target = Target(
                t["phrase"],
                t["value"],
                t["unit"],
                t["counts"],
                t.get("comparator", ""),
                t.get("per", ""),
                bool(t.get("additive")),
                t.get("restates", ""),
            )
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
                        f"（它的指标：{'；'.join(x.phrase for x in mine)}）" if mine else "（它没有录入指标）"
                    )
                elif (same[0].value, same[0].unit) != (target.value, target.unit):
                    problem = (
                        f"两处的数值或单位不同（工作要点：{_num(same[0].value)}{same[0].unit}；"
                        f"任务：{_num(target.value)}{target.unit}），不是同一指标的重述"
                    )
            if problem:
                self.v.report.add("E163", t.at("restates"), value=target.restates, problem=problem)
            return
        if is_task and not t.get("distinct"):
            same = [x for x in mine if (x.value, x.unit) == (target.value, target.unit)]
            if same:
                self.v.report.add(
                    "E160",
                    t.at("phrase"),
                    value=target.phrase,
                    label=_spaced(point.ref),
                    candidates="”或“".join(x.phrase for x in same),
                )

    def target_values(self, rec: Rec, text: str) -> None:
        """E180 for a target (quoted from ``text``) whose value is not a number of its phrase."""
        for t in rec.get("targets", []):
            if (
                {"phrase", "value"} <= t.keys()
                and t["phrase"] in text
                and not fidelity.value_in(t["value"], t["phrase"])
            ):
                found = "、".join(f"{n:g}" for n in fidelity.numbers(t["phrase"])) or "没有"
                self.v.report.add("E180", t.at("value"), value=f"{t['value']:g}", phrase=t["phrase"], found=found)

    def units_match(
        self, rec: Rec, where: str, named: dict[str, list[str]], source: dict[str, str], origin: str
    ) -> None:
        """E181 when ``lead`` or ``responsible`` does not list exactly the units the original ``named`` for that role
        (not when one of the written names is already an error: rejected, unknown or not in the unit line)."""
        units_text = rec.get("units_text")
        for key, role in (("lead", "牵头单位"), ("responsible", "责任单位")):
            written = list(rec.get(key, ()))
            node = rec.value_nodes.get(key)
            if (isinstance(node, Seq) and len(node.items) != len(written)) or any(
                not any(name in scope for scope in self.scopes) or (units_text is not None and name not in units_text)
                for name in written
            ):
                continue
            if not fidelity.same_units(written, named[key]):
                self.v.report.add(
                    "E181",
                    rec.at(key),
                    where=where,
                    role=role,
                    source=source[key] or "（空）",
                    written="、".join(written) or "（空）",
                    origin=origin,
                )

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
            out.append(
                Deadline(
                    d["phrase"], d.get("due"), d.get("repeat"), d.get("day"), d.get("within_days"), d.get("after", "")
                )
            )
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
        first = text.split("\n")[0]
        self.place([norm(rec["label"] + title + first), norm(title + first), norm(first)], rec.at("label"), where)
        self.entry = f"{where}“{title}”" if title else where
        self.entry_kind = f"{kind}的文字"
        self.fidelity(rec["label"], rec.at("label"), f"{where} 的编号")
        self.fidelity(title, rec.at("title"), f"{where} 的标题")
        for para in text.split("\n"):
            self.fidelity(para, rec.at("text"), f"{where} 的正文", prose=True)
        units_text = rec.get("units_text")
        self.fidelity(units_text or "", rec.at("units_text"), f"{where} 的单位行")
        if units_text:
            named = fidelity.named_units(units_text)
            self.units_match(rec, where, named, {k: "、".join(v) for k, v in named.items()}, "见 units_text")
        self.target_values(rec, text)
        return Point(
            id=rec["id"],
            doc=self.rec["id"],
            label=rec["label"],
            title=title,
            text=text,
            section_path=path,
            units_text=units_text or "",
            lead=self.unit_refs(rec, "lead", units_text),
            responsible=self.unit_refs(rec, "responsible", units_text),
            themes=self.theme_ids(rec),
            regions=self.region_ids(rec, f"{title}{text}{units_text or ''}", where),
            targets=self.targets(rec, text, where),
            deadlines=self.deadlines(rec, text, where),
            notes=tuple(rec.get("notes", ())),
            counted=counted,
            line=rec.pos.line,
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
        self.place([norm(heading)], rec.at("label"), f"章节“{heading}”")
        self.entry, self.entry_kind = f"章节“{heading}”", "章节的标题和段落"
        if not framing and any(word in rec["title"] for word in self.v.item_parts):
            framing = heading
        if framing and rec.get("points"):
            self.v.report.add(
                "E164",
                rec.at("points"),
                section=heading,
                problem=f"属于“{framing}”（总体要求或保障措施类的部分）",
                key="points",
                other="items",
                what="条目，不计入工作要点",
            )
        elif not framing and rec.get("items"):
            self.v.report.add(
                "E164",
                rec.at("items"),
                section=heading,
                problem="不是总体要求或保障措施类的部分",
                key="items",
                other="points",
                what="工作要点",
            )
        self.fidelity(rec["label"] + rec["title"], rec.at("title"), f"章节 {rec['label']}{rec['title']}")
        for i, para in enumerate(rec.get("paragraphs", [])):
            for line in para.split("\n"):
                self.fidelity(line, rec["paragraphs"].poss[i], "段落", prose=True)
        self.headings.append(heading)
        kids = [self.section(s, here, depth + 1, framing) for s in rec.get("sections", [])]
        points = [self.point(p, here, True) for p in rec.get("points", [])]
        items = [self.point(p, here, False) for p in rec.get("items", [])]
        self.headings.pop()
        return Section(
            rec["id"],
            rec["label"],
            rec["title"],
            tuple(rec.get("paragraphs", ())),
            tuple(k for k in kids if k),
            tuple(p for p in points if p),
            tuple(p for p in items if p),
            depth,
        )

    def task(self, rec: Rec, annex: str, points: dict[str, Point]) -> Task | None:
        self.unique("任务", rec)
        if not {"id", "no", "area", "text"} <= rec.keys():
            return None
        where = f"任务 {rec['no']}"
        self.place([fidelity.norm_task(rec["text"].split("\n")[0])], rec.at("no"), where)
        self.entry, self.entry_kind = where, "任务的文字"
        for para in rec["text"].split("\n"):
            self.fidelity(para, rec.at("text"), f"{where} 的文字", prose=True)
        self.fidelity(rec["area"], rec.at("area"), f"{where} 的“工作要点”栏")
        units = [*rec.get("lead", ()), *rec.get("responsible", ())]
        self.fidelity("".join(units), rec.at("lead" if "lead" in rec else "responsible"), f"{where} 的单位栏")
        rows = self.rows.get(fidelity.norm_task(rec["text"]))
        if rows:  # its row of the table, Tab-separated: the units must be exactly its two unit cells
            row = rows[0]
            self.units_match(
                rec,
                where,
                {"lead": list(row.lead), "responsible": list(row.responsible)},
                {"lead": row.lead_cell, "responsible": row.responsible_cell},
                f"见 {self.ft_rel} 第 {row.line} 行的表格",
            )
        self.target_values(rec, rec["text"])
        if "point" in rec and rec["point"] not in points:
            self.v.report.add(
                "E146", rec.at("point"), value=rec["point"], suggestion=suggest(rec["point"], sorted(points))
            )
        return Task(
            id=rec["id"],
            doc=self.rec["id"],
            annex=annex,
            no=rec["no"],
            area=rec["area"],
            text=rec["text"],
            point=rec.get("point"),
            lead=self.unit_refs(rec, "lead", None),
            responsible=self.unit_refs(rec, "responsible", None),
            themes=self.theme_ids(rec),
            regions=self.region_ids(rec, f"{rec['area']}{rec['text']}", where),
            targets=self.targets(rec, rec["text"], where, points.get(rec.get("point", "")), is_task=True),
            deadlines=self.deadlines(rec, rec["text"], where),
            notes=tuple(rec.get("notes", ())),
        )

    def build(self) -> Document:
        r = self.rec
        for key in ("title", "doc_number"):
            self.entry = {"title": "标题", "doc_number": "发文字号"}[key]
            self.fidelity(r[key], r.at(key), self.entry)
        for key, what in (
            ("header", "版头"),
            ("preamble", "导语"),
            ("closing", "结束语"),
            ("signature", "落款"),
            ("end_matter", "文末"),
        ):
            self.entry = what
            for i, line in enumerate(r.get(key, [])):
                for piece in line.split("\n"):
                    self.fidelity(piece, r[key].poss[i], what, prose=key in ("preamble", "closing"))
        if r.get("source_url") and not http_url(r["source_url"]):
            self.v.report.add("E165", r.at("source_url"), value=r["source_url"])
        notice = None
        if "notice" in r and {"title", "paragraphs"} <= r["notice"].keys():
            n = r["notice"]
            self.entry = "印发通知"
            self.fidelity(n["title"], n.at("title"), "通知标题")
            for key in ("paragraphs", "signature"):
                for i, line in enumerate(n.get(key, [])):
                    for piece in line.split("\n"):
                        self.fidelity(piece, n[key].poss[i], "通知")
            notice = Notice(n["title"], tuple(n["paragraphs"]), tuple(n.get("signature", ())))
        parts = tuple(s for s in (self.section(p, (), 0) for p in r.get("parts", [])) if s)
        self.entry, self.entry_kind = "", "这段文字"
        points = {p.id: p for s in parts for p in walk_points(s)}
        annexes = []
        for a in r.get("annexes", []):
            self.unique("附件", a)
            if not {"id", "label", "title", "tasks"} <= a.keys():
                continue
            self.entry, self.entry_kind = f"附件“{a['title']}”", "附件的标签和标题"
            self.fidelity(a["label"], a.at("label"), "附件标签")
            self.fidelity(a["title"], a.at("title"), "附件标题")
            tasks = tuple(t for t in (self.task(t, a["id"], points) for t in a["tasks"]) if t)
            annexes.append(Annex(a["id"], a["label"], a["title"], tasks, tuple(a.get("notes", ()))))
        return Document(
            id=r["id"],
            title=r["title"],
            kind=r["kind"],
            issuer=r["issuer"],
            level=r["level"],
            area=r["area"],
            doc_number=r["doc_number"],
            date=r["date"],
            year=r["year"],
            units_layout=r["units_layout"],
            parts=parts,
            source=self.rel,
            printed=r.get("printed"),
            publicity=r.get("publicity", ""),
            regions=self.region_ids(r),
            header=tuple(r.get("header", ())),
            notice=notice,
            preamble=tuple(r.get("preamble", ())),
            closing=tuple(r.get("closing", ())),
            signature=tuple(r.get("signature", ())),
            end_matter=tuple(r.get("end_matter", ())),
            annexes=tuple(annexes),
            notes=tuple(r.get("notes", ())),
            fulltext=self.fulltext,
            source_text=self.source_raw,
            date_inferred=bool(r.get("date_inferred")),
            validity=r.get("validity", ""),
            source_url=r.get("source_url", ""),
        )

    def spaces(self, lines: list[str]) -> None:
        """E193 at each space beside Chinese text in the original's words (``ORIGINAL_KEYS``) that the source text
        as received does not have at the same place: what a PDF conversion leaves at line breaks and between figures
        and characters. (``lines``: the document file's, for exact positions.)"""
        if not self.source:
            return
        spacing = None
        for value, node in strings(self.rec, self.rec.node, ORIGINAL_KEYS):
            if " " in value or "\u3000" in value or "\u00a0" in value or "\t" in value:
                spacing = spacing or fidelity.spacing(self.source)
                for index, found in fidelity.stray_spaces(value, spacing):
                    end = index + len(value[index:]) - len(value[index:].lstrip(" \t\u3000\u00a0"))
                    self.v.report.add(
                        "E193",
                        value_pos(node, index, lines),
                        snippet=value[max(0, index - 8) : index] + "␣" + value[end : end + 8],
                        source=self.source_rel,
                        problem="这里没有空格" if found else "中找不到这段文字，无从确认这个空格",
                    )

    def coverage(self) -> None:
        """Report full-text lines that no recorded fragment covers (so the page would lose them), and paragraphs the
        data records more or fewer times than the full text holds them (a copy added or lost)."""
        if not self.fulltext:
            return
        lines = self.fulltext.split("\n")
        normed = [norm(f) for f in self.fragments]
        for index, text, count, found in fidelity.recorded_too_often(normed, self.ft_norm):
            self.v.report.add("E182", self.fragment_pos[index], count=count, found=found, snippet=text[:30])
        for rep in fidelity.repeats(self.paragraphs, self.ft_norm, lines):
            self.v.report.add(
                "E183", Pos(self.ft_rel, rep.line, 1), count=rep.expected, found=rep.found, snippet=rep.text[:30]
            )
        counted = Counter(normed)
        prose = {p for p in self.paragraphs if len(p) >= fidelity.MIN_REPEAT_CHARS}
        for line, text, count, found in fidelity.repeated_lines(lines, counted, prose):
            self.v.report.add("E183", Pos(self.ft_rel, line, 1), count=count, found=found, snippet=text[:30])
        owner: dict[str, str] = {}
        for f, who in zip(normed, self.owners):
            owner.setdefault(f, who)
        frags = sorted({n for n in normed if n}, key=len, reverse=True)
        last = ""  # the entry the last recorded text of the full text so far is part of
        for n, line in enumerate(self.fulltext.split("\n"), start=1):
            rest, here = norm(line), ""
            for f in frags:
                if f in rest:
                    rest = rest.replace(f, "")
                    here = here or owner[f]
            rest = _LEFTOVER.sub("", rest)
            if rest:
                place = (
                    f"与{_spaced(here)}在原文的同一行"
                    if here
                    else f"在原文中位于{_spaced(last)}之后"
                    if last
                    else "在原文中位于已录入的全部内容之前"
                )
                self.v.report.add("E156", Pos(self.ft_rel, n, 1), snippet=rest[:30], place=place)
            last = here or last


def _occurrences(text: str, key: str) -> list[int]:
    """Where ``key`` starts in ``text``, every time."""
    out, i = [], text.find(key)
    while i >= 0:
        out.append(i)
        i = text.find(key, i + 1)
    return out


# The keys whose values are the original's words (published as its text): checked for stray spaces (E193).
ORIGINAL_KEYS = frozenset(
    {
        "title",
        "doc_number",
        "header",
        "notice",
        "paragraphs",
        "signature",
        "preamble",
        "parts",
        "sections",
        "points",
        "items",
        "label",
        "text",
        "units_text",
        "closing",
        "end_matter",
        "annexes",
        "tasks",
        "area",
    }
)


# What may remain of a full-text line once every recorded fragment is removed: task and table
# numbering, unit lists of tables, punctuation between fragments, and the table header.
_LEFTOVER = re.compile(r"序号工作要点具体任务牵头单位责任单位|\d+\.?|[。，、；：:;,.（）()]")


def walk_points(sec: Section):
    yield from sec.points
    yield from sec.items
    for child in sec.sections:
        yield from walk_points(child)
