"""Check loaded nodes against the declared shapes and convert them to plain values.

Everything a single file can get wrong is found here (types, keys, implicit YAML typing,
dates, whitespace, markup); cross-file references are checked later, in ``validate``.
Converted mappings are :class:`Rec` (a dict that remembers the position of each value) and
lists are :class:`Lst` (a list that remembers the position of each item). Both keep the source
nodes and make a :class:`Pos` only when a position is asked for, which is mostly for a problem.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Collection, Iterator, Sequence
from typing import overload

from .errors import Pos, Report
from .load import Map, Node, Scalar, Seq
from .schema import Field, Struct


class Rec(dict):
    """A converted mapping; ``pos`` is where it starts, ``at(key)`` where a value starts."""

    node: Node  # the mapping it was converted from
    value_nodes: dict[str, Node]  # the value node of every known key, converted or not

    @property
    def pos(self) -> Pos:
        """Where the mapping starts."""
        return self.node.pos

    def at(self, key: str) -> Pos:
        """Position of ``key``'s value, or of the mapping when the key is absent."""
        value = self.value_nodes.get(key)
        return self.node.pos if value is None else value.pos


class Lst(list):
    """A converted list; ``poss[i]`` is where item ``i`` starts."""

    node: Node  # the sequence (or empty value) it was converted from
    item_nodes: list[Node]  # the source node of each item

    @property
    def pos(self) -> Pos:
        """Where the list starts."""
        return self.node.pos

    @property
    def poss(self) -> Positions:
        """Where each item starts."""
        return Positions(self.item_nodes)


def strings(value: object, node: Node, keys: Collection[str] | None = None) -> Iterator[tuple[str, Node]]:
    """Every string under a converted value with the node it came from, in document order; under a :class:`Rec`
    only the values of ``keys`` (all when None). Iterative: no recursion, and no recursive closure either (a
    function that calls itself through its closure is a reference cycle, which the validator, running with the
    cyclic garbage collector paused, would keep with everything it refers to until the end of the run)."""
    stack: list[tuple[object, Node]] = [(value, node)]
    while stack:
        value, node = stack.pop()
        if isinstance(value, str):
            yield value, node
        elif isinstance(value, Rec):
            items = [(item, value.value_nodes[k]) for k, item in value.items() if keys is None or k in keys]
            stack.extend(reversed(items))
        elif isinstance(value, Lst):
            stack.extend(reversed(list(zip(value, value.item_nodes))))


class Positions(Sequence[Pos]):
    """The start positions of a list of nodes, each made when it is read."""

    def __init__(self, nodes: list[Node]) -> None:
        self._nodes = nodes

    def __len__(self) -> int:
        return len(self._nodes)

    @overload
    def __getitem__(self, i: int) -> Pos: ...

    @overload
    def __getitem__(self, i: slice) -> list[Pos]: ...

    def __getitem__(self, i: int | slice) -> Pos | list[Pos]:
        if isinstance(i, slice):
            return [n.pos for n in self._nodes[i]]
        return self._nodes[i].pos


ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_EDGE_SPACE = " \t\n\u3000\u00a0\u2002\u2003\u2009"
# Every pattern here runs on editor text and is linear in its length: no two adjacent quantifiers can match the
# same characters (``<\s*/?\s*`` could: 42 s for a "<" and 100,000 spaces), and a line-start pattern never crosses a
# line break (``^\s*`` from every one of 100,000 empty lines scanned all those after it).
_HTML = re.compile(r"<\s*(?:/\s*)?[A-Za-z!?][^<>]*>?|&#?[A-Za-z0-9]+;")
_URL = re.compile(r"(?i)\b(?:javascript|vbscript|data)\s*:")
_ATTR_LIST = re.compile(r"\{\s*:")
_HEADING = re.compile(r"(?m)^[^\S\n]*#{1,6}(?:\s|$)")
_FENCE = re.compile(r"(?m)^[^\S\n]*(?:```|~~~)")
_FULLWIDTH = frozenset("\uff10\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff19")
_NUMBER_CHARS = frozenset("0123456789.\uff0e\uff0d\uff0b") | _FULLWIDTH
_INT = re.compile(r"-?[0-9]+")
_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
# Text values longer than this are E125 (the longest real paragraph is about 700 characters), and ids (which
# become file names and URLs) longer than MAX_ID_CHARS (the longest real one has 42).
MAX_VALUE_CHARS = 20_000
MAX_ID_CHARS = 100
# An int or number written with more characters than this is E124 (a 400-digit value overflowed float).
MAX_NUMBER_CHARS = 16
# The smallest and largest value of each int and number field, by name (E124; the JSON Schemas say the same).
RANGES: dict[str, tuple[int, int]] = {
    "year": (1990, 2100),
    "no": (1, 9999),
    "day": (1, 31),
    "within_days": (1, 3660),
    "value": (0, 10**12),
}


def _fullwidth_number(raw: str) -> bool:
    """A number written with full-width digits (and maybe ASCII ones, points and signs): E113."""
    return any(c in _FULLWIDTH for c in raw) and all(c in _NUMBER_CHARS for c in raw)


_TYPE_NAMES = {"bool": "布尔值（真/假）", "int": "整数", "float": "小数", "null": "空值", "timestamp": "日期或时间"}


def _what_yaml_reads(s: Scalar) -> str:
    import yaml

    try:
        value = yaml.safe_load(s.value)
    except Exception:  # noqa: BLE001 - any failure just means we describe the type only
        return _TYPE_NAMES.get(s.tag, s.tag)
    name = _TYPE_NAMES.get(s.tag, s.tag)
    if s.tag == "null":
        return name
    if isinstance(value, bool):
        return f"{name} {str(value).lower()}"
    return f"{name} {value!r}" if s.tag != "timestamp" else name


def convert(node: Node, struct: Struct, report: Report, where: str = "") -> Rec | None:
    """Check ``node`` against ``struct`` and return its converted value (None if unusable)."""
    if not isinstance(node, Map):
        report.add(
            "E115",
            node.pos,
            key=where or struct.name,
            expected="键值对（key: value）",
            actual=_kind_name(node),
            example=f"{struct.name}要写成若干行 “键: 值”。",
        )
        return None
    rec = Rec()
    rec.node, rec.value_nodes = node, {}
    for key, value in node.items:
        field = struct.by_name.get(key.value)
        if field is None:
            near = difflib.get_close_matches(key.value, list(struct.by_name), n=1, cutoff=0.5)
            report.add(
                "E116",
                key.pos,
                key=key.value,
                where=f"（在{struct.name}中）",
                suggestion=f"是不是“{near[0]}”？" if near else "",
                allowed="、".join(struct.by_name),
            )
            continue
        rec.value_nodes[key.value] = value
        converted = _field(value, field, report)
        if converted is _EMPTY:
            if field.required:
                report.add(
                    "E123",
                    key.pos,
                    key=key.value,
                    where=f"{struct.name}的必填项",
                    what="",
                    example=field.example or "…",
                    fix=f"：必填项空着，整个{struct.name}都不会出现在网站上",
                )
        elif converted is not None:
            rec[key.value] = converted
    for field in struct.fields:
        if (
            field.required
            and field.name not in rec
            and field.name not in rec.value_nodes
            and field.name not in node.dropped
        ):
            report.add("E117", node.pos, key=field.name, doc=field.doc, where=f"{struct.name}")
    return rec


def _kind_name(node: Node) -> str:
    if isinstance(node, Map):
        return "键值对"
    if isinstance(node, Seq):
        return "列表"
    return f"文字“{node.value[:20]}”" if node.tag == "str" else f"“{node.value[:20]}”"


def _field(node: Node, field: Field, report: Report):
    kind = field.kind
    if kind == "list":
        if isinstance(node, Scalar) and node.tag == "null":
            out = Lst()
            out.node, out.item_nodes = node, []
            return out
        if not isinstance(node, Seq):
            report.add(
                "E115",
                node.pos,
                key=field.name,
                expected="列表",
                actual=_kind_name(node),
                example=f"列表写成 {field.name}: [甲, 乙]，或每项一行、以“- ”开头。",
            )
            return None
        out = Lst()
        out.node, out.item_nodes = node, []
        for item in node.items:
            value = _field(item, field.item, report)
            if value is _EMPTY:
                report.add(
                    "E123",
                    item.pos,
                    key=field.name,
                    where="列表",
                    what="中有一项",
                    example=f"[{field.item.example or '…'}]",
                    fix="，或删去这一项",
                )
            elif value is not None:
                out.append(value)
                out.item_nodes.append(item)
        return out
    if kind == "struct":
        return convert(node, field.struct, report, field.name)
    if kind == "map":
        if not isinstance(node, Map):
            report.add(
                "E115",
                node.pos,
                key=field.name,
                expected="键值对",
                actual=_kind_name(node),
                example="每行写成 “词语: 读音”。",
            )
            return None
        out = Rec()
        out.node, out.value_nodes = node, {}
        for k, v in node.items:
            if isinstance(v, Scalar):
                out[k.value] = v.value
                out.value_nodes[k.value] = v
            else:
                report.add(
                    "E115", v.pos, key=k.value, expected="文字", actual=_kind_name(v), example="每行写成 “词语: 读音”。"
                )
        return out
    if not isinstance(node, Scalar):
        report.add(
            "E115",
            node.pos,
            key=field.name,
            expected=_expected(field),
            actual=_kind_name(node),
            example=f"例如 {field.name}: {field.example or '…'}",
        )
        return None
    return _scalar(node, field, report)


def _expected(field: Field) -> str:
    return {
        "int": "整数",
        "number": "数字",
        "date": "日期",
        "bool": "true 或 false",
        "id": "id（小写字母、数字、连字符）",
    }.get(field.kind, "文字")


class _Empty:
    """What a scalar field converts to when its value is empty (``key:``, ``key: ""``, ``- ``): absent for an optional
    field, E123 for a required one or a list item (before, the build dropped the document or unit silently)."""

    def __repr__(self) -> str:
        return "EMPTY"


_EMPTY = _Empty()


def _is_empty(node: Scalar) -> bool:
    return node.value == "" and (node.tag == "null" or (node.tag == "str" and not node.plain))


def _scalar(node: Scalar, field: Field, report: Report):
    kind = field.kind
    if node.plain and node.comment:  # `value: 5 #000`, `year: 2022 # 年度`: YAML keeps only what is before the #
        report.add("E114", node.pos, rest=node.comment[:20])
        return None
    if _is_empty(node):
        return _EMPTY
    if kind in ("int", "number"):
        raw = node.value
        if _fullwidth_number(raw):
            report.add("E113", node.pos, raw=raw, fixed=unicodedata.normalize("NFKC", raw))
            return None
        low, high = RANGES.get(field.name, (None, None))
        if len(raw) > MAX_NUMBER_CHARS and (_NUMBER if kind == "number" else _INT).fullmatch(raw):
            report.add(
                "E124",
                node.pos,
                key=field.name,
                value=raw,
                low=_figure(low),
                high=_figure(high),
                fix=f"{field.name} 的位数太多了：检查是否多打了数字。",
            )
            return None
        value = None
        if kind == "int" and node.tag in ("int", "str") and _INT.fullmatch(raw):
            value = int(raw)
        elif kind == "number" and _NUMBER.fullmatch(raw):
            value = float(raw) if "." in raw else int(raw)
        if value is None:
            report.add(
                "E115",
                node.pos,
                key=field.name,
                expected=_expected(field),
                actual=_kind_name(node),
                example=f"例如 {field.name}: {field.example or '1'}",
            )
            return None
        if (low is not None and value < low) or (high is not None and value > high):
            report.add(
                "E124",
                node.pos,
                key=field.name,
                value=raw,
                low=_figure(low),
                high=_figure(high),
                fix=_RANGE_FIX.get(field.name, f"写 {_figure(low)} 到 {_figure(high)} 之间的数。"),
            )
            return None
        return value
    if kind == "bool":
        if node.tag == "bool" and node.value in ("true", "false"):
            return node.value == "true"
        report.add(
            "E115",
            node.pos,
            key=field.name,
            expected="true 或 false",
            actual=_kind_name(node),
            example=f"写成 {field.name}: true",
        )
        return None
    if kind == "date":
        raw = node.value
        m = _DATE.fullmatch(raw)
        if not m:
            if any(c in _FULLWIDTH for c in raw):
                report.add("E113", node.pos, raw=raw, fixed=unicodedata.normalize("NFKC", raw))
            else:
                report.add("E112", node.pos, raw=raw)
            return None
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            report.add("E112", node.pos, raw=raw)
            return None
    # text-like kinds: id, line, text, choice
    if node.plain and node.tag != "str":
        report.add("E111", node.pos, raw=node.value, what=_what_yaml_reads(node))
        return None
    value = node.value
    limit = MAX_ID_CHARS if kind == "id" else MAX_VALUE_CHARS
    if len(value) > limit:
        report.add(
            "E125", node.pos, what=f"“{field.name}”的值", size=f"{len(value):,} 个字符", limit=f"{limit:,} 个字符"
        )
        return None
    if node.style in ("|", ">"):
        value = value.rstrip("\n")
    if kind == "id":
        if value != value.strip(_EDGE_SPACE) or _ZERO_WIDTH.search(value):
            report.add("E118", node.pos, key=field.name, problem=_space_problem(value))
            return None
        if not ID_RE.match(value):
            report.add("E119", node.pos, value=value)
            return None
        return value
    if kind == "choice":
        if value not in field.choices:
            report.add("E120", node.pos, key=field.name, value=value, allowed="、".join(field.choices))
            return None
        return value
    ok = True
    if value != value.strip(_EDGE_SPACE) or _ZERO_WIDTH.search(value):
        report.add("E118", node.pos, key=field.name, problem=_space_problem(value))
        ok = False
    if kind == "line" and "\n" in value:
        report.add(
            "E115", node.pos, key=field.name, expected="一行文字", actual="多行文字", example="把这个值写在一行内。"
        )
        ok = False
    if not value:  # a block scalar with nothing in it
        return _EMPTY if ok else None
    ok = _check_markup(node, value, report) and ok
    return value if ok else None


def _figure(x: float | None) -> str:
    return "" if x is None else f"{x:,.0f}" if x >= 10**6 else f"{x:g}"


_RANGE_FIX = {
    "year": "写文件所属的四位数年度，例如 year: 2025。",
    "day": "写每月的第几日（1 到 31），例如 每月25日前 → day: 25。",
    "within_days": "写天数，例如 下发之日起15日内 → within_days: 15。",
    "no": "写原文中的序号（从 1 起）。",
    "value": "写短语中的数，不能是负数，例如 不低于5000万元 → value: 5000。",
}


def _space_problem(value: str) -> str:
    if _ZERO_WIDTH.search(value):
        ch = _ZERO_WIDTH.search(value).group()
        return f"含有不可见字符 U+{ord(ch):04X}"
    edge = "开头" if value[:1] in _EDGE_SPACE else "结尾"
    return f"{edge}有{'空行' if (value[:1] if edge == '开头' else value[-1:]) == chr(10) else '空格'}"


# every pattern of _check_markup needs one of these characters; most text has none of them
_MARKUP_CHARS = re.compile(r"[<&:{#`~]")


def _check_markup(node: Scalar, value: str, report: Report) -> bool:
    if not _MARKUP_CHARS.search(value):
        return True
    for regex, code, what in (
        (_HTML, "E131", " HTML 标签或实体"),
        (_URL, "E131", "脚本或数据链接"),
        (_ATTR_LIST, "E132", "属性列表 {: }"),
        (_HEADING, "E132", "行首的标题符号 #"),
        (_FENCE, "E132", "代码块标记"),
    ):
        m = regex.search(value)
        if m:
            report.add(
                code, node.pos, what=what, snippet=value[max(0, m.start() - 5) : m.end() + 10].replace("\n", "↵")
            )
            return False
    return True
