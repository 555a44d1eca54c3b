"""The work no page needs: the open-data files and the search index, written straight into the site folder.

They are made from the validated data, not from the HTML, so :mod:`plansite.worker` makes them beside
MkDocs, after the pages, once MkDocs has cleaned the site folder.
"""

from __future__ import annotations

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
    n_files = forking.run_waited(write_exports, built, site_dir, site_url)  # its memory is freed when it ends
    exported = time.perf_counter()
    records = search.build_index(built, site_dir)
    return {"files": n_files, "records": records, "export_s": round(exported - start, 3),
            "search_index_s": round(time.perf_counter() - exported, 3)}
