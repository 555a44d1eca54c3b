"""Load YAML data files into positioned nodes, never constructing Python objects from tags.

``yaml.compose`` gives a node tree with marks; we keep each scalar's raw text, its style
and the tag YAML 1.1 would resolve it to, so the validator can tell ``no`` (a bool)
from ``"no"`` (a string) and point at the exact line and column. Raw-text checks catch
what the parser accepts silently (tabs, full-width colons, U+3000, comments that cut a value).
"""

from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import INVISIBLE, Pos, Report, char_name

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

    items: tuple[Node, ...]
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

    items: tuple[tuple[Scalar, Node], ...]
    file: str
    line: int
    col: int
    dropped: tuple[str, ...] = ()  # keys whose values were rejected (already reported)

    @property
    def pos(self) -> Pos:
        """Where the mapping starts."""
        return Pos(self.file, self.line, self.col)

    def get(self, key: str) -> Node | None:
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


# Limits that keep every check bounded and every message clear: a data or full-text file of at most this many
# bytes (ten times the largest real one: comparing a document with its full text takes time proportional to both
# their sizes, about 3 s for a 1 MB document at worst), and collections nested at most this deep (a document is
# about 12 deep; the YAML composers recurse once per level, so a file nested tens of thousands deep crashed).
MAX_FILE_BYTES = 1024 * 1024
MAX_DEPTH = 32


def too_big(rel: str, size: int, report: Report) -> bool:
    """Report E125 when a file of ``size`` bytes is over :data:`MAX_FILE_BYTES`."""
    if size <= MAX_FILE_BYTES:
        return False
    report.add(
        "E125", Pos(rel), what="文件", size=f"{size / 1024 / 1024:.1f} MB", limit=f"{MAX_FILE_BYTES // 1024 // 1024} MB"
    )
    return True


def decode(rel: str, data: bytes, report: Report) -> str | None:
    """The UTF-8 text of a file (BOM dropped, line ends made LF); None, with E101, when it is not UTF-8."""
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
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def invisible_chars(rel: str, lines: list[str], report: Report, limit: int = 10) -> bool:
    """Report E127 at each of the first ``limit`` invisible or control characters of ``lines``; True if there was one.
    (Most lines are printable, which ``str.isprintable`` tells at C speed; only the others are searched.)"""
    found = 0
    for n, line in enumerate(lines, start=1):
        if line.isprintable():
            continue
        for m in INVISIBLE.finditer(line):
            code, name = char_name(m.group())
            report.add("E127", Pos(rel, n, m.start() + 1), char=code, name=name)
            found += 1
            if found == limit:
                return True
    return bool(found)


def load_text(rel: str, data: bytes, report: Report) -> Source:
    """Decode and parse one file's bytes; problems go to ``report``."""
    if too_big(rel, len(data), report):
        return Source(rel, "", None)
    text = decode(rel, data, report)
    if text is None:
        return Source(rel, "", None)
    lines = text.split("\n")
    if invisible_chars(rel, lines, report):
        return Source(rel, text, None)  # the parser would stop at it with an English message, or count lines apart
    block_lines: set[int] = set()
    built = Report()
    try:
        root = _build(rel, text, lines, built, block_lines)
    except _TooDeep as exc:
        report.add("E126", Pos(rel, exc.line, exc.col), limit=MAX_DEPTH)
        return Source(rel, text, None)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        detail = _translate(exc)
        line = mark.line + 1 if mark else 1
        raw = Report()
        _raw_checks(rel, lines, set(), raw)
        report.extend(raw)
        # a tab, full-width colon or U+3000 on this line or the one before explains the parse error
        if not any(d.line in (line, line - 1) for d in raw.diagnostics):
            report.add("E102", Pos(rel, line, mark.column + 1 if mark else 1), detail=detail)
        return Source(rel, text, None)
    except yaml.YAMLError:  # a reader error the check for invisible characters did not foresee
        _raw_checks(rel, lines, set(), report)
        report.add("E102", Pos(rel, 1, 1), detail="文件中有 YAML 不允许的字符")
        return Source(rel, text, None)
    report.extend(built)
    _raw_checks(rel, lines, block_lines, report)
    if root is None:
        report.add("E121", Pos(rel, 1, 1))
    return Source(rel, text, root)


# libyaml's parser, when PyYAML was built with it, reads the same events (values, tags, styles, line and column of
# every mark) several times faster than the pure-Python one; the pure-Python parser still reads every file libyaml
# rejects, so that syntax errors are reported with its messages.
_FAST_LOADER = getattr(yaml, "CSafeLoader", None)


class _TooDeep(Exception):
    def __init__(self, mark: yaml.Mark) -> None:
        super().__init__("too deep")
        self.line, self.col = mark.line + 1, mark.column + 1


def _build(rel: str, text: str, lines: list[str], report: Report, block_lines: set[int]) -> Node | None:
    """The node tree of ``text``; raises the pure-Python parser's error for invalid YAML."""
    if _FAST_LOADER is not None:
        fast = Report()
        fast_lines: set[int] = set()
        try:
            root = _build_with(_FAST_LOADER, rel, text, lines, fast, fast_lines)
        except yaml.YAMLError:
            pass
        else:
            report.extend(fast)
            block_lines.update(fast_lines)
            return root
    return _build_with(yaml.SafeLoader, rel, text, lines, report, block_lines)


def _build_with(
    loader_class, rel: str, text: str, lines: list[str], report: Report, block_lines: set[int]
) -> Node | None:
    loader = loader_class(text)
    try:
        return _nodes(loader, rel, lines, report, block_lines)
    finally:
        loader.dispose()


def value_pos(node: Node, index: int, lines: list[str]) -> Pos:
    """Where character ``index`` of a scalar's value is in its file (``lines``): exact for a plain value on one line
    and for a literal block (``|``, ``|-``) as editors write text; the value's start for any other scalar."""
    if not isinstance(node, Scalar) or node.style not in (None, "|"):
        return node.pos
    before = node.value[:index]
    if node.style is None:
        return Pos(node.file, node.line, node.col + index) if "\n" not in before else node.pos
    n = node.line + before.count("\n")  # a literal block's text starts on the line after its indicator
    content = [ln for ln in lines[node.line : node.line + node.value.count("\n") + 1] if ln.strip()]
    indent = len(content[0]) - len(content[0].lstrip(" ")) if content else 0
    return Pos(node.file, n + 1, indent + len(before) - (before.rfind("\n") + 1) + 1)


def relative(path: Path, root_dir: Path) -> str:
    """``path`` relative to the project, as positions give it."""
    return path.relative_to(root_dir).as_posix() if path.is_absolute() else path.as_posix()


def read_data(path: Path, root_dir: Path, report: Report, missing_ok: bool = False) -> bytes | None:
    """The bytes of the data file ``path``, or None with the reason in ``report``: a symbolic link (E122: never
    followed, so nothing outside the repository is read), missing (E110, unless ``missing_ok``), a directory or
    anything but a regular file, unreadable (E110), or over :data:`MAX_FILE_BYTES` (E125)."""
    rel = relative(path, root_dir)
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        if not missing_ok:
            report.add("E110", Pos(rel), path=rel, problem="不存在", fix=_MISSING_FIX)
        return None
    except OSError as exc:
        report.add("E110", Pos(rel), path=rel, problem=f"无法读取（{_errno(exc)}）", fix=_UNREADABLE_FIX)
        return None
    if stat.S_ISLNK(st.st_mode):
        report.add("E122", Pos(rel), path=rel)
        return None
    if stat.S_ISDIR(st.st_mode):
        report.add("E110", Pos(rel), path=rel, problem="是一个目录，不是文件", fix=_MISSING_FIX)
        return None
    if not stat.S_ISREG(st.st_mode):
        report.add("E110", Pos(rel), path=rel, problem="不是普通文件", fix=_MISSING_FIX)
        return None
    if too_big(rel, st.st_size, report):
        return None
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        report.add("E110", Pos(rel), path=rel, problem=f"无法读取（{_errno(exc)}）", fix=_UNREADABLE_FIX)
        return None
    return None if too_big(rel, len(data), report) else data


_MISSING_FIX = "恢复这个文件（git checkout -- <路径>），或按 content/editing.md 新建它。"
_UNREADABLE_FIX = "检查这个文件的权限（要可读），或从仓库中重新取出它。"


def _errno(exc: OSError) -> str:
    return errno.errorcode.get(exc.errno or 0, "系统错误")


def load_file(path: Path, root_dir: Path, report: Report, missing_ok: bool = False) -> Source:
    """Read (:func:`read_data`) and parse ``path``; positions are reported relative to ``root_dir``."""
    data = read_data(path, root_dir, report, missing_ok)
    rel = relative(path, root_dir)
    return Source(rel, "", None) if data is None else load_text(rel, data, report)


_COMMENT = re.compile(r"\s+#(.*)$")


# the short tag (``str``, ``map`` …) of every tag the resolver may give a value; another tag is reported as unsafe
_SHORT_TAGS = {tag: tag[len(_STD) :] for tag in ALLOWED_TAGS}
_STR_TAG, _SEQ_TAG, _MAP_TAG = _STD + "str", _STD + "seq", _STD + "map"


_SCALAR, _ALIAS = yaml.ScalarEvent, yaml.AliasEvent
_SEQ_START, _MAP_START = yaml.SequenceStartEvent, yaml.MappingStartEvent
_ENDS = (yaml.SequenceEndEvent, yaml.MappingEndEvent)
_NO_KEY = object()


class _Open:
    """A sequence or mapping whose events are being read: its start, its items so far, and for a mapping the
    key waiting for its value, the first line of every key and the keys whose values were rejected."""

    __slots__ = ("bad", "col", "dropped", "first_line", "is_map", "items", "key", "line", "rel")

    def __init__(self, is_map: bool, rel: str, mark: yaml.Mark, bad: bool) -> None:
        self.is_map, self.rel, self.line, self.col, self.bad = is_map, rel, mark.line + 1, mark.column + 1, bad
        self.items: list = []
        self.key = _NO_KEY
        self.first_line: dict[str, int] = {}
        self.dropped: list[str] = []


def _nodes(loader, rel: str, lines: list[str], report: Report, block_lines: set[int]) -> Node | None:
    """Build the node tree from the parser's events, without recursion (a deeply nested file cannot overflow the
    stack: past MAX_DEPTH it raises :class:`_TooDeep`), as ``yaml.compose`` would, but:

    - an alias (``*a``) is E108 and an explicit tag other than ``!!str``, ``!!seq``, ``!!map`` is E107 (``!!null ''``
      would erase a value, ``!!int "1"`` change its type), and neither is kept;
    - a double-quoted value whose escapes make an invisible or control character (``"\\u2028"``) is E127;
    - duplicate keys are E106 (the first is kept); a non-scalar key is E115.

    This runs for every event of every file, so the per-event work is kept small: events are told apart by their
    exact class, the allowed tags are looked up in one dict, and a line's tail is only matched when it holds a ``#``.
    """
    get, resolve = loader.get_event, loader.resolve
    # The resolver's implicit types (null, bool, int, float, timestamp…) by a plain value's first character: a value
    # starting with any other character (most of them, Chinese text) is a string without asking it.
    typed = set(loader.yaml_implicit_resolvers)
    if None in typed:
        typed = None  # a resolver for any first character: ask it for every plain value
    n_lines = len(lines)
    get()  # stream start
    event = get()
    if type(event) is yaml.StreamEndEvent:
        return None
    root = None
    stack: list[_Open] = []
    while True:
        event = get()
        kind = type(event)
        if kind is _SCALAR:
            value, tag, start = event.value, event.tag, event.start_mark
            if tag is not None and tag != "!":
                node = _tagged_scalar(event, rel, report)
            else:
                if event.implicit[0] and (typed is None or value[:1] in typed):
                    short = _SHORT_TAGS.get(resolve(yaml.ScalarNode, value, event.implicit))
                else:
                    short = "str"
                style = event.style or None  # libyaml writes "" for plain, the pure-Python parser None
                comment = ""
                if style is None:
                    end = event.end_mark
                    if end.line < n_lines:
                        line = lines[end.line]
                        if line.find("#", end.column) >= 0:
                            m = _COMMENT.match(line, end.column)
                            comment = m.group(1).strip() if m else ""
                elif style == "|" or style == ">":
                    block_lines.update(range(start.line + 2, event.end_mark.line + 2))
                elif style == '"' and not value.isprintable() and INVISIBLE.search(value):
                    _invisible_value(value, start, rel, report)  # made by an escape such as "\\x1b" or "\\ud800"
                    short = None
                node = (
                    None
                    if short is None
                    else Scalar(value, short, style, rel, start.line + 1, start.column + 1, comment)
                )
        elif kind is _MAP_START or kind is _SEQ_START:
            is_map = kind is _MAP_START
            bad = event.tag is not None and _bad_collection_tag(event, is_map, rel, report)
            stack.append(_Open(is_map, rel, event.start_mark, bad))
            if len(stack) > MAX_DEPTH:
                raise _TooDeep(event.start_mark)
            continue
        elif kind in _ENDS:
            node = _close(stack.pop())
        elif kind is _ALIAS:
            report.add("E108", Pos(rel, event.start_mark.line + 1, event.start_mark.column + 1))
            node = None
        else:  # document end
            break
        if not stack:
            root = node
            continue
        parent = stack[-1]
        if not parent.is_map:
            if node is not None:
                parent.items.append(node)
        elif parent.key is _NO_KEY:
            parent.key = node
        else:
            _pair(parent, parent.key, node, report)
            parent.key = _NO_KEY
    following = get()
    if type(following) is not yaml.StreamEndEvent:
        raise yaml.composer.ComposerError(
            "expected a single document in the stream", None, "but found another document", following.start_mark
        )
    return root


def _tagged_scalar(event, rel: str, report: Report) -> Scalar | None:
    """A scalar with an explicit tag: ``!!str`` is a string as written (quoted or not); any other tag is E107."""
    start = event.start_mark
    if event.tag != _STR_TAG:
        report.add("E107", Pos(rel, start.line + 1, start.column + 1), tag=event.tag.replace(_STD, "!!"))
        return None
    if event.style == '"' and INVISIBLE.search(event.value):
        _invisible_value(event.value, start, rel, report)
        return None
    return Scalar(event.value, "str", event.style or None, rel, start.line + 1, start.column + 1)


def _invisible_value(value: str, start: yaml.Mark, rel: str, report: Report) -> None:
    code, name = char_name(INVISIBLE.search(value).group())
    report.add("E127", Pos(rel, start.line + 1, start.column + 1), char=code, name=name)


def _bad_collection_tag(event, is_map: bool, rel: str, report: Report) -> bool:
    tag = event.tag
    if tag == "!" or tag == (_MAP_TAG if is_map else _SEQ_TAG):
        return False
    report.add("E107", Pos(rel, event.start_mark.line + 1, event.start_mark.column + 1), tag=tag.replace(_STD, "!!"))
    return True


def _close(frame: _Open) -> Node | None:
    if frame.bad:
        return None
    if frame.is_map:
        return Map(tuple(frame.items), frame.rel, frame.line, frame.col, tuple(frame.dropped))
    return Seq(tuple(frame.items), frame.rel, frame.line, frame.col)


def _pair(frame: _Open, key, value, report: Report) -> None:
    if type(key) is not Scalar:
        if key is not None:
            report.add(
                "E115",
                key.pos,
                key="键",
                expected="文字",
                actual="列表或键值",
                example="键只能是一个英文单词，例如 title。",
            )
        return
    if key.value in frame.first_line:
        report.add("E106", key.pos, key=key.value, first=frame.first_line[key.value])
        return
    frame.first_line[key.value] = key.line
    if value is not None:
        frame.items.append((key, value))
    else:
        frame.dropped.append(key.value)


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


# PyYAML's messages (problem, then context), in Chinese; the first that matches wins. A message not listed here
# is never shown in English: it becomes the generic one at the end.
_PROBLEMS = [
    ("found character '\\t' that cannot start any token", "这里有一个制表符（Tab）"),
    ("mapping values are not allowed here", "这里不能出现“: ”（值里含有冒号加空格时请给整个值加引号）"),
    ("could not find expected ':'", "找不到键后面的冒号“: ”（可能用了全角冒号“：”，或缩进不齐）"),
    ("did not find expected key", "缩进不齐，或列表项与键值混在同一层"),
    ("did not find expected '-' indicator", "列表项的缩进不齐"),
    ("found unexpected end of stream", "文件在引号或括号闭合之前就结束了"),
    ("found undefined alias", "用了未定义的别名（*）"),
    ("found character", "这里的字符不能作为值的开头（如 @、` 或 %，请加引号）"),
    ("expected <block end>, but found", "缩进不齐：这一行比上一级多缩进或少缩进了"),
    ("found duplicate anchor", "锚点名重复"),
    ("expected ',' or ']'", "方括号 [ ] 没有闭合，或列表项之间缺少逗号（值里有“: ”时请加引号）"),
    ("expected ',' or '}'", "花括号 { } 没有闭合，或各项之间缺少逗号（值里有“: ”时请加引号）"),
    ("but found another document", "文件中有第二份 YAML 文档（单独一行的 --- 或 ...）：一个文件只能写一份"),
    ("expected '<document start>'", "一份 YAML 文档结束（...）之后还有内容：删去单独一行的 ... 或它后面的内容"),
    ("found unexpected document separator", "引号中的文字里有单独一行的 --- 或 ...：给这一行换个写法或整体加引号"),
    ("sequence entries are not allowed here", "这里不能开始列表项“- ”（检查缩进，或给含“- ”的值加引号）"),
    ("mapping keys are not allowed here", "这里不能出现“? ”（值以问号加空格开头时请加引号）"),
    ("invalid indentation or unclosed", "缩进不对，或方括号、花括号没有闭合"),
    ("expected the node content", "这里缺少值（检查多余的逗号、冒号，或未闭合的括号）"),
    (
        "found unknown escape character",
        "双引号中的反斜杠“\\”后面跟了不认识的字符（要写反斜杠本身请写成 \\\\，或改用单引号）",
    ),
    ("expected escape sequence", "双引号中的 \\x、\\u 或 \\U 后面的十六进制数字不完整"),
    ("expected a comment or a line break", "引号闭合之后、或块文本标记 | > 之后还有多余的内容"),
    ("expected chomping or indentation indicators", "块文本标记 | 或 > 后面只能跟 +、- 或一个数字"),
    ("expected indentation indicator in the range 1-9", "块文本的缩进数字只能是 1 到 9"),
    ("expected alphabetic or numeric character", "锚点（&）、别名（*）或标签（!）的名字里有不允许的字符"),
    ("found undefined tag handle", "用了未定义的标签（!）"),
    ("expected URI", "标签（!）的写法不对"),
    ("expected '>'", "标签（!<…>）没有闭合"),
    ("expected '!'", "标签（!）的写法不对"),
    ("expected ' '", "标签（!）或指令（%）后面要有一个空格"),
    ("found non-specific tag", "这里不能用单独的“!”标签"),
    ("while scanning a directive", "以 % 开头的行是 YAML 指令，数据文件中不能用（值以 % 开头时请加引号）"),
    ("found incompatible YAML document", "YAML 版本指令不对（删去以 %YAML 开头的行）"),
    ("found duplicate YAML directive", "YAML 指令重复（删去以 % 开头的行）"),
    ("duplicate tag handle", "标签指令重复（删去以 % 开头的行）"),
    ("expected a digit", "以 % 开头的 YAML 指令写法不对（删去这一行）"),
    ("while scanning a simple key", "找不到键后面的冒号“: ”（一个键不能跨行，也不能超过 1024 个字符）"),
    ("while scanning a quoted scalar", "引号没有闭合"),
    ("while scanning a double-quoted scalar", "双引号没有闭合"),
    ("while scanning a block scalar", "块文本（| 或 >）的写法不对"),
    ("while parsing a block mapping", "缩进不齐，或这一行的值需要加引号"),
    ("while parsing a block collection", "列表项的缩进不齐"),
    ("while parsing a flow sequence", "方括号 [ ] 中的写法不对"),
    ("while parsing a flow mapping", "花括号 { } 中的写法不对"),
]
_GENERIC = "这里的写法不符合 YAML 语法（检查这一行和上一行的缩进、冒号、引号和括号）"


def _translate(exc: yaml.MarkedYAMLError) -> str:
    """PyYAML's error in Chinese: never its English text (E102's ``detail``)."""
    for text in (exc.problem or "", exc.context or ""):
        for needle, chinese in _PROBLEMS:
            if needle in text:
                return chinese
    return _GENERIC
