"""MkDocs hook: thin glue that forwards MkDocs events to the ``plansite`` library.

on_config has the worker (plansite.worker) validate ``data/`` (a data error aborts the build with one clean
message) and plan the pages; on_files adds them, rendered by the worker as MkDocs reads them, and lets the
worker write the open-data files and the search index into the site folder beside the build;
a Markdown extension (plansite.rawhtml) spares MkDocs parsing the generated HTML blocks twice;
on_page_content / on_page_context keep each page's HTML compressed until it is written and point
"edit" at the YAML; on_post_build writes the redirects and waits for the open data and the search index.
Under ``mkdocs serve``, a page whose Markdown is unchanged since the last build gets MkDocs' HTML of that
build again (plansite.pagecache).
"""

from __future__ import annotations

import logging
import os
import sys
import time
import zlib
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

sys.path.insert(0, str(Path(__file__).resolve().parent))

from plansite import postbuild  # noqa: E402
from plansite.pagecache import CACHE  # noqa: E402
from plansite.errors import write_step_summary  # noqa: E402
from plansite.gitdates import source_date_epoch  # noqa: E402
from plansite.rawhtml import RawBlocks  # noqa: E402
from plansite.worker import DataErrors, SiteWorker  # noqa: E402

log = logging.getLogger("mkdocs.plugins.plansite")
_state: dict = {}


def on_startup(command, dirty):
    """Only ``mkdocs serve`` builds again and again in one process: only it keeps pages' HTML between builds."""
    CACHE.enabled = command == "serve"


def on_config(config):
    """Validate the data and plan every page, once per build, in the worker (plansite.worker)."""
    root = Path(config.config_file_path).resolve().parent
    # Reproducible builds: every date MkDocs stamps (sitemap) comes from the last commit, not the clock.
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(source_date_epoch(root)))
    _stop_worker()  # mkdocs serve calls on_config again for every rebuild
    _state.clear()
    worker = SiteWorker(root, config.use_directory_urls, config.site_url or "")
    try:
        plan = worker.prepare()
    except DataErrors as exc:
        style = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "human"
        for line in exc.report.format(style).splitlines():
            print(line, file=sys.stderr)
        write_step_summary(exc.report)
        raise PluginError(f"数据检查发现 {len(exc.report.errors)} 个错误，网站没有生成。请按上面的提示修改数据文件。") from None
    except RuntimeError as exc:
        raise PluginError(str(exc)) from None
    _state.update(root=root, worker=worker, plan=plan, edit_base=_edit_base(config))
    if not any(isinstance(ext, RawBlocks) for ext in config.markdown_extensions):
        config.markdown_extensions.append(RawBlocks())  # the same HTML, with one HTML parse less per page
    if not config.repo_url:
        config.edit_uri = None  # no repository to edit in: no edit links at all
    for extra in ("data", "templates"):
        path = str(root / extra)
        if path not in config.watch:
            config.watch.append(path)
    return config


def on_files(files, config):
    """Add every generated page and open-data file to the build; the site folder is clean: let the worker
    write the open data and the search index into it."""
    plan, worker = _state["plan"], _state["worker"]
    for path in plan.pages:
        if files.get_file_from_path(path) is not None:
            raise PluginError(f"content/{path} 与生成的页面同名：请改名或删除这个手写页面。")
    for path in plan.pages:
        files.append(_StreamedPage.generated(config, path, content="", worker=worker))
    # The open-data files are written into the site by the worker; MkDocs knows them (for its link
    # checks) but does not copy them.
    for path in plan.exports:
        files.append(_WrittenBeside.generated(config, path, content=b""))
    try:
        worker.go(Path(config.site_dir))
    except OSError as exc:
        raise PluginError(f"后台进程意外结束：{exc}") from None
    CACHE.begin(config, files)
    return files


class _StreamedPage(File):
    """A generated page whose Markdown is rendered by the worker and read when MkDocs reads the page."""

    worker: SiteWorker

    @classmethod
    def generated(cls, config, src_uri, *, worker: SiteWorker, **kwargs):  # noqa: D102
        f = super().generated(config, src_uri, **kwargs)
        f.worker = worker
        return f

    @property
    def content_string(self) -> str:
        try:
            return self.worker.markdown(self.src_uri)
        except RuntimeError as exc:
            raise PluginError(str(exc)) from None

    @content_string.setter
    def content_string(self, value: str) -> None:
        raise AttributeError("generated pages are read from their worker")

    @property
    def content_bytes(self) -> bytes:
        return self.content_string.encode("utf-8")


class _WrittenBeside(File):
    """A file of the site written by the worker, not copied by MkDocs."""

    def copy_file(self, dirty: bool = False) -> None:
        return None


def on_page_markdown(markdown, page, config, files):
    """Under ``mkdocs serve``: a page whose Markdown is as in the last build is not converted again (its HTML
    and the rest come back in on_page_content)."""
    return "" if CACHE.reuse(page.file.src_uri, markdown) else markdown


def on_page_content(html, page, config, files):
    """MkDocs keeps every page's HTML until it writes them all: keep it compressed until then (a sixth of
    the memory), and let the Markdown go. (Not None: MkDocs reads a page whose Markdown is None as unread.)"""
    page.markdown = ""
    _state.setdefault("html", {})[page.file.src_uri] = CACHE.html(page, html, files)
    return ""


def on_post_page(output, page, config):
    """The page is written: its HTML is not needed any more."""
    page.content = None
    return output


def on_env(env, config, files):
    """Every page has been read."""
    worker = _state.get("worker")
    if worker is not None:
        worker.pages_read()
    return env


def on_page_context(context, page, config, nav):
    """Give the page its HTML back, and point the edit link of a generated page at the data file it comes from."""
    stored = _state.get("html", {}).pop(page.file.src_uri, None)
    if stored is not None:
        page.content = zlib.decompress(stored).decode("utf-8")
    source = _state["plan"].edit.get(page.file.src_uri)
    if source is not None:
        page.edit_url = _edit_url(config, source) if source else None
    return context


def _edit_base(config) -> str | None:
    repo = (config.repo_url or "").rstrip("/")
    if not repo:
        return None
    base = (config.edit_uri or "edit/main/").strip("/")
    if base.endswith("/content"):
        base = base[: -len("/content")]
    return f"{repo}/{base}/"


def _edit_url(config, source: str) -> str | None:
    """The edit link of a data file; for a folder (pages made from many files), its listing."""
    base = _state.get("edit_base")
    if not base:
        return None
    return (base.replace("/edit/", "/tree/", 1) if source.endswith("/") else base) + source


def on_post_build(config):
    """Write the redirects; wait for the open data and the search index."""
    try:
        postbuild.write_redirects(_state["plan"].redirects, Path(config.site_dir))
    except RuntimeError as exc:
        _stop_worker()
        raise PluginError(str(exc)) from None
    start = time.perf_counter()
    try:
        done = _state.pop("worker").finish()
    except RuntimeError as exc:
        raise PluginError(f"生成开放数据和搜索索引时出错：{exc}".rstrip()) from None
    done["waited_s"] = round(time.perf_counter() - start, 3)
    _state["background_report"] = done
    log.info("开放数据 %d 个文件（%.1f 秒），搜索索引 %d 条记录（%.1f 秒），页面写完后又等了 %.1f 秒", done["files"],
             done["export_s"], done["records"], done["search_index_s"], done["waited_s"])
    if CACHE.enabled:
        log.info("%d 个页面与上次相同，沿用上次的 HTML；%d 个页面重新转换", CACHE.hits, CACHE.misses)


def on_build_error(error):
    """A failed build stops the worker."""
    _stop_worker()


def _stop_worker() -> None:
    worker = _state.pop("worker", None)
    if worker is not None:
        worker.stop()
