"""MkDocs hook: the site's generated pages, open data and search index, from data/ (plansite.worker).

on_config has the worker validate ``data/`` (a data error aborts the build with one located message per
problem) and plan the pages; on_files adds them to the build, each read from the worker when MkDocs asks for
its Markdown, and lets the worker write the open data and the search index into the clean site folder;
on_page_context points the edit link of a generated page at its data file; on_post_build writes the
redirects and waits for the worker. Only ``PluginError`` reaches the user.
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

sys.path.insert(0, str(Path(__file__).resolve().parent))

from plansite import postbuild
from plansite.errors import write_step_summary
from plansite.gitdates import source_date_epoch
from plansite.worker import DataErrors, Plan, SiteWorker

log = logging.getLogger("mkdocs.plugins.plansite")


@dataclass
class Build:
    """What one build knows of the generated site (MkDocs loads this file afresh for every rebuild)."""

    worker: SiteWorker
    plan: Plan
    edit_base: str | None  # the repository's edit URL, or None when there is no repository


BUILD: Build | None = None


def on_config(config):
    """Validate the data and plan every page, once per build, in the worker (plansite.worker)."""
    global BUILD
    root = Path(config.config_file_path).resolve().parent
    # Reproducible builds: every date MkDocs stamps (sitemap) comes from the last commit, not the clock.
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(source_date_epoch(root)))
    _stop()  # mkdocs serve calls on_config again for every rebuild
    worker = SiteWorker(root, config.use_directory_urls, config.site_url or "")
    try:
        plan = worker.prepare()
    except DataErrors as exc:
        style = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "human"
        for line in exc.report.format(style).splitlines():
            print(line, file=sys.stderr)
        write_step_summary(exc.report)
        raise PluginError(
            f"数据检查发现 {len(exc.report.errors)} 个错误，网站没有生成。请按上面的提示修改数据文件。"
        ) from None
    except RuntimeError as exc:
        raise PluginError(str(exc)) from None
    BUILD = Build(worker, plan, _edit_base(config))
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
    plan, worker = BUILD.plan, BUILD.worker
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
    return files


class _StreamedPage(File):
    """A generated page whose Markdown is rendered by the worker and read when MkDocs reads the page."""

    worker: SiteWorker

    @classmethod
    def generated(cls, config, src_uri, *, worker: SiteWorker, **kwargs):
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


def on_env(env, config, files):
    """Every page has been read."""
    if BUILD is not None:
        BUILD.worker.pages_read()
    return env


def on_page_context(context, page, config, nav):
    """Point the edit link of a generated page at the data file it comes from."""
    source = BUILD.plan.edit.get(page.file.src_uri)
    if source is not None:
        page.edit_url = _edit_url(source) if source else None
    return context


def _edit_base(config) -> str | None:
    repo = (config.repo_url or "").rstrip("/")
    if not repo:
        return None
    base = (config.edit_uri or "edit/main/").strip("/")
    if base.endswith("/content"):
        base = base[: -len("/content")]
    return f"{repo}/{base}/"


def _edit_url(source: str) -> str | None:
    """The edit link of a data file; for a folder (pages made from many files), its listing."""
    base = BUILD.edit_base
    if not base:
        return None
    return (base.replace("/edit/", "/tree/", 1) if source.endswith("/") else base) + source


def on_post_build(config):
    """Write the redirects; wait for the open data and the search index."""
    try:
        postbuild.write_redirects(BUILD.plan.redirects, Path(config.site_dir))
        done = BUILD.worker.finish()
    except (RuntimeError, OSError) as exc:
        _stop()
        raise PluginError(f"生成开放数据、搜索索引或跳转页面时出错：{exc}".rstrip()) from None
    log.info("开放数据 %d 个文件，搜索索引 %d 条记录", done["files"], done["records"])


def on_build_error(error):
    """A failed build stops the worker."""
    _stop()


def _stop() -> None:
    global BUILD
    if BUILD is not None:
        BUILD.worker.stop()
        BUILD = None
