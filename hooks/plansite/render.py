"""Render the site's pages to Markdown through the Jinja2 templates in ``templates/``.

Pure: the plan of the site (:mod:`plansite.pages`) in, Markdown out. Templates get the values their view
prepared (:mod:`plansite.views`), the escaping filters (:mod:`plansite.markup`) and link helpers that take
every path from the table of page kinds. Links are relative, so MkDocs checks them and the site works from
any sub-path.
"""

from __future__ import annotations

import datetime as dt
import json
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

import jinja2

from .markup import cn_date, escape_attr, escape_cell, escape_md, highlight, http_url, num, yaml_str
from .model import Point, Task
from .pages import PageSpec, Site
from .slug import pinyin_variants
from .urls import page_url, relative_url, relpath

# A table or list of at least this many rows is rendered inside <div class="ps-long"> (templates/_long.md.j2):
# the browser lays it out only when it nears the screen.
LONG_ROWS = 8

_SUBHEADING = re.compile(r"^#{2,6} |<h[2-6][ >]", re.M)
_BLANK_LINES = re.compile(r"\n{3,}")


@dataclass(frozen=True)
class Page:
    """A generated page: its source path, Markdown, title, the data files it comes from, nav membership."""

    path: str
    markdown: str
    title: str
    sources: tuple[str, ...]
    edit: str


class Renderer:
    """Renders the pages of a site."""

    def __init__(self, site: Site, templates: Path, changed: dict[str, dt.date] | None = None) -> None:
        self.site, self.ds, self.changed = site, site.ds, changed or {}
        self.directory_urls = site.directory_urls
        self._urls: dict[tuple[str, str], str] = {}
        self._relpaths: dict[tuple[str, str], str] = {}
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(templates)),
            undefined=jinja2.StrictUndefined,
            autoescape=False,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.filters.update(
            md=escape_md,
            cell=escape_cell,
            attr=escape_attr,
            h=escape_attr,
            cn_date=cn_date,
            yaml_str=yaml_str,
            num=num,
            http_url=http_url,
        )
        self.env.globals.update(LONG_ROWS=LONG_ROWS)

    # -- helpers given to templates ------------------------------------------
    def _ctx(self, path: str) -> dict:
        here = posixpath.dirname(path) or "."
        here_url = page_url(path, self.directory_urls)
        paths = self.site.paths

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
        url = resolver(
            self._urls, here_url, lambda target: relative_url(page_url(target, self.directory_urls), here_url)
        )

        def link(label: str, target: str, anchor: str = "") -> str:
            return f"[{escape_md(label)}]({href(target, anchor)})"

        def a(label: str, target: str, anchor: str = "") -> str:
            return f'<a href="{escape_attr(url(target, anchor))}">{escape_attr(label)}</a>'

        def marked(item: Point | Task) -> list[str]:
            phrases = [(t.phrase, "ps-target") for t in item.targets] + [
                (d.phrase, "ps-deadline") for d in item.deadlines
            ]
            return [highlight(para, phrases) for para in item.text.split("\n")]

        return dict(
            urls=paths,
            path=path,
            href=href,
            link=link,
            url=url,
            a=a,
            marked=marked,
            pinyin=lambda name: " ".join(pinyin_variants(name)),
            # links to an entry's page, each as Markdown (``unit_link`` …) and as HTML for raw HTML blocks (``unit_a`` …)
            **{f"{name}_link": fn for name, fn in self._entry_links(link).items()},
            **{f"{name}_a": fn for name, fn in self._entry_links(a).items()},
        )

    def _entry_links(self, make) -> dict:
        """Link makers by entry kind; ``make(label, target, anchor="")`` writes a link (Markdown or HTML)."""
        ds, paths = self.ds, self.site.paths
        return dict(
            unit=lambda uid, written=None: make(written or ds.unit(uid).name, paths.unit(uid)),
            doc=lambda doc: make(doc.title, paths.document(doc.id)),
            point=lambda doc, point, label=None: make(label or point.heading, paths.document(doc.id), point.id),
            task=lambda doc, task: make(f"任务 {task.no}", paths.document(doc.id), task.id),
            theme=lambda tid: make(ds.theme(tid).name, paths.theme(tid)),
            region=lambda rid: make(ds.region(rid).name, paths.region(rid)),
            area=lambda aid: make(ds.area(aid).name, self.site.area_path(aid)),
        )

    def render(self, spec: PageSpec) -> Page:
        """The page of ``spec``, rendered: its front matter (title; no navigation sidebar, the page's width goes
        to its tables, nor a table of contents when it has no headings to list; the tab it is under), its
        breadcrumb, then its template."""
        dates = [self.changed[s] for s in spec.sources if s in self.changed]
        ctx = (
            self._ctx(spec.path)
            | spec.values
            | dict(title=spec.title, updated=max(dates) if dates else None, sources=spec.sources)
        )
        body = self.env.get_template(spec.template).render(**ctx)
        front = f"---\ntitle: {yaml_str(spec.title)}\nhide:\n  - navigation\n"
        if not _SUBHEADING.search(body):
            front += "  - toc\n"
        if ctx["tab"]:
            front += f"tab: {json.dumps(ctx['tab'])}\n"
        md = front + "---\n\n" + self._crumbs(ctx) + body
        md = _BLANK_LINES.sub("\n\n", md).strip() + "\n"
        return Page(spec.path, md, spec.title, spec.sources, spec.edit)

    @staticmethod
    def _crumbs(ctx: dict) -> str:
        """The breadcrumb of a page under a section: where it stands, each step a link, the page itself last."""
        if not ctx["crumbs"]:
            return ""
        steps = [
            f'<li><a href="{escape_attr(ctx["url"](path))}">{escape_attr(label)}</a></li>'
            for label, path in ctx["crumbs"]
        ]
        steps.append(f'<li aria-current="page">{escape_attr(ctx["title"])}</li>')
        return f'<nav class="ps-crumbs" aria-label="当前位置"><ol>{"".join(steps)}</ol></nav>\n\n'


def render_site(ds, templates: Path, changed: dict[str, dt.date] | None = None) -> list[Page]:
    """Index ``ds`` and render every page."""
    from .index import build_index

    site = Site(ds, build_index(ds))
    renderer = Renderer(site, templates, changed)
    return [renderer.render(spec) for spec in site.plan()]
