"""``mkdocs serve`` only: reuse MkDocs' HTML of every page whose Markdown has not changed since the last build.

After an edit, ``mkdocs serve`` builds the whole site again, and most of that time goes into turning every
page's Markdown into HTML, although one edited YAML file changes a few dozen of the thousands of pages. What
MkDocs makes of a page's Markdown (``Page.render``: its HTML, table of contents, title, the anchors it has
and the links to anchors it makes) depends only on that Markdown, the configuration and the site's files (the
URLs its links point to). So the build hook keeps, for every page, a hash of the Markdown and those results;
as long as mkdocs.yml and the list of files (with their URLs) are the same, a page whose Markdown hashes the
same is given MkDocs' own results of the last build instead of being converted again (its Markdown is
replaced by an empty one, which costs next to nothing to convert). Any change to mkdocs.yml or to the files
empties the cache. ``mkdocs build`` never uses it; ``site_tests/test_pagecache.py`` checks that a rebuild
with the cache writes the same site, byte for byte, as a fresh build.

The cache lives in this module (MkDocs loads the hook file, hooks/plansite_pagecache.py, afresh for every rebuild;
the library stays imported). The HTML is kept compressed with zlib.
"""

from __future__ import annotations

import hashlib
import zlib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Entry:
    """MkDocs' results of rendering one page's Markdown."""

    digest: bytes  # of the Markdown
    html: bytes  # zlib-compressed
    toc: object
    title: str | None
    anchors: frozenset[str] | None
    links: dict[str, dict[str, str]] | None  # target page's src_uri → {anchor: link as written}


class PageCache:
    """The hook asks :meth:`reuse` for each page's Markdown (on_page_markdown) and :meth:`html` for what MkDocs
    made of it (on_page_content).

    MkDocs internals it relies on (site_tests/test_mkdocs_internals.py): ``Page.toc``, ``Page._title_from_render``,
    ``Page.present_anchor_ids`` and ``Page.links_to_anchors``, as MkDocs 1.6 sets them in ``Page.render``."""

    def __init__(self) -> None:
        self.enabled = False
        self.signature: bytes | None = None
        self.entries: dict[str, Entry] = {}
        self._reused: dict[str, Entry] = {}  # pages of this build given the last build's results
        self._digests: dict[str, bytes] = {}  # pages of this build converted again, with their Markdown's digest
        self.hits = self.misses = 0

    def begin(self, config, files) -> None:
        """A build starts: keep the entries only if mkdocs.yml and the site's files are as they were."""
        self.hits = self.misses = 0
        self._reused.clear()
        self._digests.clear()
        if not self.enabled:
            return
        h = hashlib.sha1()
        h.update(Path(config.config_file_path).read_bytes())
        h.update(f"\0{config.site_url}\0{config.use_directory_urls}\0".encode())
        for f in sorted(files, key=lambda f: f.src_uri):
            h.update(f"{f.src_uri}\0{f.dest_uri}\0{f.url}\n".encode())
        signature = h.digest()
        if signature != self.signature:
            self.entries.clear()
            self.signature = signature

    def reuse(self, src_uri: str, markdown: str) -> bool:
        """Whether the page's Markdown is as in the last build, so that its results can be given back."""
        if not self.enabled:
            return False
        digest = hashlib.sha1(markdown.encode("utf-8")).digest()
        entry = self.entries.get(src_uri)
        if entry is not None and entry.digest == digest:
            self._reused[src_uri] = entry
            self.hits += 1
            return True
        self._digests[src_uri] = digest
        self.misses += 1
        return False

    def html(self, page, html: str, files) -> str:
        """The page's HTML. A reused page is given the last build's results (``html`` is then that of an empty
        page); a converted one's are kept for the next build."""
        src_uri = page.file.src_uri
        entry = self._reused.pop(src_uri, None)
        if entry is not None:
            self._restore(page, entry, files)
            return zlib.decompress(entry.html).decode("utf-8")
        digest = self._digests.pop(src_uri, None)
        if digest is not None:
            stored = zlib.compress(html.encode("utf-8"), 1)
            links = None
            if page.links_to_anchors is not None:
                links = {f.src_uri: dict(v) for f, v in page.links_to_anchors.items()}
            anchors = None if page.present_anchor_ids is None else frozenset(page.present_anchor_ids)
            self.entries[src_uri] = Entry(digest, stored, page.toc, page._title_from_render, anchors, links)
        return html

    @staticmethod
    def _restore(page, entry: Entry, files) -> None:
        """Give ``page`` the results of the last build, as if its Markdown had been converted again."""
        page.toc = entry.toc
        page._title_from_render = entry.title
        page.present_anchor_ids = None if entry.anchors is None else set(entry.anchors)
        if entry.links is not None:
            links = {}
            for src_uri, anchors in entry.links.items():
                target = files.get_file_from_path(src_uri)
                if target is not None:  # the files are unchanged (begin), so it always is
                    links[target] = dict(anchors)
            page.links_to_anchors = links


CACHE = PageCache()
