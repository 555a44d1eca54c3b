"""Groupings of the model for the pages: by area, theme, unit, region; targets, deadlines, A–Z.

Pure functions of the :class:`~plansite.model.Dataset`; everything is sorted so that the
same data always gives the same pages.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from .model import Dataset, Deadline, Document, Point, Target, Task, Unit
from .slug import pinyin_initial, pinyin_key


@dataclass(frozen=True)
class Involvement:
    """One commitment of a unit: a work point or task, and whether the unit leads it."""

    doc: Document
    point: Point | None  # None for a task that breaks down no work point
    task: Task | None
    role: str  # "lead" or "responsible"
    written: str

    @property
    def text(self) -> str:
        """The task text, or the point's text."""
        return self.task.text if self.task else self.point.text

    @property
    def deadlines(self) -> tuple[Deadline, ...]:
        """Deadlines of the task or point."""
        return (self.task or self.point).deadlines

    @property
    def targets(self) -> tuple[Target, ...]:
        """Targets of the task or point."""
        return (self.task or self.point).targets


@dataclass(frozen=True)
class TargetRow:
    """A target with where it stands."""

    doc: Document
    point: Point | None
    task: Task | None
    target: Target


@dataclass(frozen=True)
class DeadlineRow:
    """A deadline with where it stands."""

    doc: Document
    point: Point | None
    task: Task | None
    deadline: Deadline


@dataclass(frozen=True)
class AZEntry:
    """An entry of the A–Z index."""

    name: str
    kind: str
    url: str
    note: str = ""


@dataclass
class Index:
    """All groupings the pages need, computed once."""

    ds: Dataset
    docs_by_area: dict[str, list[Document]] = field(default_factory=dict)
    docs_by_issuer: dict[str, list[Document]] = field(default_factory=dict)
    points_by_theme: dict[str, list[tuple[Document, Point]]] = field(default_factory=dict)
    points_by_region: dict[str, list[tuple[Document, Point]]] = field(default_factory=dict)
    docs_by_region: dict[str, list[Document]] = field(default_factory=dict)
    by_unit: dict[str, list[Involvement]] = field(default_factory=dict)
    targets: list[TargetRow] = field(default_factory=list)
    deadlines: list[DeadlineRow] = field(default_factory=list)
    tasks_by_point: dict[tuple[str, str], list[Task]] = field(default_factory=dict)
    point_by_id: dict[tuple[str, str], Point] = field(default_factory=dict)
    region_children: dict[str | None, list[str]] = field(default_factory=dict)

    def region_descendants(self, rid: str) -> list[str]:
        """The region and every region below it."""
        out = [rid]
        for child in self.region_children.get(rid, []):
            out += self.region_descendants(child)
        return out

    def region_path(self, rid: str) -> list[str]:
        """Ids from the province down to this region."""
        path = []
        cur: str | None = rid
        while cur:
            path.append(cur)
            cur = self.ds.region(cur).parent
        return path[::-1]

    def prev_next(self, doc: Document) -> tuple[Document | None, Document | None]:
        """The previous (older) and next (newer) document of the same issuer."""
        docs = sorted(self.docs_by_issuer.get(doc.issuer, []), key=lambda d: (d.date, d.id))
        i = docs.index(doc)
        return (docs[i - 1] if i > 0 else None, docs[i + 1] if i + 1 < len(docs) else None)

    def unit_area_name(self, unit: Unit) -> str:
        """The organisation a unit belongs to, for display: its parent unit or its area."""
        if unit.parent:
            return self.ds.unit(unit.parent).name
        return self.ds.area(unit.area).name if unit.area else ""


def build_index(ds: Dataset) -> Index:
    """Compute every grouping of ``ds``."""
    ix = Index(ds)
    area_docs: dict[str, list[Document]] = defaultdict(list)
    issuer_docs: dict[str, list[Document]] = defaultdict(list)
    theme_points: dict[str, list] = defaultdict(list)
    region_points: dict[str, list] = defaultdict(list)
    region_docs: dict[str, list] = defaultdict(list)
    unit_inv: dict[str, list[Involvement]] = defaultdict(list)
    for r in ds.regions:
        ix.region_children.setdefault(r.parent, []).append(r.id)
    ancestors = {r.id: ix.region_path(r.id) for r in ds.regions}
    for doc in ds.documents:
        area_docs[doc.area].append(doc)
        issuer_docs[doc.issuer].append(doc)
        doc_regions = set()
        for rid in doc.regions:
            doc_regions.update(ancestors[rid])
        for p in doc.all_points:
            ix.point_by_id[(doc.id, p.id)] = p
            for t in p.themes:
                theme_points[t].append((doc, p))
            point_regions = set()
            for rid in p.regions:
                point_regions.update(ancestors[rid])
            for rid in sorted(point_regions):
                region_points[rid].append((doc, p))
            doc_regions |= point_regions
            for role, refs in (("lead", p.lead), ("responsible", p.responsible)):
                for ref in refs:
                    unit_inv[ref.unit].append(Involvement(doc, p, None, role, ref.written))
            ix.targets += [TargetRow(doc, p, None, t) for t in p.targets]
            ix.deadlines += [DeadlineRow(doc, p, None, d) for d in p.deadlines]
        for task in doc.tasks:
            point = ix.point_by_id.get((doc.id, task.point)) if task.point else None
            if task.point:
                ix.tasks_by_point.setdefault((doc.id, task.point), []).append(task)
            for role, refs in (("lead", task.lead), ("responsible", task.responsible)):
                for ref in refs:
                    unit_inv[ref.unit].append(Involvement(doc, point, task, role, ref.written))
            ix.targets += [TargetRow(doc, point, task, t) for t in task.targets]
            ix.deadlines += [DeadlineRow(doc, point, task, d) for d in task.deadlines]
        for rid in sorted(doc_regions):
            region_docs[rid].append(doc)
    order = {d.id: i for i, d in enumerate(ds.documents)}
    ix.docs_by_area = {k: sorted(v, key=lambda d: (-d.year, d.date, d.id)) for k, v in area_docs.items()}
    ix.docs_by_issuer = dict(issuer_docs)
    ix.points_by_theme = dict(theme_points)
    ix.points_by_region = dict(region_points)
    ix.docs_by_region = dict(region_docs)
    ix.by_unit = {k: sorted(v, key=lambda i: (order[i.doc.id], i.task is not None, i.role != "lead"))
                  for k, v in unit_inv.items()}
    ix.deadlines.sort(key=lambda r: (r.deadline.sort_key, order[r.doc.id], r.task.id if r.task else r.point.id))
    return ix


_KEY_TERM = re.compile(r"“([\u4e00-\u9fff][\u4e00-\u9fff·、]{1,10})”")


def az_entries(ix: Index, urls) -> list[tuple[str, list[AZEntry]]]:
    """A–Z index: units, regions, districts, themes and document titles grouped by pinyin initial."""
    ds = ix.ds
    entries: list[AZEntry] = []
    used_areas = {d.area for d in ds.documents}
    for a in ds.areas:
        if a.id in used_areas:
            entries.append(AZEntry(a.name, "区" if a.level == "district" else "市", urls.area(a.id)))
    for t in ds.themes:
        entries.append(AZEntry(t.name, "主题", urls.theme(t.id)))
    for u in ds.units:
        if u.id in ix.by_unit or u.id in ix.docs_by_issuer:
            entries.append(AZEntry(u.name, "单位", urls.unit(u.id), ix.unit_area_name(u)))
            for alias in u.aliases:
                entries.append(AZEntry(alias, "单位简称", urls.unit(u.id), f"见 {u.name}"))
    for r in ds.regions:
        if r.id in ix.docs_by_region:
            entries.append(AZEntry(r.name, "对口地区", urls.region(r.id)))
            for alias in r.aliases:
                entries.append(AZEntry(alias, "地区简称", urls.region(r.id), f"见 {r.name}"))
    for d in ds.documents:
        entries.append(AZEntry(d.title, "文件", urls.document(d.id), d.doc_number))
    terms: dict[str, list[tuple[Document, Point]]] = {}
    for d in ds.documents:  # key terms: the slogans and programme names the documents quote
        for p in d.all_points:
            for term in _KEY_TERM.findall(p.text):
                terms.setdefault(term, []).append((d, p))
    for term, where in terms.items():
        d, p = where[0]
        note = f"{d.title} {p.heading}" + (f" 等 {len(where)} 处" if len(where) > 1 else "")
        entries.append(AZEntry(term, "关键词", f"{urls.document(d.id)}#{p.id}", note))
    groups: dict[str, list[AZEntry]] = defaultdict(list)
    seen = set()
    for e in sorted(entries, key=lambda e: (pinyin_key(e.name), e.kind, e.url)):
        if (e.name, e.url) in seen:
            continue
        seen.add((e.name, e.url))
        groups[pinyin_initial(e.name)].append(e)
    return sorted(groups.items(), key=lambda kv: (kv[0] == "#", kv[0]))
