"""Files written after MkDocs has built the HTML: the search index (and open data)."""

from __future__ import annotations

from pathlib import Path

from .site import Built


def run(built: Built, site_dir: Path, config) -> None:
    """Write everything that is not a page into ``site_dir``."""
    from . import search

    search.build_index(built, site_dir, config)
