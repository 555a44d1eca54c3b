"""MkDocs hook (mkdocs serve only, optional): a page whose Markdown is unchanged since the last build gets
MkDocs' own results of that build instead of being converted again (plansite.pagecache). Never used by
mkdocs build; deleting this hook's line in mkdocs.yml gives the same site, rebuilt more slowly."""

from __future__ import annotations

import sys
from pathlib import Path

from mkdocs.plugins import event_priority

sys.path.insert(0, str(Path(__file__).resolve().parent))

from plansite.pagecache import CACHE


def on_startup(command, dirty):
    """Only ``mkdocs serve`` builds again and again in one process: only it keeps pages' HTML between builds."""
    CACHE.enabled = command == "serve"


@event_priority(-100)  # after the generated pages have been added
def on_files(files, config):
    """A build starts: keep the cache only if mkdocs.yml and the site's files are as they were."""
    CACHE.begin(config, files)
    return files


def on_page_markdown(markdown, page, config, files):
    """A page whose Markdown is as in the last build is not converted again (its results come back below)."""
    return "" if CACHE.reuse(page.file.src_uri, markdown) else markdown


@event_priority(100)  # before any other handler of the page's HTML
def on_page_content(html, page, config, files):
    """The last build's results for a reused page; a converted page's are kept for the next build."""
    return CACHE.html(page, html, files)


def on_post_build(config):
    """Say how many pages were reused."""
    if CACHE.enabled:
        import logging

        logging.getLogger("mkdocs.plugins.plansite").info(
            "%d 个页面与上次相同，沿用上次的 HTML；%d 个页面重新转换", CACHE.hits, CACHE.misses
        )
