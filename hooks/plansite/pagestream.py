"""Generated pages rendered beside MkDocs, one step ahead of it.

MkDocs needs the list of pages before it reads any (``on_files``), and reads their Markdown one by one
(``on_page_read_source``), converting each to HTML on one core. The plan of the site
(:meth:`plansite.render.Renderer.plan`) gives the list at once; a forked process renders the pages
in the order MkDocs reads them and hands each over through a pipe, on another core. The pipe holds
about one page, so the worker stays a page or two ahead and the build never holds all the Markdown.

A rendering error in the worker fails the build with its message. Where ``fork`` is not available
the pages are rendered in the build process when MkDocs asks for them: the same pages, one core.
"""

from __future__ import annotations

import multiprocessing
import os
import traceback

from .render import PageSpec, Renderer


def _child(conn, parent_end, renderer: Renderer, plan: list[PageSpec]) -> None:
    parent_end.close()  # inherited by the fork: closed, so that the pipe breaks when the build closes its end
    try:
        for spec in plan:
            conn.send((spec.path, renderer.render(spec).markdown))
        conn.send(("", None))
    except BrokenPipeError:
        pass  # the build stopped reading (it failed or was stopped): nothing to tell it
    except BaseException as exc:  # noqa: BLE001 - the build fails with the message
        try:
            conn.send(("", f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}"))
        except OSError:
            pass
    finally:
        conn.close()


class PageStream:
    """The Markdown of every page of ``plan``, rendered ahead in a forked process."""

    def __init__(self, renderer: Renderer, plan: list[PageSpec]) -> None:
        self.renderer = renderer
        self.specs = {spec.path: spec for spec in plan}
        self.plan = plan
        self.waiting: dict[str, str] = {}  # pages that arrived before MkDocs asked for them
        self.proc = None
        self.conn = None

    def __contains__(self, path: str) -> bool:
        return path in self.specs

    def start(self) -> None:
        if "fork" not in multiprocessing.get_all_start_methods() or os.environ.get("PLANSITE_NO_FORK") == "1":
            return  # rendered on demand, in this process
        ctx = multiprocessing.get_context("fork")
        self.conn, child_conn = ctx.Pipe(duplex=False)
        self.proc = ctx.Process(target=_child, args=(child_conn, self.conn, self.renderer, self.plan), name="plansite-pages",
                                daemon=True)
        self.proc.start()
        child_conn.close()

    def get(self, path: str, timeout: float = 600) -> str:
        """The Markdown of the page at ``path`` (waits for the worker); RuntimeError when it failed."""
        if self.proc is None:
            return self.renderer.render(self.specs[path]).markdown
        while path not in self.waiting:
            if not self.conn.poll(timeout):
                raise RuntimeError(f"页面 {path} 在 {timeout:.0f} 秒内没有生成。")
            try:
                got, markdown = self.conn.recv()
            except EOFError:
                raise RuntimeError(f"生成页面的后台进程意外退出（退出码 {self.proc.exitcode}）。") from None
            if not got:
                raise RuntimeError(f"生成页面时出错：{markdown}" if markdown else f"页面 {path} 不在计划中。")
            self.waiting[got] = markdown
        return self.waiting.pop(path)

    def stop(self) -> None:
        """End the worker (when every page has been read, or because the build failed)."""
        if self.conn is not None:
            self.conn.close()
            self.conn = None
        if self.proc is not None:
            self.proc.join(timeout=5)
            if self.proc.is_alive():
                self.proc.terminate()
                self.proc.join(timeout=5)
            self.proc = None
