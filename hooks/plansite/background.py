"""The work no page needs, done beside MkDocs: the open-data files and the search index.

MkDocs turns the Markdown into HTML on one core. The open-data files (JSON, CSV, XLSX, Atom) and the
Pagefind index are made from the validated data, not from the HTML, so a forked process makes them on
another core while MkDocs renders the pages, and writes them straight into the site folder (which
MkDocs has cleaned before ``on_files``). The hook waits for it in ``on_post_build``: a failure there
fails the build with the worker's message. Where ``fork`` is not available the same work runs in the
build process when the hook waits for it, so the result is the same file for file.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from . import forking
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


def make_all(built: Built, site_dir: Path, site_url: str) -> dict:
    """Write every open-data file and the search index into ``site_dir``; return what was done and how long it took."""
    from . import search

    start = time.perf_counter()
    n_files = forking.run_waited(write_exports, built, site_dir, site_url)
    exported = time.perf_counter()
    records = search.build_index(built, site_dir)
    return {"files": n_files, "records": records, "export_s": round(exported - start, 3),
            "search_index_s": round(time.perf_counter() - exported, 3)}


# The worker gives way to the build: MkDocs, rendering the pages on the other core, is what the reader
# waits for; the worker's files are needed only at the end.
NICENESS = 10


def _child(conn, built: Built, site_dir: Path, site_url: str) -> None:
    try:
        os.nice(NICENESS)
    except OSError:
        pass
    try:
        conn.send(("ok", make_all(built, site_dir, site_url)))
    except BaseException as exc:  # noqa: BLE001 - everything goes back to the build, which fails with it
        conn.send(("error", forking.error_text(exc)))
    finally:
        conn.close()


class Background:
    """``make_all`` in a forked process, started by :meth:`start` and collected by :meth:`wait`."""

    def __init__(self, built: Built, site_dir: Path, site_url: str = "") -> None:
        self.args = (built, Path(site_dir), site_url)
        self.proc = None
        self.conn = None

    def start(self) -> None:
        if not forking.can_fork():
            return  # done in wait(), in this process
        self.proc, self.conn = forking.start(_child, "plansite-background", *self.args)
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
            message = ("error", f"后台进程意外退出（退出码 {self.proc.exitcode}）。")
        finally:
            self.stop()
        if message[0] != "ok":
            raise RuntimeError(f"生成开放数据和搜索索引时出错：{message[1]}".rstrip())
        return message[1]

    def stop(self) -> None:
        """End the worker (after it has answered, or because the build failed)."""
        forking.end(self.proc, self.conn)
        self.proc = self.conn = None
