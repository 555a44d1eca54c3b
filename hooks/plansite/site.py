"""The whole generator as one call: validate ``data/``, index, render pages. No MkDocs needed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import Report
from .gitdates import file_dates
from .index import Index, build_index
from .model import Dataset
from .pages import PageSpec, Site
from .render import Page, Renderer
from .validate import validate_project


@dataclass(frozen=True)
class Built:
    """The result of a generator run: the dataset, its index, the plan of every page and its renderer;
    the rendered pages when asked for (a build renders them one by one instead, see the hook)."""

    dataset: Dataset
    index: Index
    site: Site
    plan: list[PageSpec]
    renderer: Renderer
    pages: list[Page] | None = None
    added: dict | None = None  # data file → the date it was added to the site (git)


def generate(root: Path, render: bool = True, directory_urls: bool = True) -> tuple[Built | None, Report]:
    """Validate the project at ``root``, plan every page and (``render``) render them; None when the data
    has errors. ``directory_urls``: MkDocs' ``use_directory_urls`` (the links written as HTML follow it)."""
    ds, report = validate_project(root)
    if ds is None:
        return None, report
    ix = build_index(ds)
    changed, added = file_dates(root, [d.source for d in ds.documents])
    site = Site(ds, ix, directory_urls)
    renderer = Renderer(site, root / "templates", changed)
    plan = site.plan()
    pages = [renderer.render(spec) for spec in plan] if render else None
    return Built(ds, ix, site, plan, renderer, pages, added), report


def write_markdown(built: Built, out: Path) -> list[Path]:
    """Write every generated page under ``out`` (for plain MkDocs or another site generator)."""
    written = []
    for page in built.pages if built.pages is not None else map(built.renderer.render, built.plan):
        target = out / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.markdown, encoding="utf-8")
        written.append(target)
    return written
