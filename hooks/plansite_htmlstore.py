"""MkDocs hook (memory, optional): MkDocs keeps every page's HTML until it writes them all; keep it compressed
until then (about a sixth of the memory), and let the page's Markdown go once it is converted. Deleting this
hook's line in mkdocs.yml gives the same site, with more memory."""

from __future__ import annotations

import zlib

from mkdocs.plugins import event_priority

STORE: dict[str, bytes] = {}  # page src_uri → its HTML, compressed


@event_priority(-100)  # after every other handler of the page's HTML
def on_page_content(html, page, config, files):
    """Keep the HTML compressed; MkDocs keeps "" meanwhile (not None: a page whose content is None is unread)."""
    page.markdown = ""
    STORE[page.file.src_uri] = zlib.compress(html.encode("utf-8"), 1)
    return ""


@event_priority(100)  # before the theme and other handlers read page.content
def on_page_context(context, page, config, nav):
    """Give the page its HTML back just before it is written."""
    stored = STORE.pop(page.file.src_uri, None)
    if stored is not None:
        page.content = zlib.decompress(stored).decode("utf-8")
    return context


def on_post_page(output, page, config):
    """The page is written: its HTML is not needed any more."""
    page.content = None
    return output


def on_config(config):
    """A new build (mkdocs serve builds again and again in one process): nothing kept from the last one."""
    STORE.clear()
    return config
