"""Editor text made safe for the context it lands in, and the formats the pages write values in.

Editor text is escaped for the Markdown or HTML context it lands in (inline text, table cell, heading,
attribute), so it is always shown as text and never becomes HTML, script or Markdown structure.
"""

from __future__ import annotations

import datetime as dt
import json
import re

_NEWLINES = re.compile(r"\r\n?|\n")
# Python-Markdown turns a backslash before one of these back into the character (its ESCAPED_CHARS, with
# the tables extension's ``|``); a backslash before any other character would be shown as is. As a
# translation table: several times faster than a regular expression (escape_md runs for every name and
# text on every page).
_MD_ESCAPES = str.maketrans({c: "\\" + c for c in "\\`*_{}[]()#+-.!|"})
# At the start of a block these begin a definition (def_list), a collapsible block (pymdownx.details)
# or a heading underline and cannot be backslashed: they become character references there.
_BLOCK_START = re.compile(r"^([ \t]*)([:?=])")


def _html_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_md(text: str) -> str:
    """Escape ``text`` for inline Markdown, so that it is shown exactly as written and never becomes markup.

    HTML characters become entities, Markdown punctuation is backslashed, a line break becomes a
    space (text is inline: a new line must not start a heading, list or block), and a character that
    would start a block where the text starts becomes a character reference.
    """
    text = _html_text(_NEWLINES.sub(" ", text)).translate(_MD_ESCAPES)
    return _BLOCK_START.sub(lambda m: f"{m.group(1)}&#{ord(m.group(2))};", text)


def escape_cell(text: str) -> str:
    """Escape ``text`` for a Markdown table cell (one line; ``|`` escaped)."""
    return escape_md(text)


def escape_attr(text: str) -> str:
    """Escape ``text`` for an HTML attribute value or the content of a raw HTML block (one line)."""
    return _html_text(_NEWLINES.sub(" ", text)).replace('"', "&quot;").replace("'", "&#39;")


def yaml_str(text: str) -> str:
    """A page title for front matter: a YAML double-quoted scalar (JSON strings are valid YAML), Chinese kept as is.

    Material prints ``page.meta.title`` into the HTML unescaped (``<title>``, the header, navigation),
    so it is HTML text: ``&``, ``<``, ``>`` and quotes become entities first.
    """
    return json.dumps(escape_attr(text), ensure_ascii=False)


_HTTP_URL = re.compile(r"https?://[^\s\"'<>\\]+")


def http_url(url: str) -> str:
    """``url`` if it is a plain http(s) address (the validator checks this too: E165), else "" (never a link that
    runs script or leaves for another scheme)."""
    return url if _HTTP_URL.fullmatch(url or "") else ""


def num(value: float) -> str:
    """A figure as the documents write it: ``5000``, ``1.2`` (never ``5000.0``)."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def cn_date(d: dt.date | None) -> str:
    """``2025年6月13日``."""
    return f"{d.year}年{d.month}月{d.day}日" if d else ""


def highlight(text: str, phrases: list[tuple[str, str]]) -> str:
    """Escape ``text`` and wrap each occurrence of the (phrase, css class) pairs in ``<mark>``."""
    spans: list[tuple[int, int, str]] = []
    for phrase, cls in sorted(phrases, key=lambda p: -len(p[0])):
        start = 0
        while phrase and (i := text.find(phrase, start)) >= 0:
            if all(i >= e or i + len(phrase) <= s for s, e, _ in spans):
                spans.append((i, i + len(phrase), cls))
            start = i + len(phrase)
    out, pos = [], 0
    for s, e, cls in sorted(spans):
        out.append(escape_md(text[pos:s]))
        out.append(f'<mark class="{cls}">{escape_md(text[s:e])}</mark>')
        pos = e
    out.append(escape_md(text[pos:]))
    return "".join(out)
