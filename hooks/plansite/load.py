"""Load YAML data files into positioned nodes, never constructing Python objects from tags.

``yaml.compose`` gives a node tree with marks; we keep each scalar's raw text, its style
and the tag YAML 1.1 would resolve it to, so the validator can tell ``no`` (a bool)
from ``"no"`` (a string) and point at the exact line and column. Raw-text checks catch
what the parser accepts silently (tabs, full-width colons, U+3000, comments that cut a value).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import Pos, Report

_STD = "tag:yaml.org,2002:"
ALLOWED_TAGS = {_STD + t for t in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")}


# The node classes are slotted but not frozen: a frozen dataclass sets every field through
# ``object.__setattr__``, which made building the half a million nodes of a large project several
# times slower. Nothing changes a node once it is built. Positions are kept as the file and the
# 1-based line and column of the node's start, and made into a :class:`Pos` only when asked for:
# most nodes never need one, because positions are only reported for problems.


@dataclass(slots=True)
class Scalar:
    """A scalar as written: raw text, resolved YAML 1.1 tag, style (None for plain) and where it starts."""

    value: str
    tag: str
    style: str | None
    file: str
    line: int
    col: int
    comment: str = ""  # for a plain scalar: a " # …" comment that follows it on its last line

    @property
    def pos(self) -> Pos:
        """Where the scalar starts."""
        return Pos(self.file, self.line, self.col)

    @property
    def plain(self) -> bool:
        """True for an unquoted, non-block scalar."""
        return self.style is None


@dataclass(slots=True)
class Seq:
    """A YAML sequence and where it starts."""

    items: tuple["Node", ...]
    file: str
    line: int
    col: int

    @property
    def pos(self) -> Pos:
        """Where the sequence starts."""
        return Pos(self.file, self.line, self.col)


@dataclass(slots=True)
class Map:
    """A YAML mapping and where it starts; keys are scalars, in file order, duplicates removed."""

    items: tuple[tuple[Scalar, "Node"], ...]
    file: str
    line: int
    col: int
    dropped: tuple[str, ...] = ()  # keys whose values were rejected (already reported)

    @property
    def pos(self) -> Pos:
        """Where the mapping starts."""
        return Pos(self.file, self.line, self.col)

    def get(self, key: str) -> "Node | None":
        """The value node of ``key`` or None."""
        for k, v in self.items:
            if k.value == key:
                return v
        return None

    def keys(self) -> list[str]:
        """The keys in file order."""
        return [k.value for k, _ in self.items]


Node = Scalar | Seq | Map


@dataclass(frozen=True)
class Source:
    """A loaded file: its relative path, decoded text (LF line ends) and root node (None on failure)."""

    path: str
    text: str
    root: Node | None


_KEY_FULLWIDTH = re.compile(r"^(\s*(?:-\s+)?)([A-Za-z_][A-Za-z0-9_]*)\s*：")
_U3000_AFTER_COLON = re.compile(r"^\s*(?:-\s+)?[A-Za-z_][A-Za-z0-9_]*:\u3000")


def load_text(rel: str, data: bytes, report: Report) -> Source:
    """Decode and parse one file's bytes; problems go to ``report``."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        detail = ""
        try:
            data.decode("gb18030")
            detail = "（看起来是 GBK/GB18030 编码，常见于中文 Windows 的记事本或 Excel）"
        except UnicodeDecodeError:
            pass
        report.add("E101", Pos(rel, line, col), detail=detail)
        return Source(rel, "", None)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    root = None
    try:
        composed = _compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        detail = _translate(exc)
        line = mark.line + 1 if mark else 1
        raw = Report()
        _raw_checks(rel, text.split("\n"), set(), raw)
        report.extend(raw)
        # a tab, full-width colon or U+3000 on this line or the one before explains the parse error
        if not any(d.line in (line, line - 1) for d in raw.diagnostics):
            report.add("E102", Pos(rel, line, mark.column + 1 if mark else 1), detail=detail)
        return Source(rel, text, None)
    except yaml.YAMLError as exc:  # reader errors: control characters and the like
        _raw_checks(rel, text.split("\n"), set(), report)
        report.add("E102", Pos(rel, 1, 1), detail=str(exc).splitlines()[0])
        return Source(rel, text, None)
    block_lines: set[int] = set()
    lines = text.split("\n")
    if composed is not None:
        root = _convert(rel, composed, report, block_lines, lines)
    _raw_checks(rel, lines, block_lines, report)
    if root is None:
        report.add("E121", Pos(rel, 1, 1))
    return Source(rel, text, root)


# libyaml's parser, when PyYAML was built with it, composes the same nodes (values, tags, styles,
# line and column of every mark) about ten times faster than the pure-Python one; the pure-Python
# parser still reads every file libyaml rejects, so that syntax errors are reported with its messages.
_FAST_LOADER = getattr(yaml, "CSafeLoader", None)


def _compose(text: str) -> yaml.Node | None:
    """The YAML node tree of ``text``; raises the pure-Python parser's error for invalid YAML."""
    if _FAST_LOADER is not None:
        try:
            return _compose_with(_FAST_LOADER, text)
        except yaml.YAMLError:
            pass
    return _compose_with(yaml.SafeLoader, text)


def _compose_with(loader_class, text: str) -> yaml.Node | None:
    loader = loader_class(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def load_file(path: Path, root_dir: Path, report: Report) -> Source:
    """Read and parse ``path``; positions are reported relative to ``root_dir``."""
    rel = path.relative_to(root_dir).as_posix() if path.is_absolute() else path.as_posix()
    return load_text(rel, path.read_bytes(), report)


_COMMENT = re.compile(r"\s+#(.*)$")


def _pos(rel: str, mark: yaml.Mark) -> Pos:
    return Pos(rel, mark.line + 1, mark.column + 1)


# the short tag (``str``, ``map`` …) of every allowed tag; a tag missing here is reported as unsafe
_SHORT_TAGS = {tag: tag[len(_STD):] for tag in ALLOWED_TAGS}


def _convert(rel: str, root: yaml.Node, report: Report, block_lines: set[int], lines: list[str]) -> Node | None:
    """Convert the composed tree under ``root``; records the lines of block scalars in ``block_lines``.

    This runs once for every node of every file, so the per-node work is kept small: the allowed
    tags are looked up in one dict, nodes are told apart by their exact class (the composer builds
    nothing else), and a line's tail is only sliced and matched when it holds a ``#``.
    """
    seen: set[int] = set()  # an alias is the very node object its anchor made

    def convert(node: yaml.Node) -> Node | None:
        if id(node) in seen:
            report.add("E108", _pos(rel, node.start_mark))
            return None
        seen.add(id(node))
        tag = _SHORT_TAGS.get(node.tag)
        if tag is None:
            report.add("E107", _pos(rel, node.start_mark), tag=node.tag.replace(_STD, "!!"))
            return None
        start = node.start_mark
        kind = type(node)
        if kind is yaml.ScalarNode:
            style = node.style or None  # libyaml writes "" for plain, the pure-Python parser None
            comment = ""
            if style is None:
                end = node.end_mark
                if end.line < len(lines):
                    line = lines[end.line]
                    if line.find("#", end.column) >= 0:
                        m = _COMMENT.match(line, end.column)
                        comment = m.group(1).strip() if m else ""
            elif style in ("|", ">"):
                block_lines.update(range(start.line + 2, node.end_mark.line + 2))
            return Scalar(node.value, tag, style, rel, start.line + 1, start.column + 1, comment)
        if kind is yaml.SequenceNode:
            items = [convert(n) for n in node.value]
            return Seq(tuple(i for i in items if i is not None), rel, start.line + 1, start.column + 1)
        pairs: list[tuple[Scalar, Node]] = []
        dropped: list[str] = []
        first_line: dict[str, int] = {}
        for knode, vnode in node.value:
            key = convert(knode)
            value = convert(vnode)
            if type(key) is not Scalar:
                if key is not None:
                    report.add("E115", _pos(rel, knode.start_mark), key="键", expected="文字",
                               actual="列表或键值", example="键只能是一个英文单词，例如 title。")
                continue
            if key.value in first_line:
                report.add("E106", key.pos, key=key.value, first=first_line[key.value])
                continue
            first_line[key.value] = key.line
            if value is not None:
                pairs.append((key, value))
            else:
                dropped.append(key.value)
        return Map(tuple(pairs), rel, start.line + 1, start.column + 1, tuple(dropped))

    return convert(root)


def _raw_checks(rel: str, lines: list[str], block_lines: set[int], report: Report) -> None:
    for n, line in enumerate(lines, start=1):
        if "\t" in line:
            report.add("E103", Pos(rel, n, line.index("\t") + 1))
        if n in block_lines:
            continue
        if "：" not in line and "\u3000" not in line:
            continue  # the checks below need a full-width colon or an ideographic space
        stripped = line.lstrip(" ")
        if stripped.startswith("#"):
            continue
        m = _KEY_FULLWIDTH.match(line)
        if m and ": " not in line[: m.end()]:
            report.add("E104", Pos(rel, n, line.index("：", m.start(2)) + 1), key=m.group(2))
        lead = len(line) - len(line.lstrip(" \u3000"))
        if "\u3000" in line[:lead]:
            report.add("E105", Pos(rel, n, line.index("\u3000") + 1), where="的缩进中")
        elif _U3000_AFTER_COLON.match(line):
            report.add("E105", Pos(rel, n, line.index("\u3000") + 1), where="的冒号后")


_PROBLEMS = [
    ("found character '\\t' that cannot start any token", "这里有一个制表符（Tab）"),
    ("mapping values are not allowed here", "这里不能出现“: ”（值里含有冒号加空格时请给整个值加引号）"),
    ("could not find expected ':'", "找不到键后面的冒号“: ”（可能用了全角冒号“：”，或缩进不齐）"),
    ("did not find expected key", "缩进不齐，或列表项与键值混在同一层"),
    ("did not find expected '-' indicator", "列表项的缩进不齐"),
    ("found unexpected end of stream", "文件在引号或括号闭合之前就结束了"),
    ("found undefined alias", "用了未定义的别名（*）"),
    ("found character that cannot start any token", "这里的字符不能作为值的开头（如 @、` 或 %，请加引号）"),
    ("expected <block end>, but found", "缩进不齐：这一行比上一级多缩进或少缩进了"),
    ("while scanning a quoted scalar", "引号没有闭合"),
    ("found duplicate anchor", "锚点名重复"),
    ("expected ',' or ']'", "方括号 [ ] 没有闭合，或列表项之间缺少逗号（值里有“: ”时请加引号）"),
    ("expected ',' or '}'", "花括号 { } 没有闭合，或各项之间缺少逗号（值里有“: ”时请加引号）"),
    ("while parsing a block mapping", "缩进不齐，或这一行的值需要加引号"),
]


def _translate(exc: yaml.MarkedYAMLError) -> str:
    problem = (exc.problem or "") + " " + (exc.context or "")
    for needle, chinese in _PROBLEMS:
        if needle in problem:
            return chinese
    return (exc.problem or exc.context or "无法解析").strip()
