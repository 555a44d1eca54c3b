"""The search registry, ``data/search.yml``: readers' words for paired regions and themes, and variant characters.

``terms`` say what a reader's word stands for (援藏 → 西藏 and every region below it; 消费扶贫 → the theme
消费协作): the search index files every record of those regions or themes under the word (plansite.search), so
the browser finds it like any other word. ``variants`` pair a character printed or typed for another with the
usual one (闽 → 闵); the search page only suggests the usual form, it never changes what a reader typed.

Checked here once the regions, themes, areas and units are loaded (their names are what the words may not
repeat); problems go to the validator's report like every other rule's.
"""

from __future__ import annotations

import difflib
import re

from . import schema
from .errors import Pos
from .model import Region, SearchTerm, Theme, Variant

FILE = "search.yml"
_WORD = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff0-9A-Za-z]{2,}")
_HAN_CHAR = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def load_search_words(
    v, themes: dict[str, Theme], regions: dict[str, Region], areas, units
) -> tuple[tuple[SearchTerm, ...], tuple[Variant, ...]]:
    """The terms and variants of ``data/search.yml`` (none when there is no such file), checked against the
    registries; ``v`` is the :class:`~plansite.validate.Validator`, whose report collects the problems."""
    loaded = v._load(v.data / FILE, schema.SEARCH_FILE, missing_ok=True)
    if loaded is None:
        return (), ()
    report = v.report
    names = _registered_names(themes, regions, areas, units)
    theme_ids = {t.name: t.id for t in themes.values()} | {t.id: t.id for t in themes.values()}
    seen: dict[str, Pos] = {}
    terms = []
    for rec in loaded.rec.get("terms", []):
        words = rec.get("words", [])
        ok_words = []
        for i, word in enumerate(words):
            pos = words.poss[i]
            if not _WORD.fullmatch(word):
                problem = "只有一个字" if len(word) < 2 else "含有汉字、字母和数字以外的字符（空格、标点等）"
                report.add("E171", pos, value=word, problem=problem)
            elif word in seen:
                report.add("E172", pos, what="搜索词", value=word, other=f"{seen[word].file}:{seen[word].line}")
            elif word in names:
                report.add("E173", pos, value=word, what=names[word])
            else:
                seen[word] = pos
                ok_words.append(word)
        region_ids = []
        for i, name in enumerate(rec.get("regions", [])):
            rid = v.region_names.get(name)
            if rid is None:
                if "regions" in v.broken:  # the registry could not be read: reported once, there
                    continue
                report.add("E145", rec["regions"].poss[i], value=name, suggestion=_near(name, list(v.region_names)))
            elif rid not in region_ids:
                region_ids.append(rid)
        term_themes = []
        for i, name in enumerate(rec.get("themes", [])):
            tid = theme_ids.get(name)
            if tid is None:
                if "themes" in v.broken:
                    continue
                report.add(
                    "E144", rec["themes"].poss[i], value=name, allowed="、".join(t.name for t in themes.values())
                )
            elif tid not in term_themes:
                term_themes.append(tid)
        if "regions" not in rec and "themes" not in rec and words:
            report.add("E170", rec.pos, value="、".join(words))
        if ok_words and (region_ids or term_themes):
            terms.append(SearchTerm(tuple(ok_words), tuple(region_ids), tuple(term_themes), rec.get("note", "")))
    variants = []
    seen_chars: dict[str, Pos] = {}
    for rec in loaded.rec.get("variants", []):
        if not {"variant", "standard"} <= rec.keys():
            continue
        a, b = rec["variant"], rec["standard"]
        problem = ""
        if len(a) != 1 or len(b) != 1 or not _HAN_CHAR.fullmatch(a) or not _HAN_CHAR.fullmatch(b):
            problem = "两处都要写一个汉字"
        elif a == b:
            problem = "两个字相同"
        if problem:
            report.add("E174", rec.pos, variant=a, standard=b, problem=problem)
        elif a in seen_chars:
            report.add(
                "E172", rec.at("variant"), what="异体字", value=a, other=f"{seen_chars[a].file}:{seen_chars[a].line}"
            )
        else:
            seen_chars[a] = rec.at("variant")
            variants.append(Variant(a, b, rec.get("note", "")))
    return tuple(terms), tuple(variants)


def _registered_names(themes, regions, areas, units) -> dict[str, str]:
    """Every name and alias the registries give, and whose it is (for messages)."""
    out: dict[str, str] = {}
    for u, _ in units.values():
        for n in u.names:
            out.setdefault(n, f"单位“{u.name}”")
    for a in areas.values():
        for n in (a.name, *a.aliases):
            out.setdefault(n, f"区域“{a.name}”")
    for t in themes.values():
        out.setdefault(t.name, f"主题“{t.name}”")
    for r in regions.values():
        for n in r.names:
            out.setdefault(n, f"地区“{r.name}”")
    return out


def _near(value: str, choices: list[str]) -> str:
    near = difflib.get_close_matches(value, choices, n=3, cutoff=0.4)
    return f"是不是“{'”“'.join(near)}”？" if near else ""
