"""The generator's side of a build, in one forked process beside MkDocs.

MkDocs turns Markdown into HTML on one core and keeps every page in memory. The generator's work (validate
``data/``, plan and render the pages, write the open-data files and the search index) is done by one
forked process, the only one that ever holds the data, so the data is in memory once, not once per
process that reads it (a forked copy becomes private page by page as Python touches its objects):

1. it validates and plans, and sends the build the plan (page paths, edit sources, redirects and the paths
   of the open-data files), or the data errors;
2. once MkDocs has cleaned the site folder and the build says so (:meth:`SiteWorker.go`), it starts a
   short-lived fork that writes the open-data files into the site folder;
3. it renders every page's Markdown, in the order MkDocs reads them, into one unnamed temporary file (each
   page as its number, its length and its text), while the build reads them as MkDocs asks
   (:meth:`SiteWorker.markdown`). One file, not a file per page: the build deletes nothing while MkDocs and
   the worker create thousands of files (on an ext4 file system without a journal, creating a file soon
   after others were deleted is much slower: content/performance.md);
4. it writes the search index into the site folder; the build waits for it and the open data at the end
   (:meth:`SiteWorker.finish`).

None of this runs at a lower priority (``nice``): since MkDocs no longer parses the generated HTML twice
(:mod:`plansite.rawhtml`), the worker's part, not MkDocs', is the longer one, and the build is over sooner
when the two share both cores (content/performance.md).

Every message goes through one pipe; an error in the worker fails the build with its message. Where
``fork`` is not available (or ``PLANSITE_NO_FORK=1``) the same steps run in the build process: the same
files, on one core.
"""

from __future__ import annotations

import os
import struct
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from . import forking
from .background import make_all, make_search, start_exports
from .errors import Report
from .export import Exporter
from .site import Built, generate

# Each page in the pages file: its number in the plan and the length of its UTF-8 Markdown, then the Markdown.
_HEADER = struct.Struct("<II")


def _write_all(fd: int, data: bytes, offset: int) -> int:
    done = 0
    while done < len(data):
        done += os.pwrite(fd, data[done:], offset + done)
    return offset + done


def _read_all(fd: int, length: int, offset: int) -> bytes:
    chunks: list[bytes] = []
    while length:
        chunk = os.pread(fd, length, offset)
        if not chunk:
            raise RuntimeError("生成页面的临时文件意外变短。")
        chunks.append(chunk)
        length -= len(chunk)
        offset += len(chunk)
    return b"".join(chunks)


@dataclass(frozen=True)
class Plan:
    """What the build needs to know of the generated site."""

    pages: list[str]  # page paths, in reading order
    edit: dict[str, str]  # page path → the data file (or folder) it comes from
    redirects: tuple[tuple[str, str], ...]  # old path → new path
    exports: list[str]  # open-data files, written by the worker


class DataErrors(Exception):
    """The data did not validate: the report says where and why."""

    def __init__(self, report: Report) -> None:
        super().__init__(f"{len(report.errors)} data errors")
        self.report = report


def _prepare(root: Path, directory_urls: bool, site_url: str) -> tuple[Built | None, Report, Plan | None]:
    built, report = generate(root, render=False, directory_urls=directory_urls)
    if built is None:
        return None, report, None
    plan = Plan(
        [s.path for s in built.plan],
        {s.path: s.edit for s in built.plan},
        tuple(built.dataset.redirects),
        Exporter(built.site, site_url, added=built.added).paths(),
    )
    return built, report, plan


def _child(conn, root: Path, directory_urls: bool, site_url: str, pages_fd: int) -> None:
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
        # The open data is written by a forked process of its own while this one renders the pages MkDocs is
        # about to read; then this one builds the search index.
        exports = start_exports(built, site_dir, site_url)
        try:
            offset = 0
            for n, spec in enumerate(built.plan):
                body = built.renderer.render(spec).markdown.encode("utf-8")
                offset = _write_all(pages_fd, _HEADER.pack(n, len(body)) + body, offset)
            os.close(pages_fd)
            conn.send(("pages",))
        except BaseException:
            exports.cancel()
            raise
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
        self.pages_file = None  # the unnamed file the worker writes the pages' Markdown into
        self.found: dict[int, tuple[int, int]] = {}  # page number → offset and length in pages_file
        self.scanned = 0  # pages_file is indexed up to here
        self.plan: Plan | None = None
        self.number: dict[str, int] = {}
        self.pages_done = False  # the worker has rendered every page
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
            self.pages_done = True
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
            self.pages_file = tempfile.TemporaryFile(prefix="plansite-pages-")
            self.proc, self.conn = forking.start(
                _child, "plansite-worker", *self.args, self.pages_file.fileno(), duplex=True
            )
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
        deadline = time.monotonic() + timeout
        while n not in self.found:
            written = self.pages_done  # the worker has written every page
            self._scan()
            if n in self.found:
                break
            if written:
                raise RuntimeError(f"生成页面的后台进程没有写出页面 {path}。")
            if self._receive(0.01) is None and time.monotonic() > deadline:
                raise RuntimeError(f"页面 {path} 在 {timeout:.0f} 秒内没有生成。")
        offset, length = self.found[n]
        return _read_all(self.pages_file.fileno(), length, offset).decode("utf-8")

    def _scan(self) -> None:
        """Index the pages written whole since the last scan. The worker only appends, and a byte below the
        file's size has been written, so a page is whole once the file reaches its end."""
        fd = self.pages_file.fileno()
        size = os.fstat(fd).st_size
        while self.scanned + _HEADER.size <= size:
            n, length = _HEADER.unpack(_read_all(fd, _HEADER.size, self.scanned))
            start = self.scanned + _HEADER.size
            if start + length > size:
                break
            self.found[n] = (start, length)
            self.scanned = start + length

    def go(self, site_dir: Path) -> None:
        """MkDocs has cleaned ``site_dir``: the worker may write the open data and the search index into it."""
        self.site_dir = Path(site_dir)
        if self.proc is not None:
            self.conn.send(("go", str(self.site_dir)))

    def pages_read(self) -> None:
        """Every page has been read: close the pages' file (unnamed, it is gone once the worker closed it too)."""
        if self.pages_file is not None:
            self.pages_file.close()
            self.pages_file = None
        self.found.clear()

    def finish(self, timeout: float = 3600) -> dict:
        """Wait for the open data and the search index; what was done: ``files`` and search ``records``."""
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
        return dict(self.done)

    def stop(self) -> None:
        """End the worker (it has finished, or the build failed) and close the pages' file."""
        forking.end(self.proc, self.conn)
        self.proc = self.conn = None
        self.built = None
        self.pages_read()
