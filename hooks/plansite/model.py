"""The immutable model: frozen dataclasses built once from validated data.

Cross-references are resolved to ids (strings) and looked up through :class:`Dataset`;
nothing here does I/O or rendering.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field

# The levels of a plan's issuer, from the top down: the city, a district (its government, office, 合作交流办 or
# leading group), a district's department.
LEVELS = ("city", "district", "department")
#: A level as the site names it.
LEVEL_NAMES = {"city": "市级", "district": "区级", "department": "区级部门"}


@dataclass(frozen=True)
class Area:
    """The city or one of its districts."""

    id: str
    name: str
    level: str
    aliases: tuple[str, ...] = ()
    abbr: str = ""  # its one-character short form in a pair's name (沪 in 沪喀)


@dataclass(frozen=True)
class Covers:
    """Whom a collective name (各街镇, 相关部门 …) covers: the registered units of ``kinds`` (every kind when
    empty) in its scope (same area and parent), or the ``members`` listed; ``all`` when it covers every one of
    them (各街镇), else only some that the documents do not name (相关部门: "may concern" each)."""

    kinds: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    all: bool = False


@dataclass(frozen=True)
class Unit:
    """An organisation named in the documents, with the forms the documents write it in.

    ``collective``: the unit is a collective name (its kind is a collective kind of data/vocab.yml); ``covers``
    then says whom it covers, or is None when the documents do not say (membership unknown).
    """

    id: str
    name: str
    kind: str
    area: str
    aliases: tuple[str, ...] = ()
    parent: str | None = None
    note: str = ""
    source: str = ""
    collective: bool = False
    covers: Covers | None = None
    doc_level: str = ""  # the level of the documents it issues (data/units/: doc_level), when it issues any

    @property
    def names(self) -> tuple[str, ...]:
        """Canonical name first, then every alias."""
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class Theme:
    """A work theme; the four core themes come first."""

    id: str
    name: str
    description: str
    core: bool = False
    order: int = 0


@dataclass(frozen=True)
class Region:
    """A paired region (province › prefecture › county) with its ancestors' ids."""

    id: str
    name: str
    aliases: tuple[str, ...] = ()
    parent: str | None = None
    depth: int = 0
    order: int = 0
    abbr: str = ""  # its one-character short form, a name only in a pair's name (保 in 闵·保, 喀 in 沪喀)

    @property
    def names(self) -> tuple[str, ...]:
        """Canonical name first, then every alias."""
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class Target:
    """A quantitative target quoted from a point or task.

    ``per``: the figure is for each of something (每个镇, 每县): it never adds up. ``additive``: the editor says it
    may be added to the same document's other additive targets of the same ``counts``, ``unit`` and
    ``comparator`` (never a rate, never a per-unit figure: the validator checks). ``restates``: for a task's
    target, the phrase of its work point's target that it repeats (counted once).
    """

    phrase: str
    value: float
    unit: str
    counts: str
    comparator: str = ""
    per: str = ""
    additive: bool = False
    restates: str = ""

    @property
    def rate(self) -> bool:
        """A share of something (a percentage, 率, 比例, 份额 in its unit or what it counts): never added up."""
        return bool(_RATE.search(self.unit) or _RATE.search(self.counts))


_RATE = re.compile(r"[%％‰]|率|比例|占比|份额|比重")


@dataclass(frozen=True)
class Deadline:
    """A deadline quoted from a point or task: a date, a recurrence or a relative period."""

    phrase: str
    due: dt.date | None = None
    repeat: str | None = None
    day: int | None = None
    within_days: int | None = None
    after: str = ""

    @property
    def sort_key(self) -> tuple:
        """Dated first in calendar order, then recurring, then relative."""
        if self.due:
            return (0, self.due.isoformat(), self.phrase)
        if self.repeat:
            return (
                1,
                {"monthly": 1, "bimonthly": 2, "quarterly": 3, "yearly": 4}[self.repeat],
                self.day or 0,
                self.phrase,
            )
        return (2, self.within_days or 0, self.phrase)

    @property
    def label(self) -> str:
        """A short Chinese description of the normalised deadline."""
        if self.due:
            return f"{self.due.year}年{self.due.month}月{self.due.day}日"
        if self.repeat:
            base = {"monthly": "每月", "bimonthly": "每两月", "quarterly": "每季度", "yearly": "每年"}[self.repeat]
            return f"{base}{self.day}日前" if self.day else base
        return f"{self.after}起{self.within_days}日内" if self.after else f"{self.within_days}日内"


@dataclass(frozen=True)
class UnitRef:
    """A unit as a point names it: the written form and the resolved unit id."""

    written: str
    unit: str


@dataclass(frozen=True)
class Point:
    """A work point (or an item of a closing part when ``counted`` is False)."""

    id: str
    doc: str
    label: str
    title: str
    text: str
    section_path: tuple[str, ...]
    units_text: str = ""
    lead: tuple[UnitRef, ...] = ()
    responsible: tuple[UnitRef, ...] = ()
    themes: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    targets: tuple[Target, ...] = ()
    deadlines: tuple[Deadline, ...] = ()
    notes: tuple[str, ...] = ()
    counted: bool = True
    line: int = 0
    title_alone: bool = False

    @property
    def ref(self) -> str:
        """How prose refers to it: ``工作要点 4``, ``工作要点（一）``, or ``条目（一）`` for a closing item."""
        kind = "工作要点" if self.counted else "条目"
        label = self.label.rstrip(".．、")
        return f"{kind}{' ' if label[:1].isdigit() else ''}{label}"

    @property
    def heading(self) -> str:
        """Label and title without the title's final full stop, e.g. ``1. 加强组织领导``."""
        title = self.title.rstrip("。．.")
        sep = " " if self.label.endswith(".") else ""
        return f"{self.label}{sep}{title}" if title else self.label


@dataclass(frozen=True)
class Task:
    """A row of an annex task table (任务分解表)."""

    id: str
    doc: str
    annex: str
    no: int
    area: str
    text: str
    point: str | None
    lead: tuple[UnitRef, ...] = ()
    responsible: tuple[UnitRef, ...] = ()
    themes: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    targets: tuple[Target, ...] = ()
    deadlines: tuple[Deadline, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Annex:
    """An annex of a document, holding a task table."""

    id: str
    label: str
    title: str
    tasks: tuple[Task, ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Section:
    """A heading of the document with its paragraphs, child sections, points and items, in order."""

    id: str
    label: str
    title: str
    paragraphs: tuple[str, ...] = ()
    sections: tuple[Section, ...] = ()
    points: tuple[Point, ...] = ()
    items: tuple[Point, ...] = ()
    depth: int = 0

    @property
    def heading(self) -> str:
        """Label and title, e.g. ``（一）组织领导``."""
        return f"{self.label}{self.title}"


@dataclass(frozen=True)
class Notice:
    """The notice (通知) a plan is issued with."""

    title: str
    paragraphs: tuple[str, ...]
    signature: tuple[str, ...] = ()


@dataclass(frozen=True)
class Document:
    """One plan: metadata, the whole text as structured parts, and its annexes."""

    id: str
    title: str
    kind: str
    issuer: str
    level: str
    area: str
    doc_number: str
    date: dt.date
    year: int
    units_layout: str
    parts: tuple[Section, ...]
    source: str
    printed: dt.date | None = None
    publicity: str = ""
    regions: tuple[str, ...] = ()
    header: tuple[str, ...] = ()
    notice: Notice | None = None
    preamble: tuple[str, ...] = ()
    closing: tuple[str, ...] = ()
    signature: tuple[str, ...] = ()
    end_matter: tuple[str, ...] = ()
    annexes: tuple[Annex, ...] = ()
    notes: tuple[str, ...] = ()
    fulltext: str = ""
    source_text: str = ""  # the text as received (data/sources/<id>.txt), published as 原件文字版
    date_inferred: bool = False
    validity: str = ""
    source_url: str = ""

    def walk_sections(self) -> list[Section]:
        """Every section in document order, depth first."""
        out: list[Section] = []

        def visit(sec: Section) -> None:
            out.append(sec)
            for child in sec.sections:
                visit(child)

        for part in self.parts:
            visit(part)
        return out

    # Cached (the document never changes): the pages, the index, the exports and the search ask for these often.
    @functools.cached_property
    def all_points(self) -> tuple[Point, ...]:
        """Work points and closing items in document order."""
        return tuple(p for s in self.walk_sections() for p in (*s.points, *s.items))

    @functools.cached_property
    def points(self) -> tuple[Point, ...]:
        """The work points (closing items excluded), in document order."""
        return tuple(p for p in self.all_points if p.counted)

    @functools.cached_property
    def items(self) -> tuple[Point, ...]:
        """The items of general requirements and safeguards (not counted as work points), in document order."""
        return tuple(p for p in self.all_points if not p.counted)

    @functools.cached_property
    def tasks(self) -> tuple[Task, ...]:
        """Every task of every annex, in order."""
        return tuple(t for a in self.annexes for t in a.tasks)


@dataclass(frozen=True)
class Dataset:
    """Everything the site is built from, with lookups by id."""

    areas: tuple[Area, ...]
    units: tuple[Unit, ...]
    themes: tuple[Theme, ...]
    regions: tuple[Region, ...]
    documents: tuple[Document, ...]
    unit_kinds: tuple[str, ...] = ()
    readings: tuple[tuple[str, str], ...] = ()
    redirects: tuple[tuple[str, str], ...] = ()  # (old URL, new URL), relative to the site root
    search_terms: tuple[SearchTerm, ...] = ()  # readers' words (data/search.yml)
    variants: tuple[Variant, ...] = ()  # variant characters, for search suggestions (data/search.yml)
    _by_id: dict = field(default_factory=dict, compare=False, repr=False, hash=False)

    def __post_init__(self) -> None:
        index: dict[tuple[str, str], object] = {}
        for kind, items in (
            ("area", self.areas),
            ("unit", self.units),
            ("theme", self.themes),
            ("region", self.regions),
            ("document", self.documents),
        ):
            for item in items:
                index[(kind, item.id)] = item
        object.__setattr__(self, "_by_id", index)

    def area(self, id: str) -> Area:
        """The area with this id."""
        return self._by_id[("area", id)]

    def unit(self, id: str) -> Unit:
        """The unit with this id."""
        return self._by_id[("unit", id)]

    def theme(self, id: str) -> Theme:
        """The theme with this id."""
        return self._by_id[("theme", id)]

    def region(self, id: str) -> Region:
        """The region with this id."""
        return self._by_id[("region", id)]

    def document(self, id: str) -> Document:
        """The document with this id."""
        return self._by_id[("document", id)]


@dataclass(frozen=True)
class SearchTerm:
    """Readers' words for a support direction or a theme (援藏, 沪滇, 消费扶贫 …) and what they stand for: the
    regions (each with every region below it) and the themes whose records the search index files them under.
    With both, a record must be filed under one of the regions and one of the themes."""

    words: tuple[str, ...]
    regions: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Variant:
    """A character printed or typed for another (闽 for 闵), used only to suggest a search with the usual one."""

    variant: str
    standard: str
    note: str = ""
