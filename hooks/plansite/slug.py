"""ASCII slugs and pinyin keys for Chinese names, made with pypinyin.

Slugs are generated once, when an entry is created, and then stored in the data:
a URL never changes when a name is edited later. Readings that pypinyin gets
wrong for place names (闵行 is mǐn háng) are corrected by ``data/pinyin.yml``,
registered through :func:`register_readings`. A registered reading wins wherever its phrase stands:
pypinyin alone would read 2026年长宁区 as nián zhǎng níng (its word 年长 first), so the text is cut at
every registered phrase before the rest goes to pypinyin.

Pinyin keys and variants are cached per text: sorting and indexing read the same names
again and again, and pypinyin takes far longer than a dict look-up. Registering readings
clears the caches, since it can change any reading.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import cache

from pypinyin import Style, lazy_pinyin, load_phrases_dict

_RUNS = re.compile(r"([\u3400-\u9fff]+)|([A-Za-z0-9]+)")


_READINGS: dict[str, list[str]] = {}  # registered phrase → its syllables
_READING_AT: list[re.Pattern | None] = [None]  # the registered phrases, longest first


def register_readings(readings: Mapping[str, str]) -> None:
    """Register phrase readings, e.g. ``{"闵行": "min hang"}`` (toneless, space separated)."""
    load_phrases_dict({phrase: [[syl] for syl in reading.split()] for phrase, reading in readings.items()})
    _READINGS.update({phrase: reading.split() for phrase, reading in readings.items()})
    phrases = sorted(_READINGS, key=len, reverse=True)
    _READING_AT[0] = re.compile("|".join(map(re.escape, phrases))) if phrases else None
    pinyin_key.cache_clear()
    pinyin_variants.cache_clear()


def _syllables(text: str, style: Style = Style.NORMAL, errors="default") -> list[str]:
    """``lazy_pinyin(text)``, with every registered phrase read as registered."""
    pattern = _READING_AT[0]
    if pattern is None:
        return lazy_pinyin(text, style=style, errors=errors)
    out: list[str] = []
    pos = 0
    for m in pattern.finditer(text):
        if m.start() > pos:
            out += lazy_pinyin(text[pos : m.start()], style=style, errors=errors)
        syllables = _READINGS[m.group(0)]
        out += [syl[0] for syl in syllables] if style == Style.FIRST_LETTER else syllables
        pos = m.end()
    if pos < len(text):
        out += lazy_pinyin(text[pos:], style=style, errors=errors)
    return out


def _runs(text: str, style: Style) -> list[str]:
    text = unicodedata.normalize("NFKC", text)
    out = []
    for han, other in _RUNS.findall(text):
        if han:
            out.append("".join(_syllables(han, style)).lower().replace("ü", "v"))
        else:
            out.append(other.lower())
    return out


def slugify(text: str, *, max_chars: int = 48, initials: bool = False) -> str:
    """Return a lowercase ASCII slug for ``text``: pinyin of each Chinese run, latin and digit runs kept, joined by
    ``-``; a long one is cut after the last whole syllable (or word) that fits in ``max_chars``, never inside one."""
    style = Style.FIRST_LETTER if initials else Style.NORMAL
    text = unicodedata.normalize("NFKC", text)
    out = ""
    for han, other in _RUNS.findall(text):
        pieces = [syl.lower().replace("ü", "v") for syl in _syllables(han, style)] if han else [other.lower()]
        sep = "-" if out else ""
        for piece in pieces:
            if len(out) + len(sep) + len(piece) > max_chars:
                return out
            out += sep + piece
            sep = ""
    return out


@cache
def pinyin_key(text: str) -> tuple[str, str]:
    """Sort key for Chinese names: (pinyin syllables separated by spaces, original text)."""
    text = unicodedata.normalize("NFKC", text)
    syllables = _syllables(text, errors=lambda s: list(s))
    return (" ".join(syllables).lower().replace("ü", "v"), text)


def pinyin_initial(text: str) -> str:
    """The A–Z group letter of a name: the first letter of its pinyin, or ``#``."""
    for ch in pinyin_key(text)[0]:
        if ch.isspace():
            continue
        up = ch.upper()
        return up if "A" <= up <= "Z" else "#"
    return "#"


@cache
def pinyin_variants(text: str) -> tuple[str, str]:
    """Full pinyin and initials of the Chinese in ``text``, without separators (minhangqu, mhq)."""
    han = "".join(re.findall(r"[\u3400-\u9fff]+", unicodedata.normalize("NFKC", text)))
    full = "".join(_syllables(han)).lower().replace("ü", "v")
    initials = "".join(_syllables(han, Style.FIRST_LETTER)).lower()
    return full, initials
