"""Render the model to Markdown pages through the Jinja2 templates in ``templates/``.

Pure: dataset and index in, a list of :class:`Page` out. Editor text is escaped for the
Markdown context it lands in (inline text, table cell, heading), so it is always shown as
text and never becomes HTML, script or Markdown structure. Links are relative ``.md`` paths,
so MkDocs checks them and the site works from any sub-path.
"""

from __future__ import annotations

import datetime as dt
import json
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from .index import Duties, Index, az_entries
from .model import LEVELS, Dataset, Document, Point, Task, Unit
from .slug import pinyin_key, pinyin_variants

# Python-Markdown turns a backslash before one of these back into the character (its ESCAPED_CHARS,
# with the tables extension's ``|``); a backslash before any other character would be shown as is.
# A table or list of at least this many rows is rendered inside <div class="ps-long"> (templates/_long.md.j2):
# the browser lays it out only when it nears the screen.
LONG_ROWS = 8

_MD_ESCAPABLE = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")
# At the start of a block these begin a definition (def_list), a collapsible block (pymdownx.details)
# or a heading underline and cannot be backslashed: they become character references there.
_BLOCK_START = re.compile(r"^([ \t]*)([:?=])")
_NEWLINES = re.compile(r"\r\n?|\n")
# The same as a translation table: ``text.translate(_MD_ESCAPES) == _MD_ESCAPABLE.sub(r"\\\1", text)``,
# several times faster (escape_md runs for every name and text on every page).
_MD_ESCAPES = str.maketrans({c: "\\" + c for c in "\\`*_{}[]()#+-.!|"})


def _html_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_md(text: str) -> str:
    """Escape ``text`` for inline Markdown, so that it is shown exactly as written and never becomes markup.

    HTML characters become entities, Markdown punctuation is backslashed, a line break becomes a
    space (text is inline: a new line must not start a heading, list or block), and a character that
    would start a block where the text starts becomes a character reference.
    """
    text = _html_text(_NEWLINES.sub(" ", text)).translate(_MD_ESCAPES)
    return _BLOCK_START.sub(lambda m: f"{m.group(1)}&#{ord(m.group(2))};", text)


def escape_cell(text: str) -> str:
    """Escape ``text`` for a Markdown table cell (one line; ``|`` escaped)."""
    return escape_md(text)


def page_url(path: str, directory_urls: bool = True) -> str:
    """The URL (relative to the site root) MkDocs gives the file at ``path``: ``units/x.md`` → ``units/x/``,
    ``documents/y/index.md`` → ``documents/y/``, ``index.md`` → ``""``; other files keep their path."""
    if not path.endswith(".md"):
        return path
    stem = path[:-3]
    if stem == "index" or stem.endswith("/index"):
        return stem[:-5] if directory_urls else stem + ".html"
    return stem + "/" if directory_urls else stem + ".html"


def relpath(target: str, start: str) -> str:
    """``posixpath.relpath`` for site paths (relative, normalised: no ``..``, no empty or ``.`` parts except
    ``"."`` for the root), without its two ``os.getcwd()`` calls; a link is made for every row of every page."""
    t = [] if target == "." else target.split("/")
    s = [] if start == "." else start.split("/")
    common = 0
    for a, b in zip(t, s):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(s) - common) + t[common:]) or "."


def relative_url(target: str, here: str) -> str:
    """The relative URL from the page at URL ``here`` to the URL ``target`` (both relative to the site root)."""
    base = here if here.endswith("/") or not here else posixpath.dirname(here) + "/"
    rel = relpath(target.rstrip("/") or ".", base.rstrip("/") or ".")
    if target.endswith("/") or not target:
        return "./" if rel == "." else rel + "/"
    return rel


def escape_attr(text: str) -> str:
    """Escape ``text`` for an HTML attribute value or the content of a raw HTML block (one line)."""
    return _html_text(_NEWLINES.sub(" ", text)).replace('"', "&quot;").replace("'", "&#39;")


_BLANK_LINES = re.compile(r"\n{3,}")


class Urls:
    """Source paths (``.md``, relative to the docs root) of every page kind, derived from ids only."""

    @staticmethod
    def document(id: str) -> str:
        return f"documents/{id}/index.md"

    @staticmethod
    def original(id: str) -> str:
        return f"documents/{id}/original.md"

    @staticmethod
    def area(id: str) -> str:
        return f"districts/{id}.md"

    @staticmethod
    def theme(id: str) -> str:
        return f"themes/{id}.md"

    @staticmethod
    def unit(id: str) -> str:
        return f"units/{id}.md"

    @staticmethod
    def region(id: str) -> str:
        return f"regions/{id}.md"

    # Views that grow with every year's plans are split by the plans' year: an overview page, and a
    # page per year whose size stays the same however many years the site holds.
    @staticmethod
    def theme_year(id: str, year: int) -> str:
        return f"themes/{id}/{year}.md"

    @staticmethod
    def region_year(id: str, year: int) -> str:
        return f"regions/{id}/{year}.md"

    @staticmethod
    def targets(year: int | None = None) -> str:
        return f"targets/{year}.md" if year else "targets/index.md"

    @staticmethod
    def deadlines(year: int | None = None) -> str:
        return f"deadlines/{year}.md" if year else "deadlines/index.md"


@dataclass(frozen=True)
class PageSpec:
    """A page before rendering: where it goes, what it is made from, and the template and values that make it.

    The plan of the whole site (every spec) is cheap; rendering a spec is where the time goes, so a build
    can know every page at once and render them later, elsewhere (see :mod:`plansite.worker`).
    """

    path: str
    title: str
    sources: tuple[str, ...]
    edit: str
    template: str
    values: dict = field(compare=False, repr=False)


@dataclass(frozen=True)
class Page:
    """A generated page: its source path, Markdown, title, the data files it comes from, nav membership."""

    path: str
    markdown: str
    title: str
    sources: tuple[str, ...]
    edit: str


def yaml_str(text: str) -> str:
    """A page title for front matter: a YAML double-quoted scalar (JSON strings are valid YAML), Chinese kept as is.

    Material prints ``page.meta.title`` into the HTML unescaped (``<title>``, the header, navigation),
    so it is HTML text: ``&``, ``<``, ``>`` and quotes become entities first.
    """
    return json.dumps(escape_attr(text), ensure_ascii=False)


def num(value: float) -> str:
    """A figure as the documents write it: ``5000``, ``1.2`` (never ``5000.0``)."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def cn_date(d: dt.date | None) -> str:
    """``2025年6月13日``."""
    return f"{d.year}年{d.month}月{d.day}日" if d else ""


def highlight(text: str, phrases: list[tuple[str, str]]) -> str:
    """Escape ``text`` and wrap each occurrence of the (phrase, css class) pairs in ``<mark>``."""
    spans: list[tuple[int, int, str]] = []
    for phrase, cls in sorted(phrases, key=lambda p: -len(p[0])):
        start = 0
        while phrase and (i := text.find(phrase, start)) >= 0:
            if all(i >= e or i + len(phrase) <= s for s, e, _ in spans):
                spans.append((i, i + len(phrase), cls))
            start = i + len(phrase)
    out, pos = [], 0
    for s, e, cls in sorted(spans):
        out.append(escape_md(text[pos:s]))
        out.append(f'<mark class="{cls}">{escape_md(text[s:e])}</mark>')
        pos = e
    out.append(escape_md(text[pos:]))
    return "".join(out)


class Renderer:
    """Renders every page of the site."""

    def __init__(self, ds: Dataset, ix: Index, templates: Path, changed: dict[str, dt.date] | None = None,
                 edit_base: str = "", directory_urls: bool = True) -> None:
        self.ds, self.ix, self.changed = ds, ix, changed or {}
        self.directory_urls = directory_urls
        self._urls: dict[tuple[str, str], str] = {}
        self.edit_base = edit_base
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(templates)), undefined=jinja2.StrictUndefined,
            autoescape=False, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        )
        self.env.filters.update(md=escape_md, cell=escape_cell, attr=escape_attr, h=escape_attr, cn_date=cn_date,
                                yaml_str=yaml_str, num=num)
        self.env.globals.update(LONG_ROWS=LONG_ROWS, RECENT_YEARS=self.RECENT_YEARS)
        self.unit_sources = {u.id: u.source for u in ds.units}
        self._relpaths: dict[tuple[str, str], str] = {}
        self._unit_children: dict[str, list[str]] = {}
        for u in ds.units:
            if u.parent:
                self._unit_children.setdefault(u.parent, []).append(u.id)
        self.legacy: dict[tuple[str, str], list[str]] = {}
        for old, new in ds.redirects:  # same-page anchor redirects: keep the old anchor on the page
            if "#" in old:
                doc_id = old.split("#")[0].strip("/").split("/")[-1]
                self.legacy.setdefault((doc_id, new.split("#")[1]), []).append(old.split("#")[1])

    # -- helpers given to templates ------------------------------------------
    def _ctx(self, path: str) -> dict:
        here = posixpath.dirname(path) or "."
        here_url = page_url(path, self.directory_urls)

        def resolver(cache: dict, base: str, relative):
            """A link target (``.md`` path, with or without ``#anchor``) relative to this page; each
            (target, page) pair is worked out once per build (links are made for every row of every page)."""
            def resolve(target: str, anchor: str = "") -> str:
                if "#" in target:
                    target, _, anchor = target.partition("#")
                if target == path and anchor:
                    return f"#{anchor}"
                rel = cache.get((target, base))
                if rel is None:
                    rel = cache[(target, base)] = relative(target)
                return rel + (f"#{anchor}" if anchor else "")
            return resolve

        # Markdown links: to the source path, which MkDocs turns into the page's URL and checks.
        href = resolver(self._relpaths, here, lambda target: relpath(target, here))
        # The same links as HTML, for the tables and lists written as raw HTML blocks (MkDocs passes them
        # through without Markdown processing, which at 10,000 work points is most of the build): the
        # URL MkDocs gives the target page, relative to this page's URL.
        url = resolver(self._urls, here_url,
                       lambda target: relative_url(page_url(target, self.directory_urls), here_url))

        def link(label: str, target: str, anchor: str = "") -> str:
            return f"[{escape_md(label)}]({href(target, anchor)})"

        def a(label: str, target: str, anchor: str = "") -> str:
            return f'<a href="{escape_attr(url(target, anchor))}">{escape_attr(label)}</a>'

        def unit_a(uid: str, written: str | None = None) -> str:
            return a(written or self.ds.unit(uid).name, Urls.unit(uid))

        def doc_a(doc: Document) -> str:
            return a(doc.title, Urls.document(doc.id))

        def point_a(doc: Document, point: Point, label: str | None = None) -> str:
            return a(label or point.heading, Urls.document(doc.id), point.id)

        def task_a(doc: Document, task: Task) -> str:
            return a(f"任务 {task.no}", Urls.document(doc.id), task.id)

        def unit_link(uid: str, written: str | None = None) -> str:
            unit = self.ds.unit(uid)
            return link(written or unit.name, Urls.unit(uid))

        def doc_link(doc: Document) -> str:
            return link(doc.title, Urls.document(doc.id))

        def point_link(doc: Document, point: Point, label: str | None = None) -> str:
            return link(label or point.heading, Urls.document(doc.id), point.id)

        def task_link(doc: Document, task: Task) -> str:
            return link(f"任务 {task.no}", Urls.document(doc.id), task.id)

        def theme_link(tid: str) -> str:
            return link(self.ds.theme(tid).name, Urls.theme(tid))

        def region_link(rid: str) -> str:
            return link(self.ds.region(rid).name, Urls.region(rid))

        def area_link(aid: str) -> str:
            return link(self.ds.area(aid).name, Urls.area(aid))

        def marked(item: Point | Task) -> list[str]:
            phrases = [(t.phrase, "ps-target") for t in item.targets] + [(d.phrase, "ps-deadline") for d in item.deadlines]
            return [highlight(para, phrases) for para in item.text.split("\n")]

        return dict(ds=self.ds, ix=self.ix, urls=Urls, path=path, legacy=self.legacy, href=href, link=link, unit_link=unit_link,
                    doc_link=doc_link, point_link=point_link, task_link=task_link, theme_link=theme_link,
                    region_link=region_link, area_link=area_link, marked=marked, url=url, a=a, unit_a=unit_a,
                    doc_a=doc_a, point_a=point_a, task_a=task_a,
                    theme_a=lambda tid: a(self.ds.theme(tid).name, Urls.theme(tid)),
                    region_a=lambda rid: a(self.ds.region(rid).name, Urls.region(rid)),
                    area_a=lambda aid: a(self.ds.area(aid).name, Urls.area(aid)),
                    pinyin=lambda name: " ".join(pinyin_variants(name)))

    def _page(self, template: str, path: str, title: str, sources: list[str], edit: str = "", **values) -> PageSpec:
        srcs = tuple(sorted(set(sources)))
        return PageSpec(path, title, srcs, edit or (srcs[0] if len(srcs) == 1 else "data/documents/"), template, values)

    def render(self, spec: PageSpec) -> Page:
        """The page of ``spec``, rendered."""
        dates = [self.changed[s] for s in spec.sources if s in self.changed]
        ctx = self._ctx(spec.path) | spec.values | dict(title=spec.title, updated=max(dates) if dates else None,
                                                        sources=spec.sources)
        md = self.env.get_template(spec.template).render(**ctx)
        md = _BLANK_LINES.sub("\n\n", md).strip() + "\n"
        return Page(spec.path, md, spec.title, spec.sources, spec.edit)

    def pages(self) -> list[Page]:
        """Every generated page, rendered, in a stable order."""
        return [self.render(spec) for spec in self.plan()]

    # -- the plan ------------------------------------------------------------------
    def plan(self) -> list[PageSpec]:
        """Every generated page, not yet rendered, in a stable order."""
        ds, ix = self.ds, self.ix
        all_docs = [d.source for d in ds.documents]
        out = [
            self._page("home.md.j2", "index.md", "首页", all_docs),
            self._page("documents_index.md.j2", "documents/index.md", "文件", all_docs),
            self._page("districts_index.md.j2", "districts/index.md", "各区", all_docs),
            self._page("themes_index.md.j2", "themes/index.md", "主题", all_docs + ["data/themes.yml"]),
            self._page("units_index.md.j2", "units/index.md", "单位", all_docs + sorted(self.unit_sources.values()),
                       unit_groups=self._unit_groups()),
            self._page("regions_index.md.j2", "regions/index.md", "对口地区", all_docs + ["data/regions.yml"],
                       regions=[r for r in ds.regions if r.id in ix.docs_by_region]),
            self._page("targets_index.md.j2", Urls.targets(), "量化指标", all_docs,
                       years=self._year_counts(self.ix.targets)),
            self._page("deadlines_index.md.j2", Urls.deadlines(), "时间节点", all_docs,
                       years=self._year_counts(self.ix.deadlines)),
            self._page("az.md.j2", "az.md", "索引", all_docs, groups=az_entries(ix, Urls)),
            self._page("data.md.j2", "data.md", "数据下载", all_docs, **self._data_fields()),
        ]
        for year, rows in self._by_year(ix.targets):
            out.append(self._page("targets.md.j2", Urls.targets(year), f"量化指标 · {year} 年",
                                  self._sources(r.doc for r in rows), year=year,
                                  year_links=[(y, Urls.targets(y)) for y in self._years(ix.targets)],
                                  groups=self._target_groups(rows)))
        for year, rows in self._by_year(ix.deadlines):
            out.append(self._page("deadlines.md.j2", Urls.deadlines(year), f"时间节点 · {year} 年",
                                  self._sources(r.doc for r in rows), year=year,
                                  year_links=[(y, Urls.deadlines(y)) for y in self._years(ix.deadlines)],
                                  groups=self._deadline_groups(rows)))
        for doc in ds.documents:
            prev, nxt = ix.prev_next(doc)
            srcs = [doc.source, self.unit_sources.get(doc.issuer, "")]
            out.append(self._page("document.md.j2", Urls.document(doc.id), doc.title, [doc.source], doc=doc,
                                  prev=prev, next=nxt))
            out.append(self._page("original.md.j2", Urls.original(doc.id), f"{doc.title}（原文）", [doc.source],
                                  doc=doc))
            del srcs
        for area in ds.areas:
            docs = ix.docs_by_area.get(area.id, [])
            if docs:
                out.append(self._page("district.md.j2", Urls.area(area.id), area.name, [d.source for d in docs],
                                      area=area, docs=docs, **self._district(docs)))
        for theme in ds.themes:
            rows = ix.points_by_theme.get(theme.id, [])
            srcs = [d.source for d, _ in rows] + ["data/themes.yml"]
            out.append(self._page("theme.md.j2", Urls.theme(theme.id), theme.name, srcs, edit="data/themes.yml",
                                  theme=theme, rows=rows, years=self._year_summary(rows)))
            for year, yrows in self._by_year(rows):
                out.append(self._page("theme_year.md.j2", Urls.theme_year(theme.id, year), f"{theme.name} · {year} 年",
                                      self._sources(d for d, _ in yrows) + ["data/themes.yml"],
                                      edit="data/themes.yml", theme=theme, year=year, rows=yrows,
                                      year_links=[(y, Urls.theme_year(theme.id, y)) for y in self._years(rows)],
                                      groups=self._by_area(yrows)))
        for unit in ds.units:
            if ix.unit_has_page(unit.id):
                out.append(self._unit_page(unit))
        for region in ds.regions:
            docs = ix.docs_by_region.get(region.id, [])
            if not docs:
                continue
            rows = ix.points_by_region.get(region.id, [])
            srcs = [d.source for d in docs] + ["data/regions.yml"]
            doc_years = self._by_year(docs)
            children = [c for c in ix.region_children.get(region.id, []) if c in ix.docs_by_region]
            out.append(self._page("region.md.j2", Urls.region(region.id), region.name, srcs, edit="data/regions.yml",
                                  region=region, docs=docs, rows=rows, rpath=ix.region_path(region.id),
                                  children=children,
                                  years=[(y, len(ydocs), sum(1 for d, _ in rows if d.year == y)) for y, ydocs in doc_years]))
            for year, ydocs in doc_years:
                yrows = [(d, p) for d, p in rows if d.year == year]
                out.append(self._page("region_year.md.j2", Urls.region_year(region.id, year), f"{region.name} · {year} 年",
                                      self._sources(ydocs) + ["data/regions.yml"], edit="data/regions.yml",
                                      region=region, year=year, docs=ydocs, rows=yrows, children=children,
                                      year_links=[(y, Urls.region_year(region.id, y)) for y, _ in doc_years]))
        return out

    @staticmethod
    def _data_fields() -> dict:
        from . import export

        return dict(schema_version=export.SCHEMA_VERSION, plan_fields=export.PLAN_FIELDS,
                    point_fields=export.POINT_FIELDS, task_fields=export.TASK_FIELDS,
                    point_columns=export.POINT_COLUMNS, task_columns=export.TASK_COLUMNS,
                    unit_columns=export.UNIT_COLUMNS, feed_entries=export.FEED_ENTRIES)

    def _sorted_units(self, ids) -> list[str]:
        # the id breaks ties between units of the same name (党群科 of two departments): same order every build
        return sorted(set(ids), key=lambda u: (pinyin_key(self.ds.unit(u).name), u))

    def _district(self, docs: list[Document]) -> dict:
        points = [p for d in docs for p in d.points]
        ids = {d.id for d in docs}  # document ids are unique: comparing ids, not whole documents
        regions = {r for r, rdocs in self.ix.docs_by_region.items() if any(x.id in ids for x in rdocs)}
        units = [r.unit for d in docs for p in d.all_points for r in (*p.lead, *p.responsible)]
        units += [r.unit for d in docs for t in d.tasks for r in (*t.lead, *t.responsible)]
        counts = [(t.id, sum(t.id in p.themes for p in points)) for t in self.ds.themes]
        return dict(n_points=len(points), regions=[r.id for r in self.ds.regions if r.id in regions],
                    theme_counts=[(t, n) for t, n in counts if n], units=self._sorted_units(units))

    def _unit_groups(self) -> list[tuple[str, list[tuple[Unit, Duties]]]]:
        groups: dict[str, list[Unit]] = {}
        for u in self.ds.units:
            if self.ix.unit_has_page(u.id):
                groups.setdefault(self.ix.unit_area_name(u), []).append(u)
        area_order = {a.name: i for i, a in enumerate(self.ds.areas)}
        return [(org, [(u, self.ix.duties.get(u.id, Duties())) for u in sorted(us, key=lambda u: pinyin_key(u.name))])
                for org, us in sorted(groups.items(), key=lambda kv: (area_order.get(kv[0], 99), pinyin_key(kv[0])))]

    # A unit's page lists in full what it carries in the plans of its two latest years; earlier plans get a
    # line each (the full list is on the document pages and in the unit's download), so the page stays
    # the same size however many years of plans the site holds.
    RECENT_YEARS = 2

    def _unit_page(self, unit: Unit) -> PageSpec:
        """A unit's page: what it leads and is responsible for by name, then what reaches it through collective
        names that cover it, in its latest years' plans in full; earlier plans a line each."""
        ix = self.ix
        inv = ix.by_unit.get(unit.id, [])
        via = ix.via_unit.get(unit.id, [])
        issued = ix.docs_by_issuer.get(unit.id, [])
        years = sorted({i.doc.year for i in (*inv, *via)}, reverse=True)[: self.RECENT_YEARS]
        recent = [i for i in inv if i.doc.year in years]
        collectives: dict[tuple[str, bool], list] = {}
        for i in via:
            if i.doc.year in years:
                collectives.setdefault((i.via, i.definite), []).append(i)
        unknown = []
        if not unit.collective:
            for cid in ix.unknown_collectives.get((unit.area, unit.parent), []):
                cinv = [i for i in ix.by_unit[cid] if i.doc.year in years]
                if cinv:
                    unknown.append((cid, self._counted(cinv)))
        return self._page(
            "unit.md.j2", Urls.unit(unit.id), unit.name,
            [i.doc.source for i in (*inv, *via)] + [d.source for d in issued] + [unit.source], edit=unit.source,
            unit=unit, duties=ix.duties.get(unit.id, Duties()), years=years,
            lead=self._commitments([i for i in recent if i.role == "lead"]),
            resp=self._commitments([i for i in recent if i.role != "lead"]),
            via=[(cid, definite, self._commitments(rows)) for (cid, definite), rows in collectives.items()],
            via_definite=all(definite for _, definite in collectives),
            unknown=unknown, older=self._older(inv, years), issued=issued, flow=self._flow(unit, issued),
            children=self._children(unit))

    def _commitments(self, invs) -> list[tuple]:
        """Involvements by document, in order: (document, [(involvement, its deadline rows)], (points, items,
        tasks))."""
        out: dict[str, list] = {}
        for i in invs:
            item = i.task or i.point
            out.setdefault(i.doc.id, []).append((i, self.ix.deadlines_of.get((i.doc.id, item.id), [])))
        return [(rows[0][0].doc, rows, self._counted([i for i, _ in rows])) for rows in out.values()]

    @staticmethod
    def _counted(invs) -> tuple[int, int, int]:
        """(work points, closing items, annex tasks) among involvements."""
        tasks = sum(1 for i in invs if i.task is not None)
        items = sum(1 for i in invs if i.task is None and not i.point.counted)
        return len(invs) - tasks - items, items, tasks

    @staticmethod
    def _older(inv, years) -> list[tuple]:
        """(document, led points, led tasks, responsible points, responsible tasks) for the unit's plans before
        ``years``, newest first."""
        older: dict[str, list] = {}
        for i in inv:
            if i.doc.year not in years:
                row = older.setdefault(i.doc.id, [i.doc, 0, 0, 0, 0])
                row[(1 if i.role == "lead" else 3) + (i.task is not None)] += 1
        return sorted((tuple(v) for v in older.values()), key=lambda r: (-r[0].year, r[0].id))

    def _children(self, unit: Unit) -> list[str]:
        kids = [u for u in self._unit_children.get(unit.id, [])
                if self.ix.unit_has_page(u)]
        return self._sorted_units(kids)

    def _by_area(self, rows: list) -> list[tuple[str, list]]:
        order = {a.id: i for i, a in enumerate(self.ds.areas)}
        groups: dict[str, list] = {}
        for row in rows:
            groups.setdefault(row[0].area, []).append(row)
        return sorted(groups.items(), key=lambda kv: order[kv[0]])

    @staticmethod
    def _doc_of(row) -> Document:
        return row[0] if isinstance(row, tuple) else getattr(row, "doc", row)

    def _by_year(self, rows) -> list[tuple[int, list]]:
        """``rows`` (documents, (document, point) pairs, or rows with a ``doc``) grouped by the document's year,
        newest first, each group in the given order."""
        groups: dict[int, list] = {}
        for row in rows:
            groups.setdefault(self._doc_of(row).year, []).append(row)
        return sorted(groups.items(), key=lambda kv: -kv[0])

    def _years(self, rows) -> list[int]:
        return [y for y, _ in self._by_year(rows)]

    def _year_counts(self, rows) -> list[tuple[int, int, int]]:
        """(year, rows, documents) for the per-year pages of targets and deadlines."""
        return [(y, len(yrows), len({self._doc_of(r).id for r in yrows})) for y, yrows in self._by_year(rows)]

    def _year_summary(self, rows) -> list[tuple[int, int, int]]:
        """(year, work points, districts) of (document, point) rows."""
        return [(y, len(yrows), len({d.area for d, _ in yrows})) for y, yrows in self._by_year(rows)]

    def _sources(self, docs) -> list[str]:
        return [self._doc_of(d).source for d in docs]

    def _target_groups(self, rows) -> list[tuple[str, list]]:
        """(area, [(document, its target rows, its totals)]) in the order of areas, then of documents."""
        order = {a.id: i for i, a in enumerate(self.ds.areas)}
        by_doc: dict[str, list] = {}
        for row in rows:
            by_doc.setdefault(row.doc.id, []).append(row)
        groups: dict[str, list] = {}
        for doc_rows in by_doc.values():
            doc = doc_rows[0].doc
            groups.setdefault(doc.area, []).append((doc, doc_rows, self.ix.target_totals.get(doc.id, [])))
        return sorted(groups.items(), key=lambda kv: order[kv[0]])

    def _deadline_groups(self, rows) -> list[tuple[str, list]]:
        groups: dict[str, list] = {}
        for row in rows:
            d = row.deadline
            head = f"{d.due.year}年{d.due.month}月" if d.due else ("周期性" if d.repeat else "相对时限")
            groups.setdefault(head, []).append(row)
        return list(groups.items())

    def _flow(self, unit: Unit, issued: list[Document]) -> list[tuple]:
        """For a unit that issues its own plans: what plans of a higher level ask of it in their latest years, each
        item with the same-theme work points of the unit's own plan that carries it out (its first plan of the
        upper plan's year or later)."""
        if not issued:
            return []
        own_level = min(LEVELS.index(d.level) for d in issued)
        upper = [i for i in self.ix.by_unit.get(unit.id, []) if LEVELS.index(i.doc.level) < own_level]
        years = sorted({i.doc.year for i in upper}, reverse=True)[: self.RECENT_YEARS]
        own_years = sorted({d.year for d in issued})
        out = []
        for i in (i for i in upper if i.doc.year in years):
            answer = next((y for y in own_years if y >= i.doc.year), None)
            themes = set((i.task or i.point).themes)
            matches = [(d, p) for d in issued if d.year == answer for p in d.points if themes & set(p.themes)]
            out.append((i, matches))
        return out


def render_site(ds: Dataset, templates: Path, changed: dict[str, dt.date] | None = None) -> list[Page]:
    """Index ``ds`` and render every page."""
    from .index import build_index

    return Renderer(ds, build_index(ds), templates, changed).pages()
