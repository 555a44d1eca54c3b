"""Path arithmetic for the site's pages: the URL MkDocs gives a source file, and relative links between pages.

Pure string functions of site-relative paths (no I/O, no ``os.getcwd``); which pages exist and where each
kind of page goes is declared in :mod:`plansite.pages`.
"""

from __future__ import annotations

import posixpath


def page_url(path: str, directory_urls: bool = True) -> str:
    """The URL (relative to the site root) MkDocs gives the file at ``path``: ``units/x.md`` → ``units/x/``,
    ``documents/y/index.md`` → ``documents/y/``, ``index.md`` → ``""``; other files keep their path."""
    if not path.endswith(".md"):
        return path
    stem = path[:-3]
    if stem == "index" or stem.endswith("/index"):
        return stem[:-5] if directory_urls else stem + ".html"
    return stem + "/" if directory_urls else stem + ".html"


def relpath(target: str, start: str) -> str:
    """``posixpath.relpath`` for site paths (relative, normalised: no ``..``, no empty or ``.`` parts except
    ``"."`` for the root), without its two ``os.getcwd()`` calls; a link is made for every row of every page."""
    t = [] if target == "." else target.split("/")
    s = [] if start == "." else start.split("/")
    common = 0
    for a, b in zip(t, s):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(s) - common) + t[common:]) or "."


def relative_url(target: str, here: str) -> str:
    """The relative URL from the page at URL ``here`` to the URL ``target`` (both relative to the site root)."""
    base = here if here.endswith("/") or not here else posixpath.dirname(here) + "/"
    rel = relpath(target.rstrip("/") or ".", base.rstrip("/") or ".")
    if target.endswith("/") or not target:
        return "./" if rel == "." else rel + "/"
    return rel
