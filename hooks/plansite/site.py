"""The whole generator as one call: validate ``data/``, index, render pages. No MkDocs needed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import Report
from .gitdates import last_changed
from .index import Index, build_index
from .model import Dataset
from .render import Page, Renderer
from .validate import validate_project


@dataclass(frozen=True)
class Built:
    """The result of a generator run: the dataset, its index and the rendered pages."""

    dataset: Dataset
    index: Index
    pages: list[Page]


def generate(root: Path) -> tuple[Built | None, Report]:
    """Validate the project at ``root`` and render every page; None when the data has errors."""
    ds, report = validate_project(root)
    if ds is None:
        return None, report
    ix = build_index(ds)
    changed = last_changed(root, [d.source for d in ds.documents])
    pages = Renderer(ds, ix, root / "templates", changed).pages()
    return Built(ds, ix, pages), report


def write_markdown(built: Built, out: Path) -> list[Path]:
    """Write every generated page under ``out`` (for plain MkDocs or another site generator)."""
    written = []
    for page in built.pages:
        target = out / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.markdown, encoding="utf-8")
        written.append(target)
    return written
