"""Search index: one Pagefind record per work point, task, and named entity (placeholder until wired)."""

from __future__ import annotations


def build_index(built, site_dir, config) -> None:
    """Write the search index into ``site_dir``."""
    return None
