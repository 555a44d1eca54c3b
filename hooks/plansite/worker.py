"""The generator's side of a build, in one forked process beside MkDocs.

MkDocs turns Markdown into HTML on one core and keeps every page in memory. The generator's work (validate
``data/``, plan and render the pages, write the open-data files and the search index) is done by one
forked process, the only one that ever holds the data, so the data is in memory once, not once per
process that reads it (a forked copy becomes private page by page as Python touches its objects):

1. it validates and plans, and sends the build the plan (page paths, edit sources, redirects and the paths
   of the open-data files), or the data errors;
2. once MkDocs has cleaned the site folder and the build says so (:meth:`SiteWorker.go`), it starts a
   short-lived fork, at low priority (``nice``), that writes the open-data files into the site folder;
3. it renders every page's Markdown, in the order MkDocs reads them, into a temporary folder (each file
   appears whole, by renaming), while the build reads them as MkDocs asks (:meth:`SiteWorker.markdown`);
4. it gives way to the build (``nice``) and writes the search index into the site folder; the build
   waits for it and the open data at the end (:meth:`SiteWorker.finish`).

Every message goes through one pipe; an error in the worker fails the build with its message. Where
``fork`` is not available (or ``PLANSITE_NO_FORK=1``) the same steps run in the build process: the same
files, on one core.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from . import forking
from .background import make_all, make_search, start_exports
from .errors import Report
from .export import Exporter
from .site import Built, generate

# The worker gives way to the build once the pages are rendered: MkDocs, converting them on the other
# core, is what the reader waits for; the open data and the search index are needed only at the end.
NICENESS = 10


@dataclass(frozen=True)
class Plan:
    """What the build needs to know of the generated site."""

    pages: list[str]  # page paths, in reading order
    edit: dict[str, str]  # page path → the data file (or folder) it comes from
    redirects: tuple[tuple[str, str], ...]  # old path → new path
    exports: list[str]  # open-data files, written by the worker
    prepare_s: float  # validation, index and plan


class DataErrors(Exception):
    """The data did not validate: the report says where and why."""

    def __init__(self, report: Report) -> None:
        super().__init__(f"{len(report.errors)} data errors")
        self.report = report


def _prepare(root: Path, directory_urls: bool, site_url: str) -> tuple[Built | None, Report, Plan | None]:
    start = time.perf_counter()
    built, report = generate(root, render=False, directory_urls=directory_urls)
    if built is None:
        return None, report, None
    plan = Plan([s.path for s in built.plan], {s.path: s.edit for s in built.plan}, tuple(built.dataset.redirects),
                Exporter(built.dataset, built.index, site_url).paths(), round(time.perf_counter() - start, 3))
    return built, report, plan


def _child(conn, root: Path, directory_urls: bool, site_url: str, folder: Path) -> None:
    try:
        built, report, plan = _prepare(root, directory_urls, site_url)
        if built is None:
            conn.send(("invalid", report))
            return
        conn.send(("planned", plan))
        message = conn.recv()  # ("go", site_dir) once MkDocs has cleaned the site folder
        if message[0] != "go":
            return
        site_dir = Path(message[1])
        # The open data is written by a forked process of its own, at low priority, while this one renders the
        # pages MkDocs is about to read; then this one builds the search index.
        exports = start_exports(built, site_dir, site_url, NICENESS)
        try:
            start = time.perf_counter()
            for n, spec in enumerate(built.plan):
                part = folder / f"{n}.part"
                part.write_text(built.renderer.render(spec).markdown, encoding="utf-8")
                part.rename(folder / f"{n}.md")
            conn.send(("pages", round(time.perf_counter() - start, 3)))
        except BaseException:
            exports.cancel()
            raise
        forking.lower_priority(NICENESS)
        conn.send(("done", make_search(built, site_dir, exports)))
    except (EOFError, BrokenPipeError):
        pass  # the build stopped (it failed, or mkdocs serve started again): nothing to tell it
    except BaseException as exc:  # noqa: BLE001 - the build fails with the message
        try:
            conn.send(("error", forking.error_text(exc)))
        except OSError:
            pass
    finally:
        conn.close()


class SiteWorker:
    """The worker of one build: :meth:`prepare`, :meth:`go`, :meth:`markdown` for each page, :meth:`finish`;
    :meth:`stop` at any point ends it."""

    def __init__(self, root: Path, directory_urls: bool = True, site_url: str = "") -> None:
        self.args = (Path(root), directory_urls, site_url)
        self.proc = None
        self.conn = None
        self.folder: Path | None = None
        self.plan: Plan | None = None
        self.number: dict[str, int] = {}
        self.pages_s: float | None = None  # the worker has rendered every page, in this many seconds
        self.done: dict | None = None
        self.built: Built | None = None  # only without fork
        self.site_dir: Path | None = None

    # -- messages ------------------------------------------------------------------------------------
    def _receive(self, timeout: float):
        """Handle the worker's next message (if one comes within ``timeout``); return it."""
        if not self.conn.poll(timeout):
            return None
        try:
            message = self.conn.recv()
        except EOFError:
            message = ("error", f"后台进程意外退出（退出码 {self.proc.exitcode}）。")
        kind = message[0]
        if kind == "error":
            self.stop()
            raise RuntimeError(message[1])
        if kind == "planned":
            self.plan = message[1]
        elif kind == "pages":
            self.pages_s = message[1]
        elif kind == "done":
            self.done = message[1]
        return message

    # -- the steps -----------------------------------------------------------------------------------
    def prepare(self, timeout: float = 3600) -> Plan:
        """Validate and plan; DataErrors when the data has errors, RuntimeError when the worker failed."""
        if not forking.can_fork():
            self.built, report, self.plan = _prepare(*self.args)
            if self.built is None:
                raise DataErrors(report)
        else:
            self.folder = Path(tempfile.mkdtemp(prefix="plansite-pages-"))
            self.proc, self.conn = forking.start(_child, "plansite-worker", *self.args, self.folder, duplex=True)
            deadline = time.monotonic() + timeout
            while self.plan is None:
                message = self._receive(0.5)
                if message is not None and message[0] == "invalid":
                    self.stop()
                    raise DataErrors(message[1])
                if message is None and time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"数据检查在 {timeout:.0f} 秒内没有完成。")
        self.number = {path: n for n, path in enumerate(self.plan.pages)}
        return self.plan

    def markdown(self, path: str, timeout: float = 600) -> str:
        """The Markdown of the generated page at ``path`` (after :meth:`go`; waits for the worker)."""
        n = self.number[path]
        if self.proc is None:
            if self.built is None:
                raise RuntimeError("生成页面的后台进程已经结束。")
            return self.built.renderer.render(self.built.plan[n]).markdown
        if self.site_dir is None:
            raise RuntimeError("先调用 go()：工作进程在网站目录清理之后才开始写页面。")
        page = self.folder / f"{n}.md"
        deadline = time.monotonic() + timeout
        while not page.exists():
            if self.pages_s is not None:
                raise RuntimeError(f"生成页面的后台进程没有写出页面 {path}。")
            if self._receive(0.01) is None and time.monotonic() > deadline:
                raise RuntimeError(f"页面 {path} 在 {timeout:.0f} 秒内没有生成。")
        markdown = page.read_text(encoding="utf-8")
        page.unlink()
        return markdown

    def go(self, site_dir: Path) -> None:
        """MkDocs has cleaned ``site_dir``: the worker may write the open data and the search index into it."""
        self.site_dir = Path(site_dir)
        if self.proc is not None:
            self.conn.send(("go", str(self.site_dir)))

    def pages_read(self) -> None:
        """Every page has been read: remove the pages' folder."""
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None

    def finish(self, timeout: float = 3600) -> dict:
        """Wait for the open data and the search index; what was done and how long it took."""
        if self.proc is None:
            if self.built is None:
                raise RuntimeError("生成开放数据和搜索索引的后台进程已经结束。")
            self.done = make_all(self.built, self.site_dir, self.args[2])
        else:
            deadline = time.monotonic() + timeout
            try:
                while self.done is None:
                    if self._receive(0.5) is None and time.monotonic() > deadline:
                        raise RuntimeError(f"开放数据和搜索索引在 {timeout:.0f} 秒内没有完成。")
            finally:
                self.stop()
        done = dict(self.done)
        done["prepare_s"] = self.plan.prepare_s
        if self.pages_s is not None:
            done["pages_s"] = self.pages_s
        return done

    def stop(self) -> None:
        """End the worker (it has finished, or the build failed) and remove its folder."""
        forking.end(self.proc, self.conn)
        self.proc = self.conn = None
        self.built = None
        self.pages_read()

