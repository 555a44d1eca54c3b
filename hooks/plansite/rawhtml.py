"""The generated pages' HTML blocks handed to Python-Markdown as they are, without two HTML parses.

The generated pages carry their tables and lists as HTML blocks (``templates/``, :mod:`plansite.render`).
Before MkDocs converts a page, the whole of its Markdown goes through an HTML parser twice: once in
MkDocs, to find the ids of its raw HTML (for the check of links to anchors), and once in Python-Markdown,
to set the raw HTML blocks aside (``html_block``). At 10,000 work points that is about 30% of MkDocs' time
(content/performance.md).

:class:`RawBlocks` (added by the build hook) sets aside first the blocks whose extent is plain to see, in
the same way ``html_block`` would: a block-level element that starts a line after a blank line and is
closed at the end of the last line before the next blank line, with nothing in it but well-formed tags
and text. Their ids go to MkDocs' anchor check as if it had parsed them. Everything else takes the usual
way: the whole page if it has an HTML comment, a processing instruction, ``<script>`` or ``<style>``; the
rest of the page from the first block-level tag that starts a line in any other form, so a block is never
taken out of a larger one. The HTML and the anchors are the same, byte for byte (``site_tests/test_rawhtml.py``
converts every page of the site both ways).
"""

from __future__ import annotations

import html
import re

from markdown import Extension
from markdown.preprocessors import Preprocessor

# Elements a block may start with (all block-level in Python-Markdown).
_STARTS = frozenset({"div", "table", "p", "ul", "ol", "dl", "nav"})
# One tag: a start tag with double-quoted attributes (no "<" or ">" in a value), or an end tag.
_TAG = re.compile(r'<(?:([a-z][a-z0-9]*)((?:\s+[a-z][a-z0-9-]*(?:="[^"<>]*")?)*)\s*(/?)|/([a-z][a-z0-9]*))>')
_ATTR = re.compile(r'([a-z][a-z0-9-]*)(?:="([^"<>]*)")?')
# A tag that starts a line (after up to three spaces, as Python-Markdown allows): if it is block-level, or an
# end tag, in a chunk not taken here, the rest of the page takes the usual way.
_LINE_TAG = re.compile(r"^ {0,3}<(/?)([A-Za-z][A-Za-z0-9]*)")
# Where the page is left as it is: what HTML parsers treat specially.
_SPECIAL = re.compile(r"<(?:!|\?|script|style|textarea|title)", re.I)


def _block(text: str) -> set[str] | None:
    """The ids (and ``<a name>``) in ``text`` if it is one block as ``html_block`` would take it, else None."""
    m = _TAG.match(text)
    if not m or m.group(1) not in _STARTS:
        return None
    ids: set[str] = set()
    stack: list[str] = []
    pos, tags = 0, 0
    for m in _TAG.finditer(text):
        tags += 1
        if not stack and pos:  # the block closed before this tag
            return None
        start, attrs, closed, end = m.groups()
        if start:
            for name, value in _ATTR.findall(attrs):
                if name == "id" or (name == "name" and start == "a"):
                    ids.add(html.unescape(value))
            if not closed and start != "hr":  # as HTMLExtractor: "hr" and <x/> do not open
                stack.append(start)
        elif end in stack:
            while stack.pop() != end:
                pass
        pos = m.end()
    if stack or pos != len(text) or text.count("<") != tags:
        return None
    return ids


class _Take(Preprocessor):
    """Before MkDocs and ``html_block`` parse the page: set the plain blocks aside."""

    def __init__(self, md) -> None:
        super().__init__(md)
        self.ids: set[str] = set()  # of the blocks set aside in the last page
        self.taken = 0  # blocks set aside in the last page

    def run(self, lines: list[str]) -> list[str]:
        self.ids = set()
        self.taken = 0
        if _SPECIAL.search("\n".join(lines)):
            return lines
        out: list[str] = []
        i, n = 0, len(lines)
        while i < n:
            if lines[i] == "":
                out.append(lines[i])
                i += 1
                continue
            j = i
            while j < n and lines[j] != "":
                j += 1
            chunk = lines[i:j]
            ids = _block("\n".join(chunk)) if chunk[0].startswith("<") else None
            if ids is None:
                if any(self._opens(line) for line in chunk):
                    return out + lines[i:]  # the usual way from here on
                out += chunk
            else:
                # As html_block stores a block followed by a blank line: its text and a line end.
                out.append(self.md.htmlStash.store("\n".join(chunk) + "\n"))
                self.ids |= ids
                self.taken += 1
            i = j
        return out

    def _opens(self, line: str) -> bool:
        m = _LINE_TAG.match(line)
        return bool(m) and (bool(m.group(1)) or self.md.is_block_level(m.group(2).lower()))


class _GiveIds(Preprocessor):
    """Right after MkDocs has collected the ids of the raw HTML it saw: add those of the blocks set aside."""

    def __init__(self, md, take: _Take) -> None:
        super().__init__(md)
        self.take = take

    def run(self, lines: list[str]) -> list[str]:
        if self.take.ids and "mkdocs_raw_html" in self.md.preprocessors:
            mkdocs_raw = self.md.preprocessors["mkdocs_raw_html"]
            mkdocs_raw.present_anchor_ids = mkdocs_raw.present_anchor_ids | self.take.ids
        return lines


class RawBlocks(Extension):
    """Python-Markdown extension: see the module."""

    def extendMarkdown(self, md) -> None:
        take = _Take(md)
        # normalize_whitespace is 30; MkDocs' raw-HTML ids 21; html_block 20.
        md.preprocessors.register(take, "plansite_raw_blocks", 22)
        md.preprocessors.register(_GiveIds(md, take), "plansite_raw_block_ids", 20.5)
