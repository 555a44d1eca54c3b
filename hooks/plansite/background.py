"""The work no page needs, done beside MkDocs: the open-data files and the search index.

MkDocs turns the Markdown into HTML on one core. The open-data files (JSON, CSV, XLSX, Atom) and the
Pagefind index are made from the validated data, not from the HTML, so a forked process makes them on
another core while MkDocs renders the pages, and writes them straight into the site folder (which
MkDocs has cleaned before ``on_files``). The hook waits for it in ``on_post_build``: a failure there
fails the build with the worker's message. Where ``fork`` is not available the same work runs in the
build process when the hook waits for it, so the result is the same file for file.
"""

from __future__ import annotations

import multiprocessing
import os
import time
import traceback
from pathlib import Path

from .export import Exporter
from .site import Built


def write_exports(built: Built, site_dir: Path, site_url: str) -> int:
    """Write every open-data file into ``site_dir``; return how many."""
    n_files = 0
    for job in Exporter(built.dataset, built.index, site_url).jobs():
        for out in job.make():
            target = site_dir / out.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(out.content)
            n_files += 1
    return n_files


def can_fork() -> bool:
    """Whether work may go to forked processes: POSIX, unless ``PLANSITE_NO_FORK=1`` (to compare, or debug)."""
    return "fork" in multiprocessing.get_all_start_methods() and os.environ.get("PLANSITE_NO_FORK") != "1"


def _in_fork(fn, *args) -> int:
    """``fn(*args)`` (returning an int) in a forked process, waited for: the memory it takes is the system's
    again when it ends, instead of staying with this process for the search index."""
    if not can_fork():
        return fn(*args)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report, then leave at once (no cleanup of the parent's state)
        os.close(read_end)
        code = 0
        try:
            message = f"ok {fn(*args)}"
        except BaseException as exc:  # noqa: BLE001 - sent to the parent, which raises it
            message, code = f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}", 1
        with os.fdopen(write_end, "wb") as out:
            out.write(message.encode("utf-8", "replace"))
        os._exit(code)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as got:
        message = got.read().decode("utf-8", "replace")
    _, status = os.waitpid(pid, 0)
    if status != 0 or not message.startswith("ok "):
        raise RuntimeError(message or f"进程异常结束（状态 {status}）")
    return int(message[3:])


def make_all(built: Built, site_dir: Path, site_url: str) -> dict:
    """Write every open-data file and the search index into ``site_dir``; return what was done and how long it took."""
    from . import search

    start = time.perf_counter()
    n_files = _in_fork(write_exports, built, site_dir, site_url)
    exported = time.perf_counter()
    records = search.build_index(built, site_dir)
    return {"files": n_files, "records": records, "export_s": round(exported - start, 3),
            "search_index_s": round(time.perf_counter() - exported, 3)}


# The worker gives way to the build: MkDocs, rendering the pages on the other core, is what the reader
# waits for; the worker's files are needed only at the end.
NICENESS = 10


# What the forked worker works on, handed over through this global (set just before the fork, cleared
# just after it) so that the build process keeps no reference to it (a Process keeps its arguments).
_JOB: tuple | None = None


def _child() -> None:
    conn, built, site_dir, site_url = _JOB
    try:
        os.nice(NICENESS)
    except OSError:
        pass
    try:
        conn.send(("ok", make_all(built, site_dir, site_url)))
    except BaseException as exc:  # noqa: BLE001 - everything goes back to the build, which fails with it
        conn.send(("error", f"{type(exc).__name__}: {exc}", traceback.format_exc()))
    finally:
        conn.close()


class Background:
    """``make_all`` in a forked process, started by :meth:`start` and collected by :meth:`wait`."""

    def __init__(self, built: Built, site_dir: Path, site_url: str = "") -> None:
        self.args = (built, Path(site_dir), site_url)
        self.proc = None
        self.conn = None

    def start(self) -> None:
        if not can_fork():
            return  # done in wait(), in this process
        ctx = multiprocessing.get_context("fork")
        self.conn, child_conn = ctx.Pipe(duplex=False)
        global _JOB
        _JOB = (child_conn, *self.args)
        self.proc = ctx.Process(target=_child, name="plansite-background", daemon=True)
        try:
            self.proc.start()
        finally:
            _JOB = None
        child_conn.close()
        self.args = None  # the worker has them

    def wait(self, timeout: float = 3600) -> dict:
        """The worker's report; raises RuntimeError with its message when it failed."""
        if self.proc is None:
            return make_all(*self.args)
        try:
            if not self.conn.poll(timeout):
                raise RuntimeError(f"开放数据和搜索索引在 {timeout:.0f} 秒内没有完成。")
            message = self.conn.recv()
        except EOFError:
            message = ("error", f"后台进程意外退出（退出码 {self.proc.exitcode}）。", "")
        finally:
            self.stop()
        if message[0] != "ok":
            raise RuntimeError(f"生成开放数据和搜索索引时出错：{message[1]}\n{message[2]}".rstrip())
        return message[1]

    def stop(self) -> None:
        """End the worker (after it has answered, or because the build failed)."""
        if self.proc is not None:
            self.proc.join(timeout=5)
            if self.proc.is_alive():
                self.proc.terminate()
                self.proc.join(timeout=5)
            self.proc = None
        if self.conn is not None:
            self.conn.close()
            self.conn = None
