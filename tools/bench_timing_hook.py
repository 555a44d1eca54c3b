"""Benchmark only (tools/bench.py puts it first in the measured project's hooks): times the steps of a build.

The production code times nothing. Loaded with the other hooks, before any build event, this hook wraps the
library's steps in place: validation and planning (worker._prepare), rendering every page's Markdown
(Renderer.render, summed), the open data (background.write_exports, in its own fork) and the search index
(search.build_index), and the build's wait for them (SiteWorker.finish). Each wrapped call appends
``{"step": seconds}`` as a line to $PLANSITE_BENCH_TIMINGS; the forked processes inherit the wrappers and append
to the same file (small appends to a file opened with O_APPEND do not interleave).
"""

from __future__ import annotations

import functools
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from plansite import background, search, worker
from plansite.render import Renderer

_PATH = os.environ.get("PLANSITE_BENCH_TIMINGS")
_render_total = [0.0]


def _record(step: str, seconds: float) -> None:
    if _PATH:
        with open(_PATH, "a", encoding="utf-8") as out:
            out.write(json.dumps({step: round(seconds, 3)}) + "\n")


def _timed(step: str, fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            _record(step, time.perf_counter() - start)

    return wrapper


def _render_summed(fn):
    @functools.wraps(fn)
    def wrapper(self, spec):
        start = time.perf_counter()
        try:
            return fn(self, spec)
        finally:
            _render_total[0] += time.perf_counter() - start

    return wrapper


def _finish_and_report(fn):
    @functools.wraps(fn)
    def wrapper(self, *args, **kwargs):
        start = time.perf_counter()
        try:
            return fn(self, *args, **kwargs)
        finally:
            _record("waited_at_end", time.perf_counter() - start)

    return wrapper


def _pages_written(fn):
    """The worker's rendering loop ends with its message "pages": report the summed render time then."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        finally:
            if _render_total[0]:
                _record("pages", _render_total[0])

    return wrapper


worker._prepare = _timed("prepare", worker._prepare)
worker._child = _pages_written(worker._child)
background.write_exports = _timed("exports", background.write_exports)
search.build_index = _timed("search_index", search.build_index)
worker.SiteWorker.finish = _finish_and_report(worker.SiteWorker.finish)
Renderer.render = _render_summed(Renderer.render)
