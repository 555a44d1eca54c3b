"""Groupings of the model for the pages: by area, theme, unit, region; targets, deadlines.

Pure functions of the :class:`~plansite.model.Dataset`; everything is sorted so that the
same data always gives the same pages.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .model import Dataset, Deadline, Document, Point, Target, Task, Unit


@dataclass(frozen=True)
class Involvement:
    """One commitment of a unit: a work point or task, and whether the unit leads it.

    ``via``: the id of the collective name (各街镇, 相关部门 …) the work is given to, when it reaches the unit
    through it rather than by the unit's own name; ``definite`` then says whether the collective certainly
    covers the unit (各街镇 → every 街镇) or only may (相关部门 → some 委办局, not named).
    """

    doc: Document
    point: Point | None  # None for a task that breaks down no work point
    task: Task | None
    role: str  # "lead" or "responsible"
    written: str
    via: str = ""
    definite: bool = True

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
class TargetTotal:
    """A sum the site shows: the additive targets of one document with the same ``counts``, ``unit`` and
    ``comparator`` (none of them per-unit, a rate or a restatement), each with where it stands."""

    doc: Document
    counts: str
    unit: str
    comparator: str
    value: float
    parts: tuple[tuple[Point | None, Task | None, Target], ...]


@dataclass(frozen=True)
class TargetRow:
    """A target with where it stands, and how it counts towards totals (``role``):

    ``restates``: a task's target that repeats its work point's (``restated``), counted once, with the point's;
    ``rate``: a share, never added; ``per``: a figure for each of something, never added; ``sum``: part of
    ``total``; ``single``: additive, but nothing in its document counts the same; ``apart``: not marked
    additive: shown as it is, never added.
    """

    doc: Document
    point: Point | None
    task: Task | None
    target: Target
    role: str = "apart"
    restated: Target | None = None
    total: TargetTotal | None = None


@dataclass(frozen=True)
class DeadlineRow:
    """A deadline with where it stands.

    ``differs``: for an annex task, its work point's deadlines of the same kind when none of them is this one
    (the table and the text disagree); ``early``: a date before the plan was issued.
    """

    doc: Document
    point: Point | None
    task: Task | None
    deadline: Deadline
    differs: tuple[Deadline, ...] = ()
    early: bool = False


@dataclass(frozen=True)
class Duties:
    """What a unit does by name, counted as the reader reads it: work points, closing items (of general
    requirements and safeguards: not work points) and annex tasks apart.

    ``*_broken``: of the unit's tasks, those that break down a work point the unit has in the same role (the
    same work, in the table); ``*_other``: the rest."""

    lead_points: int = 0
    lead_items: int = 0
    lead_broken: int = 0
    lead_other: int = 0
    resp_points: int = 0
    resp_items: int = 0
    resp_broken: int = 0
    resp_other: int = 0
    documents: int = 0

    @property
    def any(self) -> bool:
        """The unit has any work by name."""
        return any(
            (
                self.lead_points,
                self.lead_items,
                self.lead_broken,
                self.lead_other,
                self.resp_points,
                self.resp_items,
                self.resp_broken,
                self.resp_other,
            )
        )


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
    via_unit: dict[str, list[Involvement]] = field(default_factory=dict)  # work given to collectives covering it
    unknown_collectives: dict[tuple[str, str | None], list[str]] = field(default_factory=dict)
    duties: dict[str, Duties] = field(default_factory=dict)
    targets: list[TargetRow] = field(default_factory=list)
    target_totals: dict[str, list[TargetTotal]] = field(default_factory=dict)  # by document id
    deadlines_of: dict[tuple[str, str], list[DeadlineRow]] = field(default_factory=dict)  # (doc, point or task id)
    # (area, region) → (document, point, task) naming the region or a region below it, newest plans first
    items_by_pair: dict[tuple[str, str], list[tuple]] = field(default_factory=dict)
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
    pairs: dict[tuple[str, str], list[tuple]] = defaultdict(list)
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
                pairs[(doc.area, rid)].append((doc, p, None))
            doc_regions |= point_regions
            for role, refs in (("lead", p.lead), ("responsible", p.responsible)):
                for ref in refs:
                    unit_inv[ref.unit].append(Involvement(doc, p, None, role, ref.written))
            ix.targets += [TargetRow(doc, p, None, t) for t in p.targets]
            ix.deadlines += [DeadlineRow(doc, p, None, d) for d in p.deadlines]
        for task in doc.tasks:
            point = ix.point_by_id.get((doc.id, task.point)) if task.point else None
            for rid in sorted({a for r in task.regions for a in ancestors[r]}):
                pairs[(doc.area, rid)].append((doc, point, task))
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
    region_order = {r.id: i for i, r in enumerate(ds.regions)}
    area_order = {a.id: i for i, a in enumerate(ds.areas)}
    ix.items_by_pair = {
        k: sorted(v, key=lambda row: (-row[0].year, order[row[0].id], row[2] is not None))
        for k, v in sorted(pairs.items(), key=lambda kv: (area_order[kv[0][0]], region_order[kv[0][1]]))
    }

    def inv_key(i: Involvement):
        return (order[i.doc.id], i.task is not None, i.role != "lead")

    ix.by_unit = {k: sorted(v, key=inv_key) for k, v in unit_inv.items()}
    ix.duties = {k: _duties(v) for k, v in ix.by_unit.items()}
    _collectives(ix, inv_key)
    ix.targets, ix.target_totals = _target_rows(ix.targets)
    ix.deadlines = [_deadline_row(r, ix) for r in ix.deadlines]
    ix.deadlines.sort(key=lambda r: (r.deadline.sort_key, order[r.doc.id], r.task.id if r.task else r.point.id))
    for r in ix.deadlines:
        ix.deadlines_of.setdefault((r.doc.id, (r.task or r.point).id), []).append(r)
    return ix


def _duties(inv: list[Involvement]) -> Duties:
    """Count a unit's work by name: points, items, and tasks that break down its own points or others'."""
    counts = {}
    for role in ("lead", "responsible"):
        mine = [i for i in inv if i.role == role]
        points = {(i.doc.id, i.point.id) for i in mine if i.task is None and i.point.counted}
        items = sum(1 for i in mine if i.task is None and not i.point.counted)
        tasks = [i for i in mine if i.task is not None]
        broken = sum(1 for i in tasks if i.point is not None and (i.doc.id, i.point.id) in points)
        counts[role] = (len(points), items, broken, len(tasks) - broken)
    return Duties(*counts["lead"], *counts["responsible"], documents=len({i.doc.id for i in inv}))


def _collectives(ix: Index, inv_key) -> None:
    """Give the work of each collective name to the units it covers (``via_unit``), and note per scope the
    collectives whose members are not known (``unknown_collectives``)."""
    ds = ix.ds
    scope: dict[tuple[str, str | None], list] = defaultdict(list)
    for u in ds.units:
        if not u.collective:
            scope[(u.area, u.parent)].append(u)
    via: dict[str, list[Involvement]] = defaultdict(list)
    for c in ds.units:
        if not c.collective or c.id not in ix.by_unit:
            continue
        if c.covers is None:
            ix.unknown_collectives.setdefault((c.area, c.parent), []).append(c.id)
            continue
        if c.covers.members:
            members, definite = list(c.covers.members), True
        else:
            members = [u.id for u in scope[(c.area, c.parent)] if not c.covers.kinds or u.kind in c.covers.kinds]
            definite = c.covers.all
            if not definite and not c.covers.kinds:  # "some of everyone": as good as unknown
                ix.unknown_collectives.setdefault((c.area, c.parent), []).append(c.id)
                continue
        for uid in members:
            via[uid] += [
                Involvement(i.doc, i.point, i.task, i.role, i.written, c.id, definite) for i in ix.by_unit[c.id]
            ]
    ix.via_unit = {k: sorted(v, key=lambda i: (inv_key(i), i.via)) for k, v in via.items()}


def _target_rows(rows: list[TargetRow]) -> tuple[list[TargetRow], dict[str, list[TargetTotal]]]:
    """Each target row with its role towards totals, and the totals of each document (see TargetRow)."""
    groups: dict[tuple, list[TargetRow]] = defaultdict(list)
    for r in rows:
        t = r.target
        if t.additive and not t.per and not t.restates:
            groups[(r.doc.id, t.counts, t.unit, t.comparator)].append(r)
    totals: dict[str, list[TargetTotal]] = defaultdict(list)
    total_of: dict[int, TargetTotal] = {}
    for (doc_id, counts, unit, comparator), members in groups.items():
        if len(members) < 2:
            continue
        value = sum(m.target.value for m in members)
        total = TargetTotal(
            members[0].doc,
            counts,
            unit,
            comparator,
            int(value) if float(value).is_integer() else round(value, 4),
            tuple((m.point, m.task, m.target) for m in members),
        )
        totals[doc_id].append(total)
        for m in members:
            total_of[id(m)] = total
    out = []
    for r in rows:
        t = r.target
        restated = None
        if t.restates and r.point is not None:
            restated = next((x for x in r.point.targets if x.phrase == t.restates), None)
        if restated is not None:
            role = "restates"
        elif id(r) in total_of:
            role = "sum"
        elif t.per:
            role = "per"
        elif t.additive:
            role = "single"
        elif t.rate:
            role = "rate"
        else:
            role = "apart"
        out.append(TargetRow(r.doc, r.point, r.task, t, role, restated, total_of.get(id(r))))
    return out, dict(totals)


def _deadline_row(r: DeadlineRow, ix: Index) -> DeadlineRow:
    """The row, with what the work point's own text says when an annex task's deadline differs from it, and
    whether the date is before the plan was issued."""
    d = r.deadline
    differs: tuple[Deadline, ...] = ()
    if r.task is not None and r.point is not None:
        same_kind = [x for x in r.point.deadlines if _deadline_kind(x) == _deadline_kind(d)]
        if same_kind and not any(_same_deadline(x, d) for x in same_kind):
            differs = tuple(same_kind)
    issued = r.doc.printed or r.doc.date
    return DeadlineRow(r.doc, r.point, r.task, d, differs, bool(d.due and d.due < issued))


def _deadline_kind(d: Deadline) -> str:
    return "due" if d.due else ("repeat" if d.repeat else "within")


def _same_deadline(a: Deadline, b: Deadline) -> bool:
    return (a.due, a.repeat, a.day, a.within_days) == (b.due, b.repeat, b.day, b.within_days)
