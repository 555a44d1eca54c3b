"""What the data must say to match the original, beyond each fragment occurring in the full text: pure functions.

- :func:`numbers` of a target's phrase: a target's ``value`` must be one of them (E180);
- :func:`named_units` of a point's unit line and :func:`table_rows` of a full text's task table: a point's or task's
  ``lead`` and ``responsible`` must list exactly the units the original names (E181);
- :func:`stray_spaces`: a space beside Chinese text that the source text as received does not have there (E193);
- :func:`recorded_too_often`: a fragment the data records more often than the full text holds it (E182);
  :func:`repeats` and :func:`repeated_lines`: a paragraph or a whole line the full text holds more often than the
  data records it (E183). The fidelity check alone asks only whether each fragment occurs somewhere.

Every function is linear in its input, but the counting ones, which take time proportional to the full text for
each distinct fragment (and each paragraph whose counts differ): quadratic in one document's size, which the size
limits of :mod:`plansite.load` bound.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

_WS = re.compile(r"\s+")

# ---- numbers in a phrase -------------------------------------------------------------------------------------

_ARABIC = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_GROUPED = re.compile(r"(?<=[0-9]),(?=[0-9]{3}(?![0-9]))")
_CHINESE = re.compile(r"[零〇一二两三四五六七八九十百千万亿]+")
_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNIT = {"十": 10, "百": 100, "千": 1000}
_BIG = {"万": 10**4, "亿": 10**8}


def numbers(phrase: str) -> list[float]:
    """The numbers a phrase states: its Arabic numbers (full-width digits and ``5,000`` included), or, when it has
    none, its numbers in Chinese numerals (``一次`` 1, ``两名`` 2, ``十五`` 15, ``一百二十`` 120)."""
    text = _GROUPED.sub("", unicodedata.normalize("NFKC", phrase))
    arabic = [float(m) for m in _ARABIC.findall(text)]
    if arabic:
        return arabic
    return [n for run in _CHINESE.findall(text) if (n := chinese_number(run)) is not None]


def chinese_number(run: str) -> int | None:
    """The value of a run of Chinese numerals (None when it is not a number, as 万 alone)."""
    total, section, digit, seen = 0, 0, None, False
    for ch in run:
        if ch in _DIGIT:
            if digit is not None and digit != 0 and _DIGIT[ch] != 0:
                return None  # two digits in a row (一二) are not one number
            digit, seen = _DIGIT[ch], True
        elif ch in _UNIT:
            section += (1 if digit is None else digit) * _UNIT[ch]
            digit, seen = None, True
        else:  # 万, 亿
            if not seen:
                return None
            total = (total + section + (digit or 0)) * _BIG[ch]
            section, digit = 0, None
    return total + section + (digit or 0) if seen else None


def value_in(value: float, phrase: str) -> bool:
    """True if ``value`` is one of the phrase's :func:`numbers`."""
    return any(abs(value - n) <= 1e-9 * max(1.0, abs(n)) for n in numbers(phrase))


# ---- units a point's unit line names ---------------------------------------------------------------------------

_SEGMENTS = re.compile(r"[；;]")
_LABEL = re.compile(r"[：:]")
_NAMES = re.compile(r"[、，,]")
_EDGE = "（）()。. "


def named_units(units_text: str) -> dict[str, list[str]]:
    """The units a unit line names, by role: ``牵头单位：甲、乙；责任单位：丙`` → lead [甲, 乙], responsible [丙]. A segment
    without a label, or with any label but 牵头…, is responsible; a trailing 等 is not part of a name."""
    out: dict[str, list[str]] = {"lead": [], "responsible": []}
    for segment in _SEGMENTS.split(units_text.strip(_EDGE)):
        parts = _LABEL.split(segment, maxsplit=1)
        label, names = (parts[0], parts[1]) if len(parts) == 2 else ("", parts[0])
        role = "lead" if "牵头" in label else "responsible"
        for name in _NAMES.split(names):
            name = name.strip(_EDGE + "\u3000")
            if name.endswith("等") and len(name) > 1:
                name = name[:-1]
            if name:
                out[role].append(name)
    return out


def same_units(written: list[str], named: list[str]) -> bool:
    """The written units are the named ones, each as often (in any order)."""
    return Counter(written) == Counter(named)


# ---- the rows of a task table -------------------------------------------------------------------------------------

_ROW_NUMBER = re.compile(r"^[0-9]+[.．、]?")


@dataclass(frozen=True)
class Row:
    """One Tab-separated row of a full text's task table: its line, its task's text (normalised, without its
    number) and the units of its 牵头单位 and 责任单位 cells."""

    line: int
    key: str
    lead: tuple[str, ...]
    responsible: tuple[str, ...]
    lead_cell: str
    responsible_cell: str


def table_rows(fulltext: str) -> dict[str, list[Row]]:
    """The task rows of a full text (one line each, cells separated by Tab: 序号, 工作要点, 具体任务, 牵头单位,
    责任单位; several units in a cell separated by spaces), by their task's normalised text."""
    out: dict[str, list[Row]] = {}
    for n, line in enumerate(fulltext.split("\n"), start=1):
        if "\t" not in line:
            continue
        cells = line.split("\t")
        if len(cells) < 3 or cells[0].strip() == "序号":
            continue
        lead = cells[3] if len(cells) > 3 else ""
        responsible = cells[4] if len(cells) > 4 else ""
        key = norm_task(cells[2])
        if key:
            out.setdefault(key, []).append(
                Row(n, key, tuple(lead.split()), tuple(responsible.split()), lead.strip(), responsible.strip())
            )
    return out


def norm_task(text: str) -> str:
    """A task's text as the table and the data are compared: no whitespace, no leading number."""
    return _ROW_NUMBER.sub("", norm(text))


def norm(text: str) -> str:
    """Text with all whitespace removed."""
    return _WS.sub("", text)


# ---- spaces beside Chinese text that the source text does not have ---------------------------------------------

_HSPACE = frozenset(" \t\u3000\u00a0")
_SPACES = re.compile(r"[ \t\u3000\u00a0]+")
# Chinese characters and the punctuation set with them: a space next to one of these is a space in Chinese text
_CJK = re.compile(
    r"[\u2014\u2018\u2019\u201c\u201d\u2026\u3001-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    r"\ufe30-\ufe4f\uff01-\uffef\U00020000-\U0003134f]"
)
# what a PDF conversion adds around the words: markup, and lines that are only a page number (“- 5 -”, “10”)
_CONVERSION = re.compile(r"</?p>|\*\*|^#+|^[ \t]*-?[ \t]*[0-9]{1,3}[ \t]*-?[ \t]*$", re.M)


@dataclass(frozen=True)
class Spacing:
    """A source text without its whitespace (``text``) and the indexes of ``text`` that had a space (not just a line
    break) before them in the source."""

    text: str
    spaced: frozenset[int]


def spacing(source: str) -> Spacing:
    """The :class:`Spacing` of a source text as received (its conversion markup and page-number lines left out)."""
    clean = _CONVERSION.sub("", source)
    parts, spaced, n, last = [], set(), 0, 0
    for m in _WS.finditer(clean):
        parts.append(clean[last : m.start()])
        n += m.start() - last
        if not _HSPACE.isdisjoint(m.group()):
            spaced.add(n)
        last = m.end()
    parts.append(clean[last:])
    return Spacing("".join(parts), frozenset(spaced))


def stray_spaces(value: str, source: Spacing, context: int = 8) -> list[tuple[int, bool]]:
    """The spaces of ``value`` beside Chinese text that ``source`` does not have at the same place: (index in
    ``value``, whether the text around it is in the source at all). The place is found by the whole value (without
    whitespace) or, failing that, by ``context`` characters on each side; a space is kept where any copy has one."""
    out = []
    for m in _SPACES.finditer(value):
        left, right = value[m.start() - 1 : m.start()], value[m.end() : m.end() + 1]
        if not (_CJK.match(left) or _CJK.match(right)) or "\n" in (left + right) or not left or not right:
            continue
        squashed, at = norm(value), len(norm(value[: m.start()]))
        found = _spaced_at(source, squashed, at)
        if found is None:
            lo = max(0, at - context)
            found = _spaced_at(source, squashed[lo : at + context], at - lo)
        if not found:
            out.append((m.start(), found is not None))
    return out


def _spaced_at(source: Spacing, text: str, at: int) -> bool | None:
    """Whether a copy of ``text`` in the source has a space before its character ``at``; None if there is no copy."""
    found = None
    i = source.text.find(text)
    while i >= 0:
        if i + at in source.spaced:
            return True
        found = False
        i = source.text.find(text, i + 1)
    return found


# ---- paragraphs recorded as often as the full text holds them ---------------------------------------------------

# Paragraphs shorter than this (normalised) are not counted: labels, unit names and short headings repeat honestly.
MIN_REPEAT_CHARS = 8


def recorded_too_often(fragments: list[str], fulltext_norm: str) -> list[tuple[int, str, int, int]]:
    """Fragments (normalised, in data order) the data records more often than the full text holds them: (index of
    the first copy too many, text, times recorded, times in the full text). Each recorded copy stands for a copy in
    the original, so this never happens in honest data (a merged table cell is one copy per row in the full text)."""
    counts = Counter(f for f in fragments if f)
    out = []
    for text, count in counts.items():
        found = fulltext_norm.count(text)
        if count > found:
            index = [i for i, f in enumerate(fragments) if f == text][found]
            out.append((index, text, count, found))
    return out


@dataclass(frozen=True)
class Repeat:
    """A paragraph the full text holds ``found`` times while the data records it (as itself, or inside a longer
    paragraph) only ``expected`` times; ``line`` is where the first copy too many is in the full text."""

    text: str
    found: int
    expected: int
    line: int


def repeats(paragraphs: list[str], fulltext_norm: str, fulltext_lines: list[str]) -> list[Repeat]:
    """Paragraphs (normalised) the full text holds more often than the data records them.

    For a paragraph p: ``found`` is how often p occurs in the full text; ``expected`` how often it occurs within all
    recorded paragraphs (p itself, and every longer paragraph that contains it). Honest data has found = expected:
    each copy in the original is recorded. Only a paragraph recorded fewer times than found needs ``expected``."""
    counts = Counter(p for p in paragraphs if len(p) >= MIN_REPEAT_CHARS)
    joined = None
    out = []
    for text, count in counts.items():
        found = fulltext_norm.count(text)
        if found <= count:
            continue
        if joined is None:
            joined = "\0".join(p for p in paragraphs if len(p) >= MIN_REPEAT_CHARS)
        expected = joined.count(text)
        if found > expected:
            out.append(Repeat(text, found, expected, _nth_line(text, expected + 1, fulltext_lines)))
    return out


def repeated_lines(lines: list[str], fragments: Counter, paragraphs: set[str]) -> list[tuple[int, str, int, int]]:
    """Lines of the full text that occur more often (whole, normalised) than the data records them: (line of the first
    copy too many, its text, times recorded, times in the full text). A line is recorded by a fragment equal to
    it (a unit line, a heading, a signature); a line holding a paragraph is left to :func:`repeats`."""
    seen: dict[str, list[int]] = {}
    for n, line in enumerate(lines, start=1):
        key = norm(line)
        if key:
            seen.setdefault(key, []).append(n)
    out = []
    for key, where in seen.items():
        if len(where) < 2 or fragments[key] >= len(where) or any(p in key for p in paragraphs if len(p) <= len(key)):
            continue
        out.append((where[fragments[key]], key, fragments[key], len(where)))
    return out


def _nth_line(text: str, n: int, lines: list[str]) -> int:
    """The 1-based line of the full text where the ``n``-th occurrence of ``text`` is (lines normalised)."""
    seen = 0
    for i, line in enumerate(lines, start=1):
        seen += norm(line).count(text)
        if seen >= n:
            return i
    return 1
