"""What each page shows, prepared from the dataset and its index: one function per kind of page.

Each function takes the :class:`Views` of the site and the page's key, and returns a :class:`View`: the
page's title, the data files it is made from, the file its edit link opens, and the values its template
writes. Every figure and list a page shows is made here, not in the template; the templates only write
them out. The table of page kinds (:mod:`plansite.pages`) says which page uses which function.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from dataclasses import dataclass, field

from .index import Duties, Index, Involvement
from .model import LEVEL_NAMES, LEVELS, Dataset, Document, Point, Unit
from .slug import pinyin_initial, pinyin_key

# The titles of the site's index pages (and of the steps of a breadcrumb that lead to them).
INDEX_TITLES = {
    "home": "首页",
    "documents": "文件",
    "districts": "市级和各区",
    "themes": "主题",
    "units": "单位",
    "regions": "对口地区",
    "targets": "量化指标",
    "deadlines": "时间节点",
    "az": "索引",
    "data": "数据下载",
}


@dataclass(frozen=True)
class View:
    """A page's title, sources (data files, sorted), edit target and template values; ``parents``: the steps of
    its breadcrumb between its section's index and itself, as (label, source path)."""

    title: str
    sources: tuple[str, ...]
    edit: str
    values: dict = field(compare=False, repr=False)
    parents: tuple[tuple[str, str], ...] = ()


def _view(title: str, sources, edit: str = "", parents=(), **values) -> View:
    """A view whose edit link opens ``edit``, or its one source, or the documents' folder."""
    srcs = tuple(sorted(set(sources)))
    return View(title, srcs, edit or (srcs[0] if len(srcs) == 1 else "data/documents/"), values, tuple(parents))


class Views:
    """The dataset, its index and the site's pages (:class:`plansite.pages.Site`), with what several views
    share, worked out once."""

    # A unit's page lists in full what it carries in the plans of its latest years; earlier plans get a line
    # each (the full list is on the document pages and in the unit's download), so the page stays the same
    # size however many years of plans the site holds.
    RECENT_YEARS = 2

    def __init__(self, ds: Dataset, ix: Index, site) -> None:
        self.ds, self.ix, self.site = ds, ix, site
        self.all_docs = [d.source for d in ds.documents]
        self.unit_sources = {u.id: u.source for u in ds.units}
        self.area_order = {a.id: i for i, a in enumerate(ds.areas)}
        self.unit_children: dict[str, list[str]] = {}
        for u in ds.units:
            if u.parent:
                self.unit_children.setdefault(u.parent, []).append(u.id)
        self.legacy: dict[tuple[str, str], list[str]] = {}
        for old, new in ds.redirects:  # same-page anchor redirects: keep the old anchor on the page
            if "#" in old:
                doc_id = old.split("#")[0].strip("/").split("/")[-1]
                self.legacy.setdefault((doc_id, new.split("#")[1]), []).append(old.split("#")[1])

    # -- shared groupings ---------------------------------------------------------------------------------
    @staticmethod
    def doc_of(row) -> Document:
        """The document of a row: a document, a (document, point) pair, or a row with a ``doc``."""
        return row[0] if isinstance(row, tuple) else getattr(row, "doc", row)

    def by_year(self, rows) -> list[tuple[int, list]]:
        """``rows`` grouped by their document's year, newest first, each group in the given order."""
        groups: dict[int, list] = {}
        for row in rows:
            groups.setdefault(self.doc_of(row).year, []).append(row)
        return sorted(groups.items(), key=lambda kv: -kv[0])

    def years(self, rows) -> list[int]:
        """The years of ``rows``, newest first."""
        return [y for y, _ in self.by_year(rows)]

    def year_links(self, kind: str, rows, *key) -> list[tuple[int, str]]:
        """(year, page) for every year of a view split by year."""
        return [(y, self.site.path(kind, *key, y)) for y in self.years(rows)]

    def sources(self, rows) -> list[str]:
        """The data files of the rows' documents."""
        return [self.doc_of(r).source for r in rows]

    def year_counts(self, rows) -> list[tuple[int, int, int]]:
        """(year, rows, documents) for the per-year pages of targets and deadlines."""
        return [(y, len(yrows), len({self.doc_of(r).id for r in yrows})) for y, yrows in self.by_year(rows)]

    def sorted_units(self, ids) -> list[str]:
        """Unit ids by the pinyin of their names; the id breaks ties between units of the same name."""
        return sorted(set(ids), key=lambda u: (pinyin_key(self.ds.unit(u).name), u))

    def by_area(self, rows) -> list[tuple]:
        """(area, rows) in the order of areas."""
        groups: dict[str, list] = {}
        for row in rows:
            groups.setdefault(self.doc_of(row).area, []).append(row)
        return [(self.ds.area(a), g) for a, g in sorted(groups.items(), key=lambda kv: self.area_order[kv[0]])]

    def docs_by_year(self, docs) -> list[tuple[int, list[Document]]]:
        """Documents grouped by year, newest year first, each year in the given order."""
        ordered = sorted(docs, key=lambda d: d.year)
        return [(y, list(g)) for y, g in itertools.groupby(ordered, key=lambda d: d.year)][::-1]


# -- the indexes of the site -------------------------------------------------------------------------------


def home(v: Views) -> View:
    """The home page: the site's figures, the core themes, the districts and the newest documents."""
    ds, ix = v.ds, v.ix
    units_ = [u for u in ix.by_unit if not ds.unit(u).collective]
    return _view(
        INDEX_TITLES["home"],
        v.all_docs,
        stats=dict(
            documents=len(ds.documents),
            points=sum(len(d.points) for d in ds.documents),
            tasks=sum(len(d.tasks) for d in ds.documents),
            units=len(units_),
            regions=len(ix.docs_by_region),
        ),
        core_themes=[(t, _n_points(ix.points_by_theme.get(t.id, []))) for t in ds.themes if t.core],
        city=[(a, len(ix.docs_by_area[a.id])) for a in ds.areas if a.level == "city" and ix.docs_by_area.get(a.id)],
        areas=[
            (a, len(ix.docs_by_area[a.id])) for a in ds.areas if a.level == "district" and ix.docs_by_area.get(a.id)
        ],
        provinces=[
            (r, _n_points(ix.points_by_region.get(r.id, [])))
            for r in ds.regions
            if r.parent is None and v.site.has("region", r.id)
        ],
        latest=sorted(ds.documents, key=lambda d: d.date, reverse=True)[:10],
    )


def documents(v: Views) -> View:
    """Every document by year, newest first."""
    years = [(y, sorted(docs, key=lambda d: d.date, reverse=True)) for y, docs in v.docs_by_year(v.ds.documents)]
    return _view(INDEX_TITLES["documents"], v.all_docs, n=len(v.ds.documents), years=years)


def districts(v: Views) -> View:
    """The city's own plans and the districts' (their governments', offices' and departments'), with their
    documents and work points, and the districts without documents yet."""
    ix = v.ix

    def row(a):
        docs = ix.docs_by_area[a.id]
        return (a, len(docs), sum(len(d.points) for d in docs), level_counts(docs))

    return _view(
        INDEX_TITLES["districts"],
        v.all_docs,
        city=[row(a) for a in v.ds.areas if a.level == "city" and ix.docs_by_area.get(a.id)],
        areas=[row(a) for a in v.ds.areas if a.level == "district" and ix.docs_by_area.get(a.id)],
        without=[a for a in v.ds.areas if a.level == "district" and not ix.docs_by_area.get(a.id)],
    )


def level_counts(docs) -> list[tuple[str, int]]:
    """(level name, documents) for the levels the documents have, from the top down."""
    counts: dict[str, int] = {}
    for d in docs:
        counts[d.level] = counts.get(d.level, 0) + 1
    return [(LEVEL_NAMES[lv], counts[lv]) for lv in LEVEL_NAMES if lv in counts]


def themes(v: Views) -> View:
    """Every theme with its number of work points."""
    return _view(
        INDEX_TITLES["themes"],
        v.all_docs + ["data/themes.yml"],
        themes=[(t, _n_points(v.ix.points_by_theme.get(t.id, []))) for t in v.ds.themes],
    )


def _n_points(rows) -> int:
    """The work points among (document, point) rows (the items of general requirements and safeguards apart)."""
    return sum(1 for _, p in rows if p.counted)


def units(v: Views) -> View:
    """Every unit with a page, by organisation, with the work it has by name."""
    groups: dict[str, list[Unit]] = {}
    for u in v.ds.units:
        if v.site.has("unit", u.id):
            groups.setdefault(v.ix.unit_area_name(u), []).append(u)
    area_order = {a.name: i for i, a in enumerate(v.ds.areas)}
    unit_groups = [
        (org, [(u, v.ix.duties.get(u.id, Duties())) for u in sorted(us, key=lambda u: pinyin_key(u.name))])
        for org, us in sorted(groups.items(), key=lambda kv: (area_order.get(kv[0], 99), pinyin_key(kv[0])))
    ]
    return _view(INDEX_TITLES["units"], v.all_docs + sorted(v.unit_sources.values()), unit_groups=unit_groups)


def regions(v: Views) -> View:
    """The paired regions with documents, as a tree, with their documents and work points."""
    ix = v.ix
    return _view(
        INDEX_TITLES["regions"],
        v.all_docs + ["data/regions.yml"],
        regions=[
            (r, len(ix.docs_by_region[r.id]), _n_points(ix.points_by_region.get(r.id, [])))
            for r in v.ds.regions
            if v.site.has("region", r.id)
        ],
    )


def targets(v: Views) -> View:
    """The years that have targets."""
    return _view(INDEX_TITLES["targets"], v.all_docs, years=v.year_counts(v.ix.targets))


def deadlines(v: Views) -> View:
    """The years that have deadlines."""
    return _view(INDEX_TITLES["deadlines"], v.all_docs, years=v.year_counts(v.ix.deadlines))


def az(v: Views) -> View:
    """The A–Z index."""
    return _view(INDEX_TITLES["az"], v.all_docs, groups=az_entries(v))


def data(v: Views) -> View:
    """The open data: its files, fields and columns."""
    from . import export

    return _view(
        INDEX_TITLES["data"],
        v.all_docs,
        schema_version=export.SCHEMA_VERSION,
        plan_fields=export.PLAN_FIELDS,
        point_fields=export.POINT_FIELDS,
        task_fields=export.TASK_FIELDS,
        point_columns=export.POINT_COLUMNS,
        task_columns=export.TASK_COLUMNS,
        unit_columns=export.UNIT_COLUMNS,
        feed_entries=export.FEED_ENTRIES,
    )


# -- the pages of a year -----------------------------------------------------------------------------------


def targets_year(v: Views, year: int) -> View:
    """A year's targets by area and document, each document's totals with it."""
    rows = [r for r in v.ix.targets if r.doc.year == year]
    by_doc: dict[str, list] = {}
    for row in rows:
        by_doc.setdefault(row.doc.id, []).append(row)
    groups: dict[str, list] = {}
    for doc_rows in by_doc.values():
        doc = doc_rows[0].doc
        groups.setdefault(doc.area, []).append((doc, doc_rows, v.ix.target_totals.get(doc.id, [])))
    ordered = [(v.ds.area(a), g) for a, g in sorted(groups.items(), key=lambda kv: v.area_order[kv[0]])]
    return _view(
        f"量化指标 · {year} 年",
        v.sources(rows),
        year=year,
        year_links=v.year_links("targets_year", v.ix.targets),
        groups=ordered,
    )


def deadlines_year(v: Views, year: int) -> View:
    """A year's deadlines in calendar order: dated by month, then recurring, then relative."""
    rows = [r for r in v.ix.deadlines if r.doc.year == year]
    groups: dict[str, list] = {}
    for row in rows:
        d = row.deadline
        head = f"{d.due.year}年{d.due.month}月" if d.due else ("周期性" if d.repeat else "相对时限")
        groups.setdefault(head, []).append(row)
    return _view(
        f"时间节点 · {year} 年",
        v.sources(rows),
        year=year,
        year_links=v.year_links("deadlines_year", v.ix.deadlines),
        groups=list(groups.items()),
    )


def compare(v: Views) -> View:
    """Two plans side by side, by theme: the reader chooses them on the page (each plan's points by theme are in
    a small file of the open data, loaded for the two chosen)."""
    return _view("比较两份文件", v.all_docs, index=v.site.compare_index())


# -- documents -----------------------------------------------------------------------------------------------


def document(v: Views, doc_id: str) -> View:
    """A document: its metadata, its structured text and its annex tables."""
    doc = v.ds.document(doc_id)
    prev, nxt = v.ix.prev_next(doc)
    tasks_of = {p.id: v.ix.tasks_by_point.get((doc.id, p.id), []) for p in doc.all_points}
    task_point = {t.id: v.ix.point_by_id[(doc.id, t.point)] for t in doc.tasks if t.point}
    legacy = {p.id: v.legacy.get((doc.id, p.id), []) for p in doc.all_points}
    themes_ = [t for t in v.ds.themes if any(t.id in p.themes for p in doc.points)]
    return _view(
        doc.title,
        [doc.source],
        doc=doc,
        prev=prev,
        next=nxt,
        tasks_of=tasks_of,
        task_point=task_point,
        legacy=legacy,
        issuer=v.ds.unit(doc.issuer),
        level=LEVEL_NAMES[doc.level],
        themes=themes_,
        area_path=v.site.area_path(doc.area),
        doc_area_name=v.ds.area(doc.area).name,
        source_text=v.site.source_text(doc.id),
        print_tasks=[(t, v.ix.deadlines_of.get((doc.id, t.id), [])) for t in doc.tasks],
    )


def original(v: Views, doc_id: str) -> View:
    """A document's original text, as printed."""
    doc = v.ds.document(doc_id)
    return _view(f"{doc.title}（原文）", [doc.source], doc=doc, parents=[(doc.title, v.site.path("document", doc_id))])


def district(v: Views, area_id: str) -> View:
    """A district (or the city): its documents by year, regions (each with its page of all years), themes and
    units."""
    ix, ds = v.ix, v.ds
    area = ds.area(area_id)
    kind = v.site.area_kind(area_id)
    docs = ix.docs_by_area[area_id]
    points = [p for d in docs for p in d.points]
    ids = {d.id for d in docs}  # document ids are unique: comparing ids, not whole documents
    regions_ = {r for r, rdocs in ix.docs_by_region.items() if any(x.id in ids for x in rdocs)}
    units_ = [r.unit for d in docs for p in d.all_points for r in (*p.lead, *p.responsible)]
    units_ += [r.unit for d in docs for t in d.tasks for r in (*t.lead, *t.responsible)]
    counts = [(t, sum(t.id in p.themes for p in points)) for t in ds.themes]
    pair_kind = f"{kind}_region"
    return _view(
        area.name,
        [d.source for d in docs],
        area=area,
        city=kind == "city",
        n_docs=len(docs),
        years=v.docs_by_year(docs),
        levels=level_counts(docs),
        downloads=v.site.download(kind, area_id),
        n_points=len(points),
        regions=[r.id for r in ds.regions if r.id in regions_],
        pairs=[
            (ds.region(r), v.site.path(pair_kind, area_id, r), len(ix.items_by_pair[(area_id, r)]))
            for r in (x.id for x in ds.regions)
            if v.site.has(pair_kind, area_id, r)
        ],
        theme_counts=[(t, n) for t, n in counts if n],
        units=v.sorted_units(units_),
    )


# -- themes --------------------------------------------------------------------------------------------------


def theme(v: Views, theme_id: str) -> View:
    """A theme: its work points, year by year."""
    t = v.ds.theme(theme_id)
    rows = v.ix.points_by_theme.get(theme_id, [])
    years = [
        (
            y,
            v.site.path("theme_year", theme_id, y),
            _n_points(yrows),
            len(yrows) - _n_points(yrows),
            len({d.area for d, _ in yrows}),
        )
        for y, yrows in v.by_year(rows)
    ]
    return _view(
        t.name,
        [d.source for d, _ in rows] + ["data/themes.yml"],
        edit="data/themes.yml",
        theme=t,
        n=_n_points(rows),
        n_items=len(rows) - _n_points(rows),
        years=years,
        downloads=v.site.download("theme", theme_id),
    )


def theme_year(v: Views, theme_id: str, year: int) -> View:
    """A theme's work points of one year, by area."""
    t = v.ds.theme(theme_id)
    rows = v.ix.points_by_theme.get(theme_id, [])
    yrows = [(d, p) for d, p in rows if d.year == year]
    return _view(
        f"{t.name} · {year} 年",
        v.sources(yrows) + ["data/themes.yml"],
        edit="data/themes.yml",
        parents=[(t.name, v.site.path("theme", theme_id))],
        theme=t,
        year=year,
        n=_n_points(yrows),
        n_items=len(yrows) - _n_points(yrows),
        year_links=v.year_links("theme_year", rows, theme_id),
        groups=v.by_area(yrows),
    )


# -- units ---------------------------------------------------------------------------------------------------


def unit(v: Views, unit_id: str) -> View:
    """A unit's page: what it leads and is responsible for by name, then what reaches it through collective names
    that cover it, in its latest years' plans in full; earlier plans a line each."""
    ix, u = v.ix, v.ds.unit(unit_id)
    inv = ix.by_unit.get(u.id, [])
    via = ix.via_unit.get(u.id, [])
    issued = ix.docs_by_issuer.get(u.id, [])
    years = sorted({i.doc.year for i in (*inv, *via)}, reverse=True)[: Views.RECENT_YEARS]
    recent = [i for i in inv if i.doc.year in years]
    collectives: dict[tuple[str, bool], list] = {}
    for i in via:
        if i.doc.year in years:
            collectives.setdefault((i.via, i.definite), []).append(i)
    unknown = []
    if not u.collective:
        for cid in ix.unknown_collectives.get((u.area, u.parent), []):
            cinv = [i for i in ix.by_unit[cid] if i.doc.year in years]
            if cinv:
                unknown.append((v.ds.unit(cid), _counted(cinv)))
    if u.parent:
        belongs = ("unit", u.parent)
        parents = [(v.ds.unit(u.parent).name, v.site.path("unit", u.parent))]
    elif u.area and v.site.has(v.site.area_kind(u.area), u.area):
        belongs = ("area", u.area)
        parents = [(v.ds.area(u.area).name, v.site.area_path(u.area))]
    else:
        belongs, parents = ("text", v.ds.area(u.area).name if u.area else ""), []
    kids = v.sorted_units(c for c in v.unit_children.get(u.id, []) if v.site.has("unit", c))
    return _view(
        u.name,
        [i.doc.source for i in (*inv, *via)] + [d.source for d in issued] + [u.source],
        edit=u.source,
        parents=parents,
        unit=u,
        belongs=belongs,
        downloads=v.site.download("unit", u.id),
        duties=ix.duties.get(u.id, Duties()),
        years=years,
        lead=_commitments(v, [i for i in recent if i.role == "lead"]),
        resp=_commitments(v, [i for i in recent if i.role != "lead"]),
        via=[(v.ds.unit(cid), definite, _commitments(v, rows)) for (cid, definite), rows in collectives.items()],
        via_definite=all(definite for _, definite in collectives),
        unknown=unknown,
        older=_older(inv, years),
        issued=issued,
        flow=_flow(v, u, issued),
        children=kids,
        recent_years=Views.RECENT_YEARS,
    )


def _commitments(v: Views, invs) -> list[tuple]:
    """Involvements by document, in order: (document, [(involvement, its deadline rows)], (points, items, tasks))."""
    out: dict[str, list] = {}
    for i in invs:
        item = i.task or i.point
        out.setdefault(i.doc.id, []).append((i, v.ix.deadlines_of.get((i.doc.id, item.id), [])))
    return [(rows[0][0].doc, rows, _counted([i for i, _ in rows])) for rows in out.values()]


def _counted(invs) -> tuple[int, int, int]:
    """(work points, closing items, annex tasks) among involvements."""
    tasks = sum(1 for i in invs if i.task is not None)
    items = sum(1 for i in invs if i.task is None and not i.point.counted)
    return len(invs) - tasks - items, items, tasks


def _older(inv, years) -> list[tuple]:
    """(document, led points, led tasks, responsible points, responsible tasks) for the unit's plans before
    ``years``, newest first."""
    older: dict[str, list] = {}
    for i in inv:
        if i.doc.year not in years:
            row = older.setdefault(i.doc.id, [i.doc, 0, 0, 0, 0])
            row[(1 if i.role == "lead" else 3) + (i.task is not None)] += 1
    return sorted((tuple(r) for r in older.values()), key=lambda r: (-r[0].year, r[0].id))


def _flow(v: Views, u: Unit, issued: list[Document]) -> list[tuple[Involvement, list]]:
    """For a unit that issues its own plans: what plans of a higher level ask of it in their latest years, each
    item with the same-theme work points of the unit's own plan that carries it out (its first plan of the
    upper plan's year or later)."""
    if not issued:
        return []
    own_level = min(LEVELS.index(d.level) for d in issued)
    upper = [i for i in v.ix.by_unit.get(u.id, []) if LEVELS.index(i.doc.level) < own_level]
    years = sorted({i.doc.year for i in upper}, reverse=True)[: Views.RECENT_YEARS]
    own_years = sorted({d.year for d in issued})
    out = []
    for i in (i for i in upper if i.doc.year in years):
        answer = next((y for y in own_years if y >= i.doc.year), None)
        themes_ = set((i.task or i.point).themes)
        matches = [(d, p) for d in issued if d.year == answer for p in d.points if themes_ & set(p.themes)]
        out.append((i, matches))
    return out


# -- regions -------------------------------------------------------------------------------------------------


def region(v: Views, region_id: str) -> View:
    """A paired region: where it stands, its documents and work points year by year, and, over all years, what
    each district (and the city) asked of it, with the page of each pair."""
    ix, r = v.ix, v.ds.region(region_id)
    docs = ix.docs_by_region[region_id]
    rows = ix.points_by_region.get(region_id, [])
    children = [c for c in ix.region_children.get(region_id, []) if v.site.has("region", c)]
    years = [
        (y, v.site.path("region_year", region_id, y), len(ydocs), _n_points([r for r in rows if r[0].year == y]))
        for y, ydocs in v.by_year(docs)
    ]
    pairs = []
    for a in v.ds.areas:
        kind = f"{v.site.area_kind(a.id)}_region"
        if v.site.has(kind, a.id, region_id):
            items = ix.items_by_pair[(a.id, region_id)]
            n_points = len({(d.id, p.id) for d, p, t in items if t is None and p.counted})
            n_items = len({(d.id, p.id) for d, p, t in items if t is None and not p.counted})
            pairs.append(
                (
                    a,
                    v.site.path(kind, a.id, region_id),
                    n_points,
                    len(items) - n_points - n_items,
                    sorted({d.year for d, _, _ in items}, reverse=True),
                )
            )
    path = ix.region_path(region_id)
    return _view(
        r.name,
        [d.source for d in docs] + ["data/regions.yml"],
        edit="data/regions.yml",
        region=r,
        n_docs=len(docs),
        n_points=_n_points(rows),
        rpath=[v.ds.region(x) for x in path],
        children=children,
        years=years,
        pairs=pairs,
        downloads=v.site.download("region", region_id),
        parents=[(v.ds.region(x).name, v.site.path("region", x)) for x in path[:-1]],
    )


def pair(v: Views, area_id: str, region_id: str) -> View:
    """What a district (or the city) asked of a paired region (or the regions below it), over all years, newest
    first: every work point and annex task, with its text, year, lead units and deadlines."""
    ds = v.ds
    area, r = ds.area(area_id), ds.region(region_id)
    items = v.ix.items_by_pair[(area_id, region_id)]
    names = sorted({n for x in v.ix.region_descendants(region_id) for n in ds.region(x).names}, key=len, reverse=True)
    rows = [(d, p, t, t or p, excerpt((t or p).text, names)) for d, p, t in items]
    n_points = sum(1 for _, p, t, _, _ in rows if t is None and p.counted)
    n_tasks = sum(1 for _, _, t, _, _ in rows if t is not None)
    return _view(
        f"{area.name} · {r.name}",
        [d.source for d, _, _ in items] + ["data/regions.yml"],
        edit="data/regions.yml",
        area=area,
        region=r,
        rows=rows,
        n_points=n_points,
        n_tasks=n_tasks,
        n_items=len(rows) - n_points - n_tasks,
        years=sorted({d.year for d, _, _ in items}, reverse=True),
        parents=[(area.name, v.site.area_path(area_id))],
    )


def excerpt(text: str, names: list[str], width: int = 70) -> str:
    """The part of ``text`` around the first place it names one of ``names`` (the whole text when short), with
    "…" where it is cut."""
    text = text.replace("\n", " ")
    if len(text) <= width:
        return text
    hits = [i for i in (text.find(n) for n in names) if i >= 0]
    at = min(hits) if hits else 0
    start = max(0, min(at - width // 3, len(text) - width))
    return ("…" if start else "") + text[start : start + width] + ("…" if start + width < len(text) else "")


def region_year(v: Views, region_id: str, year: int) -> View:
    """A paired region's documents and work points of one year: one row per work point."""
    ix, r = v.ix, v.ds.region(region_id)
    docs = ix.docs_by_region[region_id]
    ydocs = [d for d in docs if d.year == year]
    rows = [(d, p) for d, p in ix.points_by_region.get(region_id, []) if d.year == year]
    children = [c for c in ix.region_children.get(region_id, []) if v.site.has("region", c)]
    path = ix.region_path(region_id)
    return _view(
        f"{r.name} · {year} 年",
        v.sources(ydocs) + ["data/regions.yml"],
        edit="data/regions.yml",
        parents=[(v.ds.region(x).name, v.site.path("region", x)) for x in path],
        region=r,
        year=year,
        docs=ydocs,
        rows=rows,
        children=children,
        year_links=v.year_links("region_year", docs, region_id),
    )


# -- the A–Z index -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AZEntry:
    """An entry of the A–Z index: a name, what it is, the page it opens (source path) and a note."""

    name: str
    kind: str
    url: str
    note: str = ""


_KEY_TERM = re.compile(r"“([\u4e00-\u9fff][\u4e00-\u9fff·、]{1,10})”")


def az_entries(v: Views) -> list[tuple[str, list[AZEntry]]]:
    """A–Z index: units, regions, districts, themes, document titles and key terms, by pinyin initial."""
    ds, ix, site = v.ds, v.ix, v.site
    entries: list[AZEntry] = []
    for a in ds.areas:
        if site.has("district", a.id):
            entries.append(AZEntry(a.name, "区" if a.level == "district" else "市", site.path("district", a.id)))
    for t in ds.themes:
        entries.append(AZEntry(t.name, "主题", site.path("theme", t.id)))
    for u in ds.units:
        if site.has("unit", u.id):
            entries.append(
                AZEntry(u.name, "统称" if u.collective else "单位", site.path("unit", u.id), ix.unit_area_name(u))
            )
            for alias in u.aliases:  # a short name alone can be ambiguous (办公室): say whose it is
                entries.append(AZEntry(alias, "单位简称", site.path("unit", u.id), f"即 {u.name}"))
    for r in ds.regions:
        if site.has("region", r.id):
            entries.append(AZEntry(r.name, "对口地区", site.path("region", r.id)))
            for alias in r.aliases:
                entries.append(AZEntry(alias, "地区简称", site.path("region", r.id), f"见 {r.name}"))
    for d in ds.documents:
        entries.append(AZEntry(d.title, "文件", site.path("document", d.id), d.doc_number))
    terms: dict[str, list[tuple[Document, Point]]] = {}
    for d in ds.documents:  # key terms: the slogans and programme names the documents quote
        for p in d.all_points:
            for term in _KEY_TERM.findall(p.text):
                terms.setdefault(term, []).append((d, p))
    for term, where in terms.items():
        d, p = where[0]
        note = f"{d.title} {p.heading}" + (f" 等 {len(where)} 处" if len(where) > 1 else "")
        entries.append(AZEntry(term, "关键词", f"{site.path('document', d.id)}#{p.id}", note))
    groups: dict[str, list[AZEntry]] = defaultdict(list)
    seen = set()
    for e in sorted(entries, key=lambda e: (pinyin_key(e.name), e.kind, e.url)):
        if (e.name, e.url) in seen:
            continue
        seen.add((e.name, e.url))
        groups[pinyin_initial(e.name)].append(e)
    return sorted(groups.items(), key=lambda kv: (kv[0] == "#", kv[0]))


# -- the search registry -----------------------------------------------------------------------------------


def search_words(v: Views) -> View:
    """The search registry (data/search.yml): each group of readers' words, what it stands for (regions, with how
    many regions below them, and themes) and how many work points it finds; and the variant characters."""
    ds, ix, site = v.ds, v.ix, v.site
    rows = []
    for term in ds.search_terms:
        found = None
        if term.regions:
            found = {(d.id, p.id) for rid in term.regions for d, p in ix.points_by_region.get(rid, [])}
        if term.themes:
            of_themes = {(d.id, p.id) for tid in term.themes for d, p in ix.points_by_theme.get(tid, [])}
            found = of_themes if found is None else found & of_themes
        targets = [
            (
                ds.region(r).name,
                site.path("region", r) if site.has("region", r) else "",
                len(ix.region_descendants(r)) - 1,
            )
            for r in term.regions
        ]
        targets += [(ds.theme(t).name, site.path("theme", t), 0) for t in term.themes]
        rows.append((term, targets, len(found or ())))
    return _view("搜索词表", ["data/search.yml"], terms=rows, variants=ds.variants)
