"""Synthetic data at any scale, recombined from the real documents, for benchmarks.

``python -m tools.synth --points 10000 --out DIR`` writes a complete data folder to
``DIR/data`` (never to the project's own ``data/``): the areas, themes, regions, vocabulary, search words
and readings copied from the real ``data/``, a unit directory per district (with the internal
units of the departments that issue plans), and documents with parts, sections, work points,
closing items and annex task tables, each with a matching full text, so that the result
validates clean with :func:`plansite.validate.validate_project`.

Every document follows the structure of one real document (its parts, sections, the number
of points per section, units layout, task table); its points are recombined from the real
points' sentences of the same theme, so targets and deadlines keep the real mix (a sentence
brings the targets and deadlines quoted in it). Names of the real districts and years are
replaced by the synthetic document's. The output depends only on the arguments (seeded RNG).

Scale: the 16 districts of data/areas.yml, year after year from 2021: in each year every district
issues one plan (as its government's office, its 合作交流办 or its leading group do in the real
documents) and ``--departments`` of its departments (default 4) issue theirs, in the manner of the real
department's plan, with their internal units; years are added until there are ``--points`` work points
(the last document is cut to give exactly that number). ``--years`` instead fits the number of
departments to that many years.

Usage: ``python -m tools.synth --points 10000 --out /tmp/synth`` (then build with that folder's
data/ in a copy of the project, as ``python -m tools.bench`` does).
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import math
import random
import re
import shutil
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from plansite.model import Dataset, Deadline, Document, Point, Section, Target
from plansite.slug import slugify
from plansite.validate import validate_project

REAL_ROOT = Path(__file__).resolve().parents[1]
COPIED = ("areas.yml", "themes.yml", "regions.yml", "vocab.yml", "pinyin.yml", "search.yml")
MARKER = ".synthetic"

# Unit kinds that name one district's own bodies (its industrial zones, parks, state companies): not carried over.
_LOCAL_KINDS = {"区属国企", "园区", "街镇"}
# Internal units every department has (its office, union, collective names, staff sent to the paired regions):
# the real department's internal units except those of these kinds (specific to its field), and its office.
_SPECIFIC_KINDS = {"科室", "事业单位"}

# More departments that may issue plans: the id suffix of a district unit of the real data, and a few
# internal units of their own (the real department's generic internal units are added to these).
DEPARTMENTS: tuple[tuple[str, tuple[tuple[str, str, str], ...]], ...] = (
    (
        "jiaoyuju",
        (
            ("dangqunke", "党群科", "科室"),
            ("jichujiaoyuke", "基础教育科", "科室"),
            ("zhichengjiaoke", "职成教科", "科室"),
            ("jiaoyuxueyuan", "教育学院", "事业单位"),
            ("jiaoyufazhanzhongxin", "教育发展中心", "事业单位"),
        ),
    ),
    (
        "weijianwei",
        (
            ("dangqunke", "党群科", "科室"),
            ("yizhengyiguanke", "医政医管科", "科室"),
            ("jikongke", "疾控科", "科室"),
            ("jibingyufangkongzhizhongxin", "疾病预防控制中心", "事业单位"),
            ("weishengjiandusuo", "卫生监督所", "事业单位"),
        ),
    ),
    (
        "rensheju",
        (
            ("dangqunke", "党群科", "科室"),
            ("jiuyecujinke", "就业促进科", "科室"),
            ("zhiyenenglijiansheke", "职业能力建设科", "科室"),
            ("jiuyecujinzhongxin", "就业促进中心", "事业单位"),
        ),
    ),
    (
        "jingwei",
        (
            ("dangqunke", "党群科", "科室"),
            ("shangmaoke", "商贸科", "科室"),
            ("chanyefazhanke", "产业发展科", "科室"),
            ("xiaofeibangfufuwuzhongxin", "消费帮扶服务中心", "事业单位"),
        ),
    ),
    (
        "wenlvju",
        (
            ("dangqunke", "党群科", "科室"),
            ("wenhuayishuke", "文化艺术科", "科室"),
            ("lvyoufazhanke", "旅游发展科", "科室"),
            ("wenhuaguan", "文化馆", "事业单位"),
        ),
    ),
    (
        "minzhengju",
        (
            ("dangqunke", "党群科", "科室"),
            ("shehuizuzhiguanlike", "社会组织管理科", "科室"),
            ("shehuijiuzhuke", "社会救助科", "科室"),
        ),
    ),
    (
        "guoziwei",
        (
            ("dangqunke", "党群科", "科室"),
            ("qiyefazhanke", "企业发展科", "科室"),
            ("jianduguanlike", "监督管理科", "科室"),
        ),
    ),
)

_SENT = re.compile(r"[^。；]+[。；]?")
_ORDINAL = re.compile(r"^[一二三四五六七八九十]+是")
_YEAR = re.compile(r"(?<!\d)(20\d\d)(?=年|〕)")
_CN_DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")
_CN_NUM = "一二三四五六七八九十"


_BLOCK_KEYS = {"text", "paragraphs", "preamble"}


def _dump(value) -> str:
    """A YAML scalar: JSON strings are YAML double-quoted scalars."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return json.dumps(value, ensure_ascii=False)


class _Yaml:
    """A tiny emitter for the shapes of the data files (mappings, lists, block text)."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def map(self, items: dict, indent: int = 0, first_prefix: str | None = None) -> None:
        pad = " " * indent
        first = True
        for key, value in items.items():
            if value is None or value == [] or value == ():
                continue
            lead = first_prefix if (first and first_prefix is not None) else pad
            first = False
            k = f'"{key}"' if key == "no" else key
            if isinstance(value, dict):
                self.lines.append(f"{lead}{k}:")
                self.map(value, indent + 2)
            elif isinstance(value, (list, tuple)):
                if key not in _BLOCK_KEYS and all(
                    not isinstance(v, (dict, list)) and "\n" not in str(v) for v in value
                ):
                    self.lines.append(f"{lead}{k}: [{', '.join(_dump(v) for v in value)}]")
                else:
                    self.lines.append(f"{lead}{k}:")
                    for v in value:
                        if isinstance(v, dict):
                            self.map(v, indent + 4, first_prefix=" " * (indent + 2) + "- ")
                        else:
                            self.block(v, indent + 4, prefix=" " * (indent + 2) + "- ")
            elif isinstance(value, str) and ("\n" in value or key in _BLOCK_KEYS):
                self.block(value, indent + 2, prefix=f"{lead}{k}: ")
            else:
                self.lines.append(f"{lead}{k}: {_dump(value)}")

    def block(self, text: str, indent: int, prefix: str) -> None:
        self.lines.append(prefix + "|-")
        self.lines += [" " * indent + line for line in text.split("\n")]

    def text(self, header: str = "") -> str:
        return header + "\n".join(self.lines) + "\n"


# -- the corpus: what the real documents are made of ---------------------------------------------


@dataclass(frozen=True)
class _Sentence:
    text: str
    year: int
    area: str
    targets: tuple[Target, ...] = ()
    deadlines: tuple[Deadline, ...] = ()


@dataclass
class _Corpus:
    ds: Dataset
    sentences: dict[str, list[_Sentence]] = field(default_factory=dict)  # theme id → sentences
    titles: dict[str, list[tuple[str, int, str]]] = field(default_factory=dict)  # theme id → (title, year, area)
    item_sentences: list[_Sentence] = field(default_factory=list)
    item_titles: list[tuple[str, int, str]] = field(default_factory=list)
    unit_weight: Counter = field(default_factory=Counter)  # unit id suffix → references in the real documents
    district_templates: list[Document] = field(default_factory=list)
    department_templates: list[Document] = field(default_factory=list)


def _split(text: str) -> list[str]:
    out = []
    for para in text.split("\n"):
        for s in _SENT.findall(para):
            s = _ORDINAL.sub("", s.strip())
            if len(s) >= 8:
                out.append(s)
    return out


def _sentences(item, doc: Document) -> list[_Sentence]:
    out = []
    for s in _split(item.text):
        out.append(
            _Sentence(
                s,
                doc.year,
                doc.area,
                tuple(t for t in item.targets if t.phrase in s),
                tuple(d for d in item.deadlines if d.phrase in s),
            )
        )
    return out


def build_corpus(ds: Dataset) -> _Corpus:
    """Sentences, titles and unit frequencies of the real documents, by theme."""
    c = _Corpus(ds)
    for doc in ds.documents:
        if doc.level in ("district", "department"):  # the synthetic plans are districts' and departments'
            (c.department_templates if doc.level == "department" else c.district_templates).append(doc)
        for p in doc.all_points:
            if p.counted:
                for tid in p.themes[:1] or ("",):
                    c.titles.setdefault(tid, []).append((p.title, doc.year, doc.area))
                for tid in p.themes:
                    c.sentences.setdefault(tid, []).extend(_sentences(p, doc))
            else:
                c.item_titles.append((p.title, doc.year, doc.area))
                c.item_sentences.extend(_sentences(p, doc))
            for r in (*p.lead, *p.responsible):
                c.unit_weight[_suffix(ds.unit(r.unit))] += 1
        for t in doc.tasks:
            for tid in t.themes:
                c.sentences.setdefault(tid, []).extend(_sentences(t, doc))
            for r in (*t.lead, *t.responsible):
                c.unit_weight[_suffix(ds.unit(r.unit))] += 1
    c.district_templates.sort(key=lambda d: d.id)
    c.department_templates.sort(key=lambda d: d.id)
    return c


def _suffix(unit) -> str:
    """``minhang-hezuojiaoliuban`` → ``hezuojiaoliuban``; internal units keep their parent's part."""
    return unit.id.split("-", 1)[1] if "-" in unit.id else unit.id


# -- units ------------------------------------------------------------------------------------------


@dataclass
class _Unit:
    suffix: str
    name: str
    kind: str
    aliases: list[str] = field(default_factory=list)
    covers: dict | None = None  # a collective's, as the real one's (its kinds; never a list of real members)

    @property
    def written(self) -> list[str]:
        """How documents write it: its short forms, else its name."""
        return self.aliases or [self.name]


class _Naming:
    """Replaces a real district's names (full and short) with a synthetic document's."""

    def __init__(self, ds: Dataset) -> None:
        self.ds = ds
        self.short = {a.id: _short(a) for a in ds.areas}

    def pairs(self, real_area: str, area: str) -> list[tuple[str, str]]:
        if real_area == area:
            return []
        ra, a = self.ds.area(real_area), self.ds.area(area)
        return [(ra.name, a.name), (self.short[real_area], self.short[area])]


def _short(area) -> str:
    for alias in area.aliases:
        if not alias.endswith("区") and len(alias) >= 2 and alias not in ("本市", "市"):
            return alias
    return area.name[:-1] if area.name.endswith("区") else area.name


def _sub(text: str, pairs: list[tuple[str, str]], delta: int) -> str:
    """Shift the years by ``delta``, then replace names (``pairs`` are matched after the shift)."""
    if delta:
        text = _YEAR.sub(lambda m: str(int(m[1]) + delta), text)
    for old, new in pairs:
        text = text.replace(old, new)
    return text


def district_units(ds: Dataset, naming: _Naming, area: str) -> tuple[list[_Unit], dict[str, str]]:
    """The units of one district: every district-level unit of the real districts, renamed; and the suffix
    each real unit's id suffix became (units of the same name in two real districts are one unit here)."""
    by_suffix: dict[str, _Unit] = {}
    by_name: dict[str, str] = {}
    suffix_of: dict[str, str] = {}
    for u in ds.units:
        if u.parent or u.kind in _LOCAL_KINDS or u.area == "shanghai":
            continue
        pairs = naming.pairs(u.area, area)
        name = _sub(u.name, pairs, 0)
        aliases = [_sub(a, pairs, 0) for a in u.aliases]
        suffix = _suffix(u)
        key = suffix if suffix in by_suffix else by_name.get(name)
        if key is None:
            by_suffix[suffix] = _Unit(suffix, name, u.kind, [], _covers(u))
            key = suffix
        suffix_of.setdefault(suffix, key)
        unit = by_suffix[key]
        for a in ([name] if name != unit.name else []) + aliases:
            if a not in unit.aliases and a != unit.name:
                unit.aliases.append(a)
        for n in (name, *aliases):
            by_name.setdefault(n, key)
    units = list(by_suffix.values())
    owner: dict[str, str] = {u.name: u.suffix for u in units}
    for u in units:  # a written form names one unit only
        kept = []
        for a in u.aliases:
            if owner.setdefault(a, u.suffix) == u.suffix:
                kept.append(a)
        u.aliases = kept
    return units, suffix_of


def _department(area_name: str, unit: _Unit) -> dict:
    """A department's names for titles and document numbers, from its unit."""
    base = unit.name.split(area_name, 1)[-1]  # 某某委员会, 某某局
    body = "委" if base.endswith("委员会") else base[-1]
    return dict(suffix=unit.suffix, name=base, org=base.replace("委员会", "委"), body=body)


def department_units(ds: Dataset, naming: _Naming, area: str, dep: dict, real_parent, specifics=()) -> list[_Unit]:
    """The internal units of a department: the real department's (renamed) when it is that department, else
    the real department's generic ones named after this department, and ``specifics``."""
    real = [u for u in ds.units if u.parent == real_parent.id]
    pairs = naming.pairs(real_parent.area, area)
    if dep["suffix"] == _suffix(real_parent):
        return [
            _Unit(
                u.id.rsplit("-", 1)[1],
                _sub(u.name, pairs, 0),
                u.kind,
                [_sub(a, pairs, 0) for a in u.aliases],
                _covers(u),
            )
            for u in real
        ]
    real_full = _sub(real_parent.name, pairs, 0)
    full = f"{ds.area(area).name}{dep['name']}"
    real_body = _department(ds.area(area).name, _Unit("", real_full, "")).get("body")
    out: list[_Unit] = []
    for u in real:
        name = _sub(u.name, pairs, 0)
        if u.kind in _SPECIFIC_KINDS and real_full not in name:
            continue
        names = [n.replace(real_full, full) for n in (name, *(_sub(a, pairs, 0) for a in u.aliases))]
        if dep["body"] != real_body:
            names = [dep["body"] + n[1:] if n.startswith(real_body) else n for n in names]
        suffix = u.id.rsplit("-", 1)[1] if names[0] == name or real_full in name else slugify(names[0])
        out.append(_Unit(suffix, names[0], u.kind, names[1:], _covers(u)))
    taken = {u.suffix for u in out} | {n for u in out for n in (u.name, *u.aliases)}
    out += [_Unit(sfx, n, k) for sfx, n, k in specifics if sfx not in taken and n not in taken]
    return out


# -- documents --------------------------------------------------------------------------------------


@dataclass
class _Issuer:
    area: str
    level: str  # district or department
    unit_id: str
    name: str
    dep: dict | None
    pool: list[_Unit]  # the units its points name (internal units first for a department)
    weights: list[float]


@dataclass
class _Slot:
    year: int
    area: str
    issuer: _Issuer


class _DocBuilder:
    """Builds one synthetic document (YAML mapping and full text) from a real template."""

    def __init__(self, gen: Generator, slot: _Slot, template: Document, max_points: int, seq: int) -> None:
        self.g, self.slot, self.t = gen, slot, template
        self.rng = random.Random(f"{gen.seed}:{slot.year}:{slot.area}:{slot.issuer.unit_id}")
        self.max_points = max_points
        self.n_points = 0
        self.ids: set[str] = set()
        self.lines: list[str] = []
        self.used_task_texts: set[str] = set()  # a task's text once per document (its tasks are built once)
        self.delta = slot.year - template.year
        self.pairs = gen.naming.pairs(template.area, slot.area)
        ds = gen.ds
        area = ds.area(slot.area)
        issuer = slot.issuer
        real_issuer = ds.unit(template.issuer)
        dep = issuer.dep
        if dep:
            self.title = f"{issuer.name}{slot.year}年东西部协作和对口支援工作计划"
            self.doc_number = f"{gen.naming.short[slot.area][:1]}{dep['org']}〔{slot.year}〕{seq}号"
            real_base = real_issuer.name.replace(ds.area(template.area).name, "")  # 农业农村委员会
            self.pairs = [
                (real_issuer.name, issuer.name),
                *self.pairs,
                (real_base, dep["name"]),
                (real_base.replace("委员会", "委"), dep["org"]),
            ]
        else:
            self.title = _sub(template.title, self.pairs, self.delta)
            number = _sub(template.doc_number, self.pairs, self.delta)
            real_char = gen.naming.short[template.area][:1]
            number = number.replace(real_char, gen.naming.short[slot.area][:1], 1)
            self.doc_number = re.sub(r"〕\d+号", f"〕{seq}号", number)
            self.pairs = [(real_issuer.name, issuer.name), *self.pairs]
        self.pairs = [(_sub(template.title, [], self.delta), self.title), *self.pairs]
        kind = template.kind
        self.kind = kind
        self.area_name = area.name
        self.doc_id = (
            f"{issuer.unit_id}-{slot.year}-{ds_kind_id(gen, kind)}"
            if issuer.dep
            else f"{slot.area}-{slot.year}-{ds_kind_id(gen, kind)}"
        )
        start = dt.date(slot.year, 2, 1).toordinal()
        self.date = dt.date.fromordinal(start + self.rng.randrange(0, 180))
        self.regions: list[str] = []
        self.point_ids: dict[str, dict] = {}  # template point id → synthetic point
        self.used_titles: set[str] = set()

    # text helpers ------------------------------------------------------------------------------
    def sub(self, text: str) -> str:
        text = _sub(text, self.pairs, self.delta)
        return _CN_DATE.sub(f"{self.date.year}年{self.date.month}月{self.date.day}日", text)

    def uid(self, base: str) -> str:
        base = base or "x"
        cand, n = base, 2
        while cand in self.ids:
            cand, n = f"{base}-{n}", n + 1
        self.ids.add(cand)
        return cand

    def adapt(self, s: _Sentence) -> tuple[str, list[Target], list[Deadline]]:
        pairs = self.g.naming.pairs(s.area, self.slot.area)
        delta = self.slot.year - s.year
        text = _sub(s.text, pairs, delta)
        targets = [
            Target(
                _sub(t.phrase, pairs, delta),
                t.value,
                t.unit,
                _sub(t.counts, pairs, delta),
                t.comparator,
                _sub(t.per, pairs, delta),
                t.additive,
            )
            for t in s.targets
        ]
        deadlines = []
        for d in s.deadlines:
            due = d.due
            if due is not None and delta:
                try:
                    due = due.replace(year=due.year + delta)
                except ValueError:  # 29 February
                    due = due.replace(year=due.year + delta, day=28)
            deadlines.append(
                Deadline(_sub(d.phrase, pairs, delta), due, d.repeat, d.day, d.within_days, _sub(d.after, pairs, delta))
            )
        return text, targets, deadlines

    def found_regions(self, text: str) -> list[str]:
        out, seen = [], set()
        for name, rid in self.g.region_names:
            if name in text and rid not in seen:
                seen.add(rid)
                out.append((text.index(name), name))
        names = [n for _, n in sorted(out)]
        for n in names:
            if n not in self.regions:
                self.regions.append(n)
        return names

    def pick_title(self, pool: list[tuple[str, int, str]]) -> str:
        choices = [t for t in pool if t[0] not in self.used_titles] or pool
        title, year, area = self.rng.choice(choices)
        self.used_titles.add(title)
        return _sub(title, self.g.naming.pairs(area, self.slot.area), self.slot.year - year)

    def pick_units(self, n: int) -> list[str]:
        if n <= 0:
            return []
        pool, weights = self.slot.issuer.pool, self.slot.issuer.weights
        chosen: list[_Unit] = []
        for _ in range(n * 4):
            u = self.rng.choices(pool, weights)[0]
            if u not in chosen:
                chosen.append(u)
            if len(chosen) == n:
                break
        return [self.rng.choice(u.written) for u in chosen]

    # structure -------------------------------------------------------------------------------
    def point(self, tp: Point, counted: bool) -> dict:
        themes = [self.g.ds.theme(t) for t in tp.themes]
        primary = tp.themes[0] if tp.themes else ""
        if counted:
            title = self.pick_title(self.g.corpus.titles.get(primary) or self.g.all_titles) if tp.title else ""
            pool = self.g.corpus.sentences.get(primary) or self.g.all_sentences
        else:
            title = self.pick_title(self.g.corpus.item_titles) if tp.title else ""
            pool = self.g.corpus.item_sentences or self.g.all_sentences
        paras = [p for p in tp.text.split("\n") if p]
        n_sent = max(1, len(_split(tp.text)) + self.rng.choice((-1, 0, 0, 1)))
        picked = [self.adapt(s) for s in self.rng.sample(pool, min(n_sent, len(pool)))]
        sentences = [t for t, _, _ in picked]
        if sentences and sentences[-1].endswith("；"):
            sentences[-1] = sentences[-1][:-1] + "。"
        n_par = min(len(paras), len(sentences)) or 1
        cuts = sorted(self.rng.sample(range(1, len(sentences)), n_par - 1)) if n_par > 1 else []
        bounds = [0, *cuts, len(sentences)]
        text = "\n".join("".join(sentences[a:b]) for a, b in itertools.pairwise(bounds))
        targets, deadlines, seen = [], [], set()
        for _, ts, ds_ in picked:
            for t in ts:
                if t.phrase in text and t.phrase not in seen:
                    seen.add(t.phrase)
                    targets.append(t)
            for d in ds_:
                if d.phrase in text and d.phrase not in seen:
                    seen.add(d.phrase)
                    deadlines.append(d)
        lead = self.pick_units(len(tp.lead))
        responsible = [u for u in self.pick_units(len(tp.responsible)) if u not in lead]
        units_text = self.units_text(tp.units_text, lead, responsible) if tp.units_text else ""
        if tp.units_text and not units_text:
            lead, responsible = [], []
        out = {
            "id": self.uid(slugify(title.rstrip("。．.")) if title else slugify(tp.label) or "tiao"),
            "label": tp.label,
            "title": title,
            "title_alone": True if tp.title_alone else None,
            "text": text,
            "units_text": units_text or None,
            "lead": lead,
            "responsible": responsible,
            "themes": [t.name for t in themes],
            "regions": self.found_regions(text),
            "targets": [_target(t) for t in targets],
            "deadlines": [_deadline(d) for d in deadlines],
            "_sentences": sentences,
            "_picked": picked,
        }
        # the full text: label and title, then the text (on the title's line unless it stands alone)
        first, *rest = text.split("\n")
        sep = " " if tp.label.endswith(".") else ""
        if tp.title_alone:
            self.lines.append(f"{tp.label}{sep}{title}")
            body = [first, *rest]
        else:
            body = [f"{tp.label}{sep}{title}{first}", *rest]
        if units_text and self.t.units_layout == "inline":
            body[-1] += units_text
        self.lines += body
        if units_text and self.t.units_layout == "line":
            self.lines.append(units_text)
        return out

    @staticmethod
    def units_text(model: str, lead: list[str], responsible: list[str]) -> str:
        if model.startswith("（") or model.startswith("("):
            label = "责任部门" if "责任部门" in model else "责任单位"
            names = lead + responsible
            return f"（{label}：{'、'.join(names)}）" if names else ""
        parts = []
        if lead:
            parts.append(f"牵头单位：{'、'.join(lead)}")
        if responsible:
            parts.append(f"责任单位：{'、'.join(responsible)}")
        return "；".join(parts)

    def section(self, ts: Section) -> dict | None:
        heading = f"{ts.label}{self.sub(ts.title)}"
        mark = len(self.lines)
        self.lines.append(heading)
        paragraphs = [self.sub(p) for p in ts.paragraphs]
        for p in paragraphs:
            self.lines += p.split("\n")
        kids = [k for k in (self.section(s) for s in ts.sections) if k]
        points = []
        for tp in ts.points:
            if self.n_points >= self.max_points:
                break
            self.n_points += 1
            p = self.point(tp, True)
            self.point_ids[tp.id] = p
            points.append(p)
        items = [self.point(tp, False) for tp in ts.items]
        if not (paragraphs or kids or points or items):
            del self.lines[mark:]
            return None
        return {
            "id": self.uid(slugify(self.sub(ts.title))),
            "label": ts.label,
            "title": self.sub(ts.title),
            "paragraphs": paragraphs,
            "sections": kids,
            "points": points,
            "items": items,
        }

    def tasks(self) -> list[dict]:
        out: list[dict] = []
        annexes = []
        for ta in self.t.annexes:
            rows = []
            for tt in ta.tasks:
                p = self.point_ids.get(tt.point) if tt.point else None
                if tt.point and p is None:
                    continue  # its work point was cut
                if p is not None and p["_sentences"]:
                    k = self.rng.randrange(len(p["_sentences"]))
                    text = p["_sentences"][k].rstrip("；") if len(p["_sentences"]) > 1 else p["_sentences"][0]
                    if not text.endswith("。"):
                        text += "。"
                    picked = p["_picked"]
                    themes = p["themes"]
                    lead, responsible = p["lead"] or self.pick_units(len(tt.lead)), p["responsible"]
                else:
                    pool = self.g.corpus.sentences.get(tt.themes[0] if tt.themes else "") or self.g.all_sentences
                    s = self.adapt(self.rng.choice(pool))
                    text, picked = s[0].rstrip("；") + ("" if s[0].endswith("。") else "。"), [s]
                    themes = [self.g.ds.theme(t).name for t in tt.themes]
                    lead, responsible = self.pick_units(len(tt.lead)), self.pick_units(len(tt.responsible))
                    responsible = [u for u in responsible if u not in lead]
                if text in self.used_task_texts:
                    continue
                self.used_task_texts.add(text)
                targets = [_target(t) for _, ts, _ in picked for t in ts if t.phrase in text]
                if p is not None:  # the point's own sentence: its targets are the point's, restated
                    mine = {t["phrase"] for t in p["targets"]}
                    targets = [t | {"restates": t["phrase"]} if t["phrase"] in mine else t for t in targets]
                deadlines = [_deadline(d) for _, _, ds_ in picked for d in ds_ if d.phrase in text]
                no = len(out) + 1
                row = {
                    "id": self.uid(f"t{no:02d}"),
                    "no": no,
                    "area": self.sub(tt.area),
                    "text": text,
                    "lead": lead,
                    "responsible": responsible,
                    "point": p["id"] if p else None,
                    "themes": themes,
                    "regions": self.found_regions(text),
                    "targets": _unique(targets),
                    "deadlines": _unique(deadlines),
                }
                out.append(row)
                rows.append(row)
            if rows:
                annexes.append((ta, rows))
        return annexes

    def build(self) -> tuple[dict, str]:
        t = self.t
        head = [self.sub(h) for h in t.header]
        self.lines += head
        self.lines.append(self.doc_number)
        notice = None
        if t.notice:
            notice = {
                "title": self.sub(t.notice.title),
                "paragraphs": [self.sub(p) for p in t.notice.paragraphs],
                "signature": [self.sub(s) for s in t.notice.signature],
            }
            self.lines.append(notice["title"])
            self.lines += notice["paragraphs"] + notice["signature"]
        self.lines.append(self.title)
        preamble = [self.sub(p) for p in t.preamble]
        self.lines += preamble
        parts = [s for s in (self.section(p) for p in t.parts) if s]
        signature = [self.sub(s) for s in t.signature]
        end_matter = [self.sub(s) for s in t.end_matter]
        self.lines += signature + end_matter
        self.used_task_texts.clear()
        annexes = []
        for ta, rows in self.tasks():
            annex_id = self.uid(ta.id)
            label, title = self.sub(ta.label), self.sub(ta.title)
            self.lines += [label, title, "序号\t工作要点\t具体任务\t牵头单位\t责任单位"]
            for r in rows:
                self.lines.append(
                    f"{r['no']}\t{r['area']}\t{r['no']}. {r['text']}\t{' '.join(r['lead'])}\t"
                    f"{' '.join(r['responsible'])}"
                )
            annexes.append({"id": annex_id, "label": label, "title": title, "tasks": rows})
        doc = {
            "id": self.doc_id,
            "title": self.title,
            "kind": self.kind,
            "issuer": self.slot.issuer.unit_id,
            "level": self.slot.issuer.level,
            "area": self.slot.area,
            "doc_number": self.doc_number,
            "date": self.date,
            "printed": self.date if t.printed else None,
            "year": self.slot.year,
            "publicity": t.publicity or None,
            "units_layout": t.units_layout,
            "regions": self.regions,
            "header": head,
            "notice": notice,
            "preamble": preamble,
            "parts": parts,
            "signature": signature,
            "end_matter": end_matter,
            "annexes": annexes,
        }
        return _clean(doc), "\n".join(self.lines) + "\n"


def ds_kind_id(gen: Generator, kind: str) -> str:
    return gen.kind_ids.get(kind, slugify(kind))


def _target(t: Target) -> dict:
    return {
        "phrase": t.phrase,
        "comparator": t.comparator or None,
        "value": t.value,
        "unit": t.unit,
        "counts": t.counts,
        "per": t.per or None,
        "additive": t.additive or None,
    }


def _deadline(d: Deadline) -> dict:
    return {
        "phrase": d.phrase,
        "due": d.due,
        "repeat": d.repeat,
        "day": d.day,
        "within_days": d.within_days,
        "after": d.after or None,
    }


def _unique(rows: list[dict]) -> list[dict]:
    seen, out = set(), []
    for r in rows:
        if r["phrase"] not in seen:
            seen.add(r["phrase"])
            out.append(r)
    return out


def _clean(value):
    """Drop private keys (``_…``) and empty values, recursively."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if not k.startswith("_") and v not in (None, "", [], ())}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


# -- the generator ----------------------------------------------------------------------------------


class Generator:
    """Plans the documents (district × year × issuer) and writes them."""

    def __init__(
        self,
        points: int,
        departments: int | None = None,
        years: int | None = None,
        first_year: int = 2021,
        seed: int = 1,
        real_root: Path = REAL_ROOT,
        districts: int | None = None,
    ) -> None:
        ds, report = validate_project(real_root)
        if ds is None:
            raise SystemExit("真实数据未通过检查：\n" + report.format())
        self.ds, self.points, self.seed = ds, points, seed
        self.real_root = real_root
        self.corpus = build_corpus(ds)
        self.naming = _Naming(ds)
        self.all_titles = [t for ts in self.corpus.titles.values() for t in ts]
        self.all_sentences = [s for ss in self.corpus.sentences.values() for s in ss]
        self.region_names = sorted(
            ((n, r.id) for r in ds.regions for n in r.names if len(n) >= 2), key=lambda x: (-len(x[0]), x[0])
        )
        self.kind_ids = _kind_ids(real_root)
        self.districts = [a for a in ds.areas if a.level == "district"][:districts]
        self.first_year = first_year
        self.departments = self._departments(points, departments, years)
        self.units: dict[str, list[_Unit]] = {}
        self.dept_units: dict[tuple[str, str], list[_Unit]] = {}
        self.issuers: dict[str, list[_Issuer]] = {}
        rng = random.Random(f"{seed}:units")
        real_parent = ds.unit(self.corpus.department_templates[0].issuer)
        for a in self.districts:
            units, suffix_of = district_units(ds, self.naming, a.id)
            self.units[a.id] = units
            weights = [1.0 + self.corpus.unit_weight.get(u.suffix, 0) for u in units]
            issuers = [_Issuer(a.id, "district", "", "", None, units, weights)]  # issuer: its template's
            more = list(DEPARTMENTS)
            rng.shuffle(more)
            for suffix, specifics in [(_suffix(real_parent), ()), *more]:
                unit = next((u for u in units if u.suffix == suffix_of.get(suffix)), None)
                if unit is None or any(i.unit_id == f"{a.id}-{unit.suffix}" for i in issuers):
                    continue
                dep = _department(a.name, unit)
                inner = department_units(ds, self.naming, a.id, dep, real_parent, specifics)
                self.dept_units[(a.id, unit.suffix)] = inner
                inner_weights = [
                    3.0 + self.corpus.unit_weight.get(f"{_suffix(real_parent)}-{u.suffix}", 0) for u in inner
                ]
                issuers.append(
                    _Issuer(
                        a.id,
                        "department",
                        f"{a.id}-{unit.suffix}",
                        unit.name,
                        dep,
                        inner + units,
                        inner_weights + [0.2 * w for w in weights],
                    )
                )
            self.issuers[a.id] = issuers
        self.max_departments = min(len(v) for v in self.issuers.values()) - 1
        self.departments = min(self.departments, self.max_departments)

    def slots(self):
        """(year, district, issuer) in the order documents are made, year after year: in each year every
        district's own plan, then its departments' plans (one department at a time)."""
        year = self.first_year
        while True:
            for rank in range(1 + self.departments):
                for a in self.districts:
                    yield _Slot(year, a.id, self.issuers[a.id][rank])
            year += 1

    def documents(self):
        """Yield (doc mapping, full text) until there are exactly ``points`` work points."""
        total = 0
        seq: Counter = Counter()
        for slot in self.slots():
            if total >= self.points:
                return
            key = (slot.year, slot.area, slot.issuer.level, slot.issuer.unit_id)
            rng = random.Random(f"{self.seed}:{key}")
            if slot.issuer.level == "district":
                template = rng.choice(self.corpus.district_templates)
                issuer = slot.issuer
                suffix = _suffix(self.ds.unit(template.issuer))
                slot = _Slot(
                    slot.year,
                    slot.area,
                    _Issuer(
                        issuer.area,
                        "district",
                        f"{slot.area}-{suffix}",
                        self._unit_name(slot.area, suffix),
                        None,
                        issuer.pool,
                        issuer.weights,
                    ),
                )
            else:
                template = rng.choice(self.corpus.department_templates)
            seq[(slot.area, slot.year)] += 1
            b = _DocBuilder(self, slot, template, self.points - total, 10 + 7 * seq[(slot.area, slot.year)])
            doc, text = b.build()
            total += b.n_points
            yield doc, text

    def _departments(self, points: int, departments: int | None, years: int | None) -> int:
        """Departments issuing plans in each district: given, or fitted to ``years``, or 4 ("several")."""
        if departments is not None:
            return max(0, departments)
        if years is None:
            return 4
        district = sum(len(d.points) for d in self.corpus.district_templates) / len(self.corpus.district_templates)
        dept = sum(len(d.points) for d in self.corpus.department_templates) / len(self.corpus.department_templates)
        per_district_year = points / (len(self.districts) * years)
        return max(0, math.ceil((per_district_year - district) / dept))

    def _unit_name(self, area: str, suffix: str) -> str:
        return next(u.name for u in self.units[area] if u.suffix == suffix)

    def write(self, out: Path) -> dict:
        """Write ``out/data``; return a summary."""
        data = out / "data"
        if data.resolve() == (self.real_root / "data").resolve():
            raise SystemExit("不能写到项目自己的 data/ 目录。")
        if data.exists():
            if not (data / MARKER).exists():
                raise SystemExit(f"{data} 已存在且不是生成的数据：请换一个目录。")
            shutil.rmtree(data)
        (data / "documents").mkdir(parents=True)
        (data / "fulltext").mkdir()
        (data / "sources").mkdir()
        (data / "units").mkdir()
        for name in COPIED:
            shutil.copy(self.real_root / "data" / name, data / name)
        if (self.real_root / "data" / "schema").is_dir():
            shutil.copytree(self.real_root / "data" / "schema", data / "schema")
        n_docs = n_points = n_tasks = 0
        used_issuers: dict[str, str] = {}  # unit id → the level of its documents (its doc_level)
        years: set[int] = set()
        for doc, text in self.documents():
            y = _Yaml()
            y.map(doc)
            (data / "documents" / f"{doc['id']}.yml").write_text(
                y.text("# yaml-language-server: $schema=../schema/document.schema.json\n"), encoding="utf-8"
            )
            (data / "fulltext" / f"{doc['id']}.txt").write_text(text, encoding="utf-8")
            (data / "sources" / f"{doc['id']}.txt").write_text(text, encoding="utf-8")  # as if received so
            if used_issuers.setdefault(doc["issuer"], doc["level"]) != doc["level"]:
                raise RuntimeError(f"{doc['issuer']} issues at two levels")
            years.add(doc["year"])
            n_docs += 1
            n_points += _count_points(doc)
            n_tasks += sum(len(a["tasks"]) for a in doc.get("annexes", []))
        n_units = 0
        for a in self.districts:
            y = _Yaml()
            units = [_unit_map(a.id, u, used_issuers) for u in self.units[a.id]]
            y.map({"area": a.id, "units": units})
            (data / "units" / f"{a.id}.yml").write_text(y.text("# 生成的单位名录（benchmark 用）\n"), encoding="utf-8")
            n_units += len(units)
            for (area, suffix), inner in self.dept_units.items():
                parent = f"{area}-{suffix}"
                if area != a.id or parent not in used_issuers:
                    continue
                y = _Yaml()
                y.map({"area": area, "parent": parent, "units": [_unit_map(parent, u, used_issuers) for u in inner]})
                (data / "units" / f"{parent}.yml").write_text(y.text(), encoding="utf-8")
                n_units += len(inner)
        (data / MARKER).write_text(f"points={self.points} seed={self.seed}\n", encoding="utf-8")
        return {
            "documents": n_docs,
            "points": n_points,
            "tasks": n_tasks,
            "units": n_units,
            "districts": len(self.districts),
            "departments": self.departments,
            "years": f"{min(years)}–{max(years)}" if years else "",
        }


def _count_points(doc: dict) -> int:
    def walk(sec):
        return len(sec.get("points", [])) + sum(walk(s) for s in sec.get("sections", []))

    return sum(walk(p) for p in doc["parts"])


def _unit_map(prefix: str, u: _Unit, levels: dict[str, str]) -> dict:
    out = {"id": f"{prefix}-{u.suffix}", "name": u.name, "aliases": u.aliases, "kind": u.kind}
    if out["id"] in levels:  # an issuer says the level of its documents
        out["doc_level"] = levels[out["id"]]
    return out | {"covers": u.covers} if u.covers else out


def _covers(u) -> dict | None:
    """A real collective's coverage by kinds (members are real units: not carried over)."""
    if u.covers is None or u.covers.members:
        return None
    return {k: v for k, v in (("kinds", list(u.covers.kinds)), ("all", u.covers.all)) if v}


def _kind_ids(root: Path) -> dict[str, str]:
    import yaml

    vocab = yaml.safe_load((root / "data" / "vocab.yml").read_text(encoding="utf-8"))
    return {k["name"]: k["id"] for k in vocab.get("document_kinds", [])}


def generate(
    points: int,
    out: Path,
    departments: int | None = None,
    years: int | None = None,
    seed: int = 1,
    first_year: int = 2021,
    districts: int | None = None,
) -> dict:
    """Write a synthetic data folder with ``points`` work points to ``out/data``; return a summary."""
    return Generator(points, departments, years, first_year, seed, districts=districts).write(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog=".venv/bin/python -m tools.synth", description="生成任意规模的合成数据（用于性能测试）"
    )
    parser.add_argument("--points", type=int, required=True, help="工作要点条数")
    parser.add_argument("--out", required=True, help="输出目录（写入 OUT/data）")
    parser.add_argument(
        "--departments",
        type=int,
        default=None,
        help=f"每个区每年印发计划的部门数（0–{len(DEPARTMENTS) + 1}；默认 4，给出 --years 时按年度数推算）",
    )
    parser.add_argument(
        "--years", type=int, default=None, help="年度数（默认：按条数需要，从 --first-year 起逐年增加）"
    )
    parser.add_argument("--first-year", type=int, default=2021)
    parser.add_argument("--districts", type=int, default=None, help="区的个数（默认 data/areas.yml 中的全部 16 个）")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    summary = generate(
        args.points, Path(args.out), args.departments, args.years, args.seed, args.first_year, args.districts
    )
    summary["seconds"] = round(time.perf_counter() - t0, 2)
    print(json.dumps(summary, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
