"""The work no page needs: the open-data files and the search index, written straight into the site folder.

They are made from the validated data, not from the HTML, so :mod:`plansite.worker` makes them beside
MkDocs once it has cleaned the site folder: the open data in a short-lived fork while the pages are rendered,
then the search index.
"""

from __future__ import annotations

from pathlib import Path

from . import forking
from .export import Exporter
from .site import Built


def write_exports(built: Built, site_dir: Path, site_url: str) -> int:
    """Write every open-data file into ``site_dir``; return how many."""
    n_files = 0
    for job in Exporter(built.site, site_url, added=built.added).jobs():
        for out in job.make():
            target = site_dir / out.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(out.content)
            n_files += 1
    return n_files


def start_exports(built: Built, site_dir: Path, site_url: str):
    """Start writing the open-data files in a forked process (its memory is freed when it ends); return the
    :class:`~plansite.forking.Forked` call, which gives the number of files."""
    return forking.fork_call(write_exports, built, site_dir, site_url)


def make_search(built: Built, site_dir: Path, exports) -> dict:
    """Wait for ``exports`` (from :func:`start_exports`), then write the search index into ``site_dir``; return
    what was done: open-data ``files`` and search ``records``."""
    from . import search

    n_files = exports()  # first: the open data's process and the index never hold memory at once
    records = search.build_index(built, site_dir)
    return {"files": n_files, "records": records}


def make_all(built: Built, site_dir: Path, site_url: str) -> dict:
    """Write every open-data file and the search index into ``site_dir``; return what was done."""
    return make_search(built, site_dir, start_exports(built, site_dir, site_url))
