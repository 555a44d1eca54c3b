"""Every kind of page the site has, in one table, and the site's URL scheme read from it.

Each :class:`PageKind` says where its pages go (a path made from ids only), which entities get one (its
``keys``), the template that writes it and the function that prepares its values (:mod:`plansite.views`).
The renderer, the open data, the search index and the A–Z index all take URLs and "has a page" from
:class:`Site`, so a page kind is added by one entry here and one template; ``/units/<id>/`` comes from the
entry named ``unit``.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from . import views
from .index import Index
from .model import Dataset
from .urls import page_url


@dataclass(frozen=True)
class PageKind:
    """One kind of page: ``path`` is the source path (``.md``, relative to the docs root) with a field per part
    of the key (``units/{id}.md``); ``keys(ds, ix)`` gives the key of every page of the kind, in order (``()``
    for a single page); ``prepare(v, *key)`` gives its :class:`~plansite.views.View`; ``section``: the kind of
    the index page it belongs under (its navigation tab and the second step of its breadcrumb)."""

    name: str
    path: str
    template: str
    keys: Callable[[Dataset, Index], Iterable[tuple]]
    prepare: Callable[..., views.View]
    section: str = ""
    fields: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "fields", tuple(f for _, f, _, _ in string.Formatter().parse(self.path) if f))

    def source(self, *key) -> str:
        """The source path of the page with this key."""
        return self.path.format(**dict(zip(self.fields, key)))


def _one(ds: Dataset, ix: Index) -> list[tuple]:
    return [()]


def _years(rows) -> list[tuple]:
    return [(y,) for y in sorted({r.doc.year for r in rows}, reverse=True)]


def _areas(level: str):
    """The areas of a level (city, district) that have documents."""
    return lambda ds, ix: [(a.id,) for a in ds.areas if a.level == level and a.id in ix.docs_by_area]


def _pairs(level: str):
    """(area, region) for each area of a level and each region its documents' work points or tasks name."""
    return lambda ds, ix: [(a, r) for a, r in ix.items_by_pair if ds.area(a).level == level]


KINDS: tuple[PageKind, ...] = (
    PageKind("home", "index.md", "home.md.j2", _one, views.home),
    PageKind("documents", "documents/index.md", "documents_index.md.j2", _one, views.documents),
    PageKind("districts", "districts/index.md", "districts_index.md.j2", _one, views.districts),
    PageKind("themes", "themes/index.md", "themes_index.md.j2", _one, views.themes),
    PageKind("units", "units/index.md", "units_index.md.j2", _one, views.units),
    PageKind("regions", "regions/index.md", "regions_index.md.j2", _one, views.regions),
    PageKind("targets", "targets/index.md", "targets_index.md.j2", _one, views.targets),
    PageKind("deadlines", "deadlines/index.md", "deadlines_index.md.j2", _one, views.deadlines),
    PageKind("az", "az.md", "az.md.j2", _one, views.az),
    PageKind("data", "data.md", "data.md.j2", _one, views.data, section="about"),
    PageKind("compare", "compare.md", "compare.md.j2", _one, views.compare, section="documents"),
    # Views that grow with every year's plans are split by the plans' year: an overview page, and a page per
    # year whose size stays the same however many years the site holds.
    PageKind(
        "targets_year",
        "targets/{year}.md",
        "targets.md.j2",
        lambda ds, ix: _years(ix.targets),
        views.targets_year,
        section="targets",
    ),
    PageKind(
        "deadlines_year",
        "deadlines/{year}.md",
        "deadlines.md.j2",
        lambda ds, ix: _years(ix.deadlines),
        views.deadlines_year,
        section="deadlines",
    ),
    PageKind(
        "document",
        "documents/{id}/index.md",
        "document.md.j2",
        lambda ds, ix: [(d.id,) for d in ds.documents],
        views.document,
        section="documents",
    ),
    PageKind(
        "original",
        "documents/{id}/original.md",
        "original.md.j2",
        lambda ds, ix: [(d.id,) for d in ds.documents],
        views.original,
        section="documents",
    ),
    # The city is not a district: its plans have a page of their own level, under the same tab.
    PageKind("city", "city/{id}.md", "district.md.j2", _areas("city"), views.district, section="districts"),
    PageKind(
        "district", "districts/{id}.md", "district.md.j2", _areas("district"), views.district, section="districts"
    ),
    # What a district (or the city) asked of a paired region, over all years.
    PageKind("city_region", "city/{id}/{region}.md", "pair.md.j2", _pairs("city"), views.pair, section="districts"),
    PageKind(
        "district_region",
        "districts/{id}/{region}.md",
        "pair.md.j2",
        _pairs("district"),
        views.pair,
        section="districts",
    ),
    PageKind(
        "theme",
        "themes/{id}.md",
        "theme.md.j2",
        lambda ds, ix: [(t.id,) for t in ds.themes],
        views.theme,
        section="themes",
    ),
    PageKind(
        "theme_year",
        "themes/{id}/{year}.md",
        "theme_year.md.j2",
        lambda ds, ix: [
            (t.id, y)
            for t in ds.themes
            for y in sorted({d.year for d, _ in ix.points_by_theme.get(t.id, [])}, reverse=True)
        ],
        views.theme_year,
        section="themes",
    ),
    PageKind(
        "unit",
        "units/{id}.md",
        "unit.md.j2",
        lambda ds, ix: [
            (u.id,) for u in ds.units if u.id in ix.by_unit or u.id in ix.via_unit or u.id in ix.docs_by_issuer
        ],
        views.unit,
        section="units",
    ),
    PageKind(
        "region",
        "regions/{id}.md",
        "region.md.j2",
        lambda ds, ix: [(r.id,) for r in ds.regions if r.id in ix.docs_by_region],
        views.region,
        section="regions",
    ),
    PageKind(
        "region_year",
        "regions/{id}/{year}.md",
        "region_year.md.j2",
        lambda ds, ix: [
            (r.id, y)
            for r in ds.regions
            for y in sorted({d.year for d in ix.docs_by_region.get(r.id, [])}, reverse=True)
        ],
        views.region_year,
        section="regions",
    ),
    PageKind("search_words", "search-words.md", "search_words.md.j2", _one, views.search_words),
)


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


# The open-data files of a page (CSV and XLSX): their path without the extension.
DOWNLOADS = {
    "district": "data/districts/{id}",
    "city": "data/city/{id}",
    "theme": "data/themes/{id}",
    "region": "data/regions/{id}",
    "unit": "data/units/{id}",
}


class Paths:
    """``paths.unit(id)`` → the source path of that unit's page, for every kind (as templates write links)."""

    def __init__(self, site: Site) -> None:
        self._site = site

    def __getattr__(self, kind: str) -> Callable[..., str]:
        if kind.startswith("_") or kind not in self._site.kinds:
            raise AttributeError(kind)
        return self._site.kinds[kind].source


class Site:
    """The site's pages as the table declares them, for a dataset: their paths and URLs, which exist, and the
    plan of every page. ``directory_urls``: MkDocs' ``use_directory_urls``."""

    def __init__(self, ds: Dataset, ix: Index, directory_urls: bool = True, kinds: tuple[PageKind, ...] = KINDS):
        self.ds, self.ix, self.directory_urls = ds, ix, directory_urls
        self.kinds = {k.name: k for k in kinds}
        self._keys = {k.name: list(k.keys(ds, ix)) for k in kinds}
        self._has = {name: set(keys) for name, keys in self._keys.items()}
        self.paths = Paths(self)

    def keys(self, kind: str) -> list[tuple]:
        """The key of every page of ``kind``, in order."""
        return self._keys[kind]

    def has(self, kind: str, *key) -> bool:
        """Whether the page of ``kind`` with this key exists."""
        return key in self._has[kind]

    def path(self, kind: str, *key) -> str:
        """The source path (``.md``) of a page."""
        return self.kinds[kind].source(*key)

    def area_kind(self, area_id: str) -> str:
        """The kind of an area's page: the city's (city) or a district's (district)."""
        return "city" if self.ds.area(area_id).level == "city" else "district"

    def area_path(self, area_id: str) -> str:
        """The source path of an area's page (the city's or a district's)."""
        return self.path(self.area_kind(area_id), area_id)

    def source_text(self, doc_id: str) -> str:
        """The path of a document's source text as received (原件文字版) in the site."""
        return f"data/sources/{doc_id}.txt"

    def compare_data(self, doc_id: str) -> str:
        """The path of a document's points by theme, for the page that compares two plans."""
        return f"data/compare/{doc_id}.json"

    def compare_index(self) -> str:
        """The path of the list of documents the page that compares two plans offers."""
        return "data/compare/index.json"

    def download(self, kind: str, key: str) -> str:
        """The path (without .csv or .xlsx) of the open-data files of the page of ``kind`` with this key."""
        return DOWNLOADS[kind].format(id=key)

    def url(self, kind: str, *key, anchor: str = "") -> str:
        """The URL of a page relative to the site root, as MkDocs gives it (``units/x/`` or ``units/x.html``)."""
        return page_url(self.path(kind, *key), self.directory_urls) + (f"#{anchor}" if anchor else "")

    def plan(self) -> list[PageSpec]:
        """Every page of the site, not yet rendered, kind by kind in the table's order. A page under a section
        (not itself in the navigation) gets its breadcrumb (home, the section's index, the view's parents)
        and the section's tab."""
        v = views.Views(self.ds, self.ix, self)
        out = []
        for kind in self.kinds.values():
            section = self.kinds.get(kind.section)
            for key in self._keys[kind.name]:
                view = kind.prepare(v, *key)
                values = dict(view.values, crumbs=[], tab="")
                if section is not None:
                    values["crumbs"] = [
                        (views.INDEX_TITLES["home"], self.path("home")),
                        (views.INDEX_TITLES[section.name], self.path(section.name)),
                        *view.parents,
                    ]
                    values["tab"] = page_url(self.path(section.name), self.directory_urls)
                out.append(PageSpec(kind.source(*key), view.title, view.sources, view.edit, kind.template, values))
        return out
