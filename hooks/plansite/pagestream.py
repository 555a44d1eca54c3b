"""Generated pages rendered beside MkDocs, ahead of it.

MkDocs needs the list of pages before it reads any (``on_files``), and reads their Markdown one by one,
converting each to HTML on one core. The plan of the site (:meth:`plansite.render.Renderer.plan`) gives
the list at once; a forked process renders the pages, in the order MkDocs reads them, into a temporary
folder on another core (each file appears whole, by renaming), and says through a pipe when it is done
or what went wrong. The build reads each page when MkDocs asks for it (waiting only if the worker is
behind) and deletes it. Rendering takes a fraction
of MkDocs' time, so the worker finishes early and its memory is the system's again for the rest of
the build.

A rendering error in the worker fails the build with its message. Where ``fork`` is not available the
pages are rendered in the build process when MkDocs asks for them: the same pages, on one core.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from . import forking
from .render import PageSpec, Renderer


def _child(conn, renderer: Renderer, plan: list[PageSpec], folder: Path) -> None:
    try:
        for n, spec in enumerate(plan):
            part = folder / f"{n}.part"
            part.write_text(renderer.render(spec).markdown, encoding="utf-8")
            part.rename(folder / f"{n}.md")
        conn.send(len(plan))
    except BrokenPipeError:
        pass  # the build stopped reading (it failed or was stopped): nothing to tell it
    except BaseException as exc:  # noqa: BLE001 - the build fails with the message
        try:
            conn.send(forking.error_text(exc))
        except OSError:
            pass
    finally:
        conn.close()


class PageStream:
    """The Markdown of every page of ``plan``, rendered ahead in a forked process."""

    def __init__(self, renderer: Renderer, plan: list[PageSpec]) -> None:
        self.renderer = renderer
        self.plan = plan
        self.number = {spec.path: n for n, spec in enumerate(plan)}
        self.finished = False  # the worker has said it is done
        self.folder: Path | None = None
        self.proc = None
        self.conn = None

    def __contains__(self, path: str) -> bool:
        return path in self.number

    def start(self) -> None:
        if not forking.can_fork():
            return  # rendered on demand, in this process
        self.folder = Path(tempfile.mkdtemp(prefix="plansite-pages-"))
        self.proc, self.conn = forking.start(_child, "plansite-pages", self.renderer, self.plan, self.folder)
        self.renderer = None  # the worker has them; the build process needs only the page numbers
        self.plan = None

    def get(self, path: str, timeout: float = 600) -> str:
        """The Markdown of the page at ``path`` (waits for the worker); RuntimeError when it failed."""
        n = self.number[path]
        if self.proc is None:
            return self.renderer.render(self.plan[n]).markdown
        page = self.folder / f"{n}.md"
        deadline = time.monotonic() + timeout
        while not page.exists():
            if self.finished:
                raise RuntimeError(f"生成页面的后台进程没有写出页面 {path}。")
            if self.conn.poll(0.02):  # the worker's last word: done, or what went wrong
                try:
                    message = self.conn.recv()
                except EOFError:
                    message = f"后台进程意外退出（退出码 {self.proc.exitcode}）。"
                if isinstance(message, str):
                    raise RuntimeError(f"生成页面时出错：{message}")
                self.finished = True
                continue
            if time.monotonic() > deadline:
                raise RuntimeError(f"页面 {path} 在 {timeout:.0f} 秒内没有生成。")
        markdown = page.read_text(encoding="utf-8")
        page.unlink()
        return markdown

    def stop(self) -> None:
        """End the worker (when every page has been read, or because the build failed) and remove its folder."""
        forking.end(self.proc, self.conn)
        self.proc = self.conn = None
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None
