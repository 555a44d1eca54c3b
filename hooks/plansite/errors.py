"""Diagnostics for editors: every rule has a stable code, a Chinese title and a hint.

A :class:`Report` collects all diagnostics of a run; callers decide whether to fail.
Messages are formatted late, for humans or as GitHub Actions annotations.
"""

from __future__ import annotations

import difflib
import os
import re
import unicodedata
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Rule:
    """One validation rule: its stable code, a short Chinese title, a message template and a fix."""

    code: str
    name: str
    title: str
    message: str
    hint: str


def _rules(*rules: Rule) -> dict[str, Rule]:
    return {r.code: r for r in rules}


# Codes are stable: never renumber, only add. content/editing.md documents every code (its error table).
RULES = _rules(
    Rule(
        "E101",
        "encoding",
        "文件不是 UTF-8 编码",
        "文件不是 UTF-8 编码{detail}。",
        "请用 UTF-8 编码重新保存此文件（VS Code：点击右下角的编码 →“通过编码保存”→ UTF-8）。",
    ),
    Rule(
        "E102",
        "yaml-syntax",
        "YAML 语法错误",
        "YAML 语法错误：{detail}。",
        "检查这一行及上一行的缩进、冒号和引号；冒号用半角“: ”，冒号后要有一个空格。",
    ),
    Rule(
        "E103",
        "tab",
        "使用了制表符",
        "这一行含有制表符（Tab）。",
        "YAML 不允许用 Tab 缩进：请把 Tab 换成空格（每级两个空格）。",
    ),
    Rule(
        "E104",
        "fullwidth-colon",
        "键后用了全角冒号",
        "键“{key}”后面用了全角冒号“：”。",
        "键和值之间要用半角冒号加空格，例如 “{key}: 值”。",
    ),
    Rule(
        "E105",
        "ideographic-space",
        "使用了全角空格",
        "这一行{where}含有全角空格（U+3000）。",
        "YAML 只认半角空格：请把全角空格换成半角空格，或删掉它。",
    ),
    Rule(
        "E106",
        "duplicate-key",
        "重复的键",
        "键“{key}”在同一层出现了两次（第一次在第 {first} 行）。",
        "删去其中一个；YAML 只会保留最后一个值，前面的内容会悄悄丢失。",
    ),
    Rule(
        "E107",
        "unsafe-tag",
        "不允许的 YAML 标签",
        "不允许使用 YAML 标签“{tag}”。",
        "数据文件只能包含文字、数字、列表和键值；删去以 ! 开头的标签。",
    ),
    Rule("E108", "alias", "不支持锚点和别名", "不支持 YAML 锚点（&）和别名（*）。", "把被引用的内容直接写出来。"),
    Rule(
        "E111",
        "implicit-type",
        "值会被读成非文字",
        "“{raw}”在 YAML 中会被读成{what}，而不是文字。",
        '给这个值加上引号："{raw}"。',
    ),
    Rule(
        "E112",
        "bad-date",
        "日期无效",
        "“{raw}”不是有效的日期。",
        "日期写成 YYYY-MM-DD，例如 2025-06-13，并确认这一天存在。",
    ),
    Rule(
        "E113", "fullwidth-digit", "数字用了全角字符", "“{raw}”中含有全角数字或符号。", "改用半角数字，例如 {fixed}。"
    ),
    Rule(
        "E114",
        "comment-cut",
        "值被 # 截断",
        "这个值在“ #”处被截断了：YAML 把“#{rest}”当成了注释。",
        "给整个值加上引号，或改用块文本（|-）。",
    ),
    Rule("E115", "wrong-type", "类型不对", "“{key}”应该是{expected}，这里是{actual}。", "{example}"),
    Rule("E116", "unknown-key", "未知的键", "未知的键“{key}”{where}。", "{suggestion}允许的键：{allowed}。"),
    Rule("E117", "missing-key", "缺少必填项", "{where}缺少必填项“{key}”（{doc}）。", "加上一行 “{key}: …”。"),
    Rule(
        "E118",
        "bad-space",
        "多余或不可见的空白",
        "“{key}”的值{problem}。",
        "删去值开头、结尾的空格（包括全角空格、不换行空格）和不可见字符（零宽空格等）。",
    ),
    Rule(
        "E119",
        "bad-id",
        "id 格式不对",
        "id“{value}”格式不对：只能用小写字母、数字和连字符“-”。",
        "用拼音生成 id，例如运行 .venv/bin/python -m plansite slug 加强组织领导（得到 jiaqiangzuzhilingdao）。",
    ),
    Rule("E120", "bad-choice", "不在可选范围内", "“{key}”的值“{value}”不在可选范围内。", "可选值：{allowed}。"),
    Rule(
        "E121",
        "empty-file",
        "文件是空的",
        "文件是空的，或只有注释。",
        "参照 content/editing.md 中的示例填写，或按编辑指南“新增一份文件”一节用 plansite new 生成模板。",
    ),
    Rule(
        "E131",
        "unsafe-markup",
        "文本中含有 HTML 或脚本",
        "文本中含有{what}：“{snippet}”。",
        "数据中只写纯文字：删去 HTML 标签、javascript:/data: 链接；原文中的尖括号请用书名号《》或全角符号＜＞。",
    ),
    Rule(
        "E132",
        "markdown-syntax",
        "文本中含有 Markdown 控制语法",
        "文本中含有 Markdown 控制语法{what}：“{snippet}”。",
        "数据中只写纯文字：删去行首的 #、{{: …}} 等标记。",
    ),
    Rule(
        "E141",
        "duplicate-id",
        "id 重复",
        "{what} id“{value}”重复（另一处：{other}）。",
        "每个 id 必须唯一：给其中一个换一个 id（例如加上 -2）。",
    ),
    Rule(
        "E142",
        "unknown-unit",
        "未登记的单位",
        "单位“{value}”在{scope}的单位名录中找不到。",
        "{suggestion}新单位请在 data/units/ 的名录中登记（写明全称、简称 aliases 和类别）。",
    ),
    Rule(
        "E143",
        "alias-conflict",
        "简称被两个单位占用",
        "名称“{value}”同时属于单位 {first} 和 {second}。",
        "同一区域内一个名称只能指一个单位：删去其中一个别名。",
    ),
    Rule(
        "E144",
        "unknown-theme",
        "未知的主题",
        "主题“{value}”不存在。",
        "可选主题：{allowed}。新主题请在 data/themes.yml 中添加。",
    ),
    Rule(
        "E145",
        "unknown-region",
        "未知的对口地区",
        "对口地区“{value}”不在地区名录中。",
        "{suggestion}新地区请在 data/regions.yml 中按 省 › 州/市 › 县/区 添加。",
    ),
    Rule(
        "E146",
        "unknown-point",
        "任务对应的工作要点不存在",
        "任务对应的工作要点“{value}”在本文件中不存在。",
        "{suggestion}“point”要写本文件中某个工作要点的 id。",
    ),
    Rule(
        "E147",
        "phrase-not-in-text",
        "短语不在原文中",
        "{what}“{value}”没有出现在{where}的原文中。",
        "“phrase”必须逐字摘自原文（可从原文中复制）。",
    ),
    Rule(
        "E148",
        "unit-not-in-units-text",
        "单位不在原文单位行中",
        "单位“{value}”没有出现在原文单位行“{units_text}”中。",
        "lead / responsible 中的单位名称要逐字摘自 units_text。",
    ),
    Rule(
        "E149",
        "unknown-ref",
        "引用的条目不存在",
        "{what}“{value}”不存在。",
        "{suggestion}检查拼写：区域 id 见 data/areas.yml，单位 id 见 data/units/。",
    ),
    Rule(
        "E150",
        "deadline-shape",
        "时限格式不对",
        "时限“{value}”要写且只写 due、repeat、within_days 中的一项（现在：{found}）。",
        "一次性日期写 due: 2022-07-20；周期写 repeat: monthly；相对时限写 within_days: 15。",
    ),
    Rule(
        "E151",
        "filename",
        "文件名与 id 不符",
        "文件名“{name}”与 id“{value}”不一致。",
        "把文件改名为 {value}.yml（网址由 id 决定，id 一经发布不再修改）。",
    ),
    Rule(
        "E152",
        "not-in-fulltext",
        "文字与原文全文不符",
        "{what}与原文全文（{fulltext}）不符：{detail}。",
        "{entry}要逐字摘自原文全文；如果是全文有误，先对照原件文字（{source}）改正全文。",
    ),
    Rule(
        "E153",
        "fulltext-missing",
        "缺少原文全文",
        "没有找到原文全文文件 {path}。",
        "把清理后的原文全文保存为 {path}（UTF-8，每段一行）。",
    ),
    Rule(
        "E154",
        "bad-parent",
        "上级单位不存在",
        "上级单位“{value}”不存在。",
        "{suggestion}parent 要写 data/units/ 中已登记单位的 id。",
    ),
)


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One finding: where (file, 1-based line and column), which rule, and the filled message."""

    file: str
    line: int
    col: int
    code: str
    message: str
    hint: str
    severity: str = "error"

    def human(self) -> str:
        """``file:line:col: error E101 message`` plus an indented hint line."""
        return f"{self.file}:{self.line}:{self.col}: {self.severity} {self.code} {self.message}\n    提示：{self.hint}"

    def github(self) -> str:
        """A GitHub Actions workflow command (escaped as the Actions toolkit does)."""
        props = {
            "file": self.file,
            "line": str(self.line),
            "col": str(self.col),
            "title": f"{self.code} {RULES[self.code].title}",
        }
        prop = ",".join(f"{k}={_escape_property(v)}" for k, v in props.items())
        return f"::{self.severity} {prop}::{_escape_data(self.message + ' 提示：' + self.hint)}"


def _escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(s: str) -> str:
    return _escape_data(s).replace(":", "%3A").replace(",", "%2C")


@dataclass
class Report:
    """Collects diagnostics; ``ok`` when there is no error."""

    diagnostics: list[Diagnostic] = field(default_factory=list)

    def add(self, code: str, pos: Pos, severity: str = "error", **fields: object) -> None:
        """Record rule ``code`` at ``pos``, filling its message and hint templates with ``fields`` (text from the data is
        cut to :data:`FIELD_CHARS` characters and its invisible characters are written as ``U+XXXX``)."""
        rule = RULES[code]
        safe = _Fill(
            {
                k: shown(v, FIELD_CHARS if k in _DATA_FIELDS else OTHER_FIELD_CHARS) if isinstance(v, str) else v
                for k, v in fields.items()
            }
        )
        self.diagnostics.append(
            Diagnostic(
                pos.file, pos.line, pos.col, code, rule.message.format_map(safe), rule.hint.format_map(safe), severity
            )
        )

    def extend(self, other: Report) -> None:
        """Add all diagnostics of ``other``."""
        self.diagnostics.extend(other.diagnostics)

    @property
    def errors(self) -> list[Diagnostic]:
        """Diagnostics of severity error, sorted by position."""
        return sorted(d for d in self.diagnostics if d.severity == "error")

    @property
    def ok(self) -> bool:
        """True when no error was recorded."""
        return not self.errors

    def format(self, style: str = "human") -> str:
        """All diagnostics, sorted, as human text or GitHub annotations, with a closing count line."""
        diags = sorted(set(self.diagnostics))
        if style == "github":
            lines = [d.github() for d in diags]
        else:
            lines = [d.human() for d in diags]
        n_err = sum(d.severity == "error" for d in diags)
        n_warn = len(diags) - n_err
        lines.append(f"共 {n_err} 个错误，{n_warn} 个警告。" if diags else "数据检查通过：没有发现问题。")
        return "\n".join(lines)

    def step_summary(self) -> str:
        """A Markdown table of all diagnostics for ``$GITHUB_STEP_SUMMARY`` (annotations are capped per step)."""
        rows = ["## 数据检查", "", f"{len(self.errors)} 个错误。", ""]
        if self.diagnostics:
            rows += ["| 位置 | 代码 | 问题 | 如何修改 |", "| --- | --- | --- | --- |"]
            for d in sorted(set(self.diagnostics)):
                cells = [f"`{d.file}:{d.line}:{d.col}`", d.code, d.message, d.hint]
                rows.append("| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |")
        return "\n".join(rows) + "\n"


# Characters no data file may hold (E127): control characters but Tab and line feed, the line and paragraph
# separators YAML reads as line breaks (they would shift every later line number), bidirectional controls
# (they reorder what an editor and a reviewer see), invisible format characters, lone surrogates, noncharacters
# and the invisible tag characters. Zero-width spaces and the soft hyphen are E118 (in a value).
INVISIBLE_CLASS = (
    "\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u180e\u200e\u200f\u2028-\u202e\u2061-\u2064"
    "\u2066-\u206f\ud800-\udfff\ufdd0-\ufdef\ufff9-\ufffb\ufffe\uffff\U000e0000-\U000e007f"
    + "".join(chr(plane << 16 | 0xFFFE) + chr(plane << 16 | 0xFFFF) for plane in range(1, 17))
)
INVISIBLE = re.compile(f"[{INVISIBLE_CLASS}]")
_SHOWN = re.compile(f"[{INVISIBLE_CLASS}\u200b-\u200d\u2060\ufeff\u00ad\r\n\t]")
FIELD_CHARS = 100  # text from the data in a message: at most this many characters
OTHER_FIELD_CHARS = 2000  # any other part of a message (lists of allowed values, suggestions)


def char_name(ch: str) -> tuple[str, str]:
    """``U+2028`` and what kind of invisible character it is, in Chinese."""
    code = ord(ch)
    if code < 0x20 or 0x7F <= code <= 0x9F:
        kind = "控制字符"
    elif code in (0x2028, 0x2029):
        kind = "行分隔符" if code == 0x2028 else "段分隔符"
    elif 0xD800 <= code <= 0xDFFF:
        kind = "单独的代理码位，不是字符"
    elif unicodedata.bidirectional(ch) in ("LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI") or code in (
        0x061C,
        0x200E,
        0x200F,
    ):
        kind = "文字方向控制符，会改变文字的显示顺序"
    elif unicodedata.category(ch) == "Cn":
        kind = "非字符"
    else:
        kind = "不可见的格式字符"
    return f"U+{code:04X}", kind


# message fields that hold text from the data (cut to FIELD_CHARS); the others are the program's own words
_DATA_FIELDS = {
    "value",
    "raw",
    "fixed",
    "key",
    "snippet",
    "rest",
    "phrase",
    "reading",
    "units_text",
    "tag",
    "written",
    "source",
    "path",
    "name",
}


def shown(text: str, limit: int | None = FIELD_CHARS) -> str:
    """Text as a message may show it: invisible characters as ``<U+XXXX>``, at most ``limit`` characters."""
    if limit is not None and len(text) > limit:
        text = text[:limit] + "…"
    if _SHOWN.search(text):
        text = _SHOWN.sub(lambda m: "↵" if m.group() == "\n" else f"<U+{ord(m.group()):04X}>", text)
    return text


class _Fill(dict):
    def __missing__(self, key: str) -> str:
        return ""


@dataclass(frozen=True, order=True)
class Pos:
    """A position in a data file: path relative to the project, 1-based line and column."""

    file: str
    line: int = 1
    col: int = 1


def write_step_summary(report: Report) -> None:
    """Append the report to the GitHub step summary file when running in Actions."""
    path = os.environ.get("GITHUB_STEP_SUMMARY")
    if path:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(report.step_summary())


RULES.update(
    _rules(
        Rule(
            "E155",
            "region-alias-conflict",
            "地区名称重复",
            "地区名称“{value}”同时属于 {first} 和 {second}。",
            "一个名称只能指一个地区：删去其中一个别名，或写全称。",
        ),
        Rule(
            "E157",
            "bad-redirect",
            "跳转写法不对",
            "跳转“{value}”{problem}。",
            "网址相对于网站根目录，以 / 结尾，如 units/minhang-rensheju/；锚点跳转写成 documents/<id>/#<旧锚点>，目标须在同一页面。",
        ),
        Rule(
            "E158",
            "covers-not-collective",
            "只有统称才写 covers",
            "单位“{value}”的类别是“{kind}”，不是统称，不能写 covers。",
            "只有类别为“{allowed}”的单位才写 covers（说明这个统称包括哪些单位）：删去 covers，或改正类别。",
        ),
        Rule(
            "E159",
            "covers-bad-member",
            "统称的成员不对",
            "统称“{name}”的成员“{value}”不是同一区域、同一上级单位中已登记的单位。",
            "{suggestion}members 写同一名录范围内具体单位的 id（不能是另一个统称）。",
        ),
        Rule(
            "E160",
            "restated-target-unlinked",
            "任务重述了工作要点的指标却没有注明",
            "任务的指标“{value}”与所分解的{label}的指标“{candidates}”数值、单位相同。",
            "如果是同一项指标，加一行 restates: 工作要点中那个指标的 phrase（合计时只计一次）；"
            "如果确实是另一项指标，加一行 distinct: true。",
        ),
        Rule(
            "E161",
            "rate-additive",
            "比率不能相加",
            "指标“{value}”是比率（百分比、率、比例、份额），不能标为可相加（additive）。",
            "删去 additive: true：比率与其他指标相加没有意义，网站只逐条列出。",
        ),
        Rule(
            "E162",
            "per-additive",
            "按每个计的指标不能相加",
            "指标“{value}”按“{per}”计，不能标为可相加（additive）。",
            "删去 additive: true：“每个……”的指标相加会把每个单位的数字当成总数。",
        ),
        Rule(
            "E163",
            "bad-restates",
            "重述的指标不对",
            "restates“{value}”不对：{problem}。",
            "restates 写所分解的工作要点中那个指标的 phrase（逐字复制），两处的数值和单位须相同。",
        ),
        Rule(
            "E164",
            "counting-rule",
            "工作要点和条目放错了位置",
            "“{section}”{problem}，其中的条目不应写在 {key} 下。",
            "按工作要点的计数规则，这里的条目写在 {other} 下（{what}）；规则见编辑指南，判断用的词语见 data/vocab.yml 的 item_parts。",
        ),
        Rule(
            "E165",
            "bad-source-url",
            "来源网址不对",
            "来源网址“{value}”不是以 http:// 或 https:// 开头的网页地址。",
            "source_url 写官方发布这份文件的网页地址，如 https://www.shanghai.gov.cn/…（不能有空格和引号）；没有就删去这一行。",
        ),
        Rule(
            "E156",
            "fulltext-uncovered",
            "全文中有内容没有录入",
            "原文全文中的这段文字没有录入数据：“{snippet}”；它{place}。",
            "把这段文字逐字录入到它在原文中的位置（那一条的正文、单位行，或紧接着的段落、工作要点、条目、任务），"
            "否则网页上会缺少这段原文。",
        ),
    )
)

# Issue 20: nothing an editor writes is dropped, cut or changed silently, and no input crashes or hangs the checks.
RULES.update(
    _rules(
        Rule("E109", "ignored-file", "文件不会被读取", "{path} 不会被读取：{why}。", "{fix}"),
        Rule("E110", "missing-file", "缺少数据文件或目录", "{path} {problem}。", "{fix}"),
        Rule(
            "E122",
            "symlink",
            "数据中有符号链接",
            "{path} 是符号链接（快捷方式），检查程序不跟随它。",
            "把它换成真正的文件或目录（复制内容进来），数据只能来自本仓库的 data/ 目录。",
        ),
        Rule(
            "E123",
            "empty-value",
            "必填项或列表项是空的",
            "{where}“{key}”{what}是空的。",
            "写上它的值，例如 {key}: {example}{fix}。",
        ),
        Rule(
            "E124", "out-of-range", "数值超出范围", "“{key}”的值“{value}”超出范围：要在 {low} 到 {high} 之间。", "{fix}"
        ),
        Rule(
            "E125",
            "too-long",
            "内容太长",
            "{what}太长（{size}），最多 {limit}。",
            "检查是否误粘贴了大量内容；原文确实这样长时，请把它分成几段（或几个文件）。",
        ),
        Rule(
            "E126",
            "too-deep",
            "嵌套太深",
            "这里的列表和键值嵌套超过了 {limit} 层。",
            "数据文件最多嵌套几层（文件 › 部分 › 章节 › 工作要点 › 指标）：检查缩进和方括号、花括号是否多写了。",
        ),
        Rule(
            "E127",
            "control-char",
            "含有控制字符或不可见字符",
            "这里含有不可见的字符 {char}（{name}）。",
            "删去这个字符（它在编辑器里看不见，常由复制粘贴带入）；可以先删去这一处前后的几个字再重新输入。",
        ),
        Rule(
            "E128",
            "bad-reading",
            "读音写法不对",
            "“{phrase}”的读音“{reading}”{problem}。",
            "读音写成不带声调的小写拼音，每个汉字一个音节，音节之间一个空格，例如 闵行: min hang（ü 写作 v）。",
        ),
        Rule(
            "E129",
            "fulltext-empty",
            "原文全文是空的",
            "原文全文文件 {path} 是空的。",
            "把清理后的原文全文保存到这个文件（UTF-8，每段一行）：没有全文，就无法核对数据与原文是否一致。",
        ),
        Rule(
            "E180",
            "target-value",
            "指标数值与短语不符",
            "量化指标的数值 {value} 在短语“{phrase}”中找不到（短语中的数：{found}）。",
            "value 要写短语中的那个数，例如 不低于5000万元 → value: 5000, unit: 万元；1.2亿元 → value: 1.2, unit: 亿元。",
        ),
        Rule(
            "E181",
            "units-differ",
            "单位与原文不一致",
            "{where} 的{role}与原文不一致：原文是“{source}”，数据是“{written}”。",
            "lead / responsible 要逐个列出原文写明的全部单位（{origin}），不多也不少。",
        ),
        Rule(
            "E182",
            "text-repeated",
            "同一段文字录入了多次",
            "这段文字在数据中出现了 {count} 次，原文全文中只有 {found} 次：“{snippet}”。",
            "删去多录入的一处；原文中确实出现多次的，全文文件中也要有同样多次。",
        ),
        Rule(
            "E183",
            "fulltext-repeated",
            "全文中的内容没有全部录入",
            "原文全文中这段文字出现了 {found} 次，数据中只有 {count} 次：“{snippet}”。",
            "全文中重复的一处要么是误粘贴（删去），要么是原文确实重复（在数据中相应位置也录入）。",
        ),
        Rule(
            "E184",
            "year-date",
            "年度与成文日期不符",
            "年度 {year} 与成文日期 {date} 相差超过一年。",
            "year 写文件所属的年度，通常就是成文日期的年份（或前后一年）。",
        ),
        Rule(
            "E185",
            "redirect-target",
            "跳转的目标不存在",
            "跳转“{value}”的目标{problem}。",
            "to 要写网站上现有的页面（如 units/minhang-rensheju/），锚点跳转的目标要写该文件中现有工作要点的 id。",
        ),
        Rule(
            "E186",
            "redirect-shadows",
            "跳转的旧网址仍在使用",
            "跳转“{value}”的旧网址{problem}。",
            "旧网址仍是一个页面或锚点时不需要跳转：删去这条跳转；同一个旧网址只能写一条跳转。",
        ),
    )
)


# Issue 19: the text as received, the untouched scaffold, and what the data says of itself and of the registries.
RULES.update(
    _rules(
        Rule(
            "E166",
            "source-missing",
            "缺少原件文字",
            "原件文字 {path} {problem}。",
            "把收到的原件文字（PDF 转换所得的文字，不作任何修改，含页码、断行等转换痕迹）原样保存为 {path}（UTF-8）："
            "网站在文件页面上提供它的下载（原件文字版）。",
        ),
        Rule(
            "E167",
            "placeholder",
            "还有待填写的内容",
            "这里还是模板的占位文字“{snippet}”。",
            "换成原文中的内容（逐字照录）：数据、原文全文中的每一处“【待填写……】”都要换掉。",
        ),
        Rule(
            "E168",
            "template-notes",
            "模板的说明没有删去",
            "文件开头还有 {count} 行模板的说明（以“# 【新文件模板】”开头）。",
            "按说明填写、核对以后，删去这几行说明。",
        ),
        Rule(
            "E169",
            "printed-before-date",
            "印发日期早于成文日期",
            "印发日期 {printed} 早于成文日期 {date}。",
            "printed 写原文“印发”行的日期，date 写落款的成文日期；文件总是先成文、后印发（同一天也可以）。",
        ),
        Rule(
            "E187",
            "area-issuer",
            "所属区域与发文机关不符",
            "所属区域“{value}”与发文机关“{name}”（{issuer}）的区域“{expected}”不一致。",
            "area 写发文机关所属的区域 {expected}（见 {file} 的 area）；如果是 issuer 写错了，改正 issuer。",
        ),
        Rule(
            "E188",
            "level-issuer",
            "层级与发文机关不符",
            "层级“{value}”与发文机关“{name}”的发文层级“{expected}”（{expected_name}）不一致。",
            "level 写 {expected}；如果是发文机关的登记有误，改正 {file} 中这个单位的 doc_level。",
        ),
        Rule(
            "E189",
            "issuer-level-missing",
            "发文机关没有写明发文层级",
            "单位“{name}”是发文机关，但名录中没有写明它的文件属于哪一级（doc_level），无法核对文件的 level。",
            "在这个单位下加一行 doc_level: district（它代表全区发文，如区政府的办公室、主管对口支援的办公室、领导小组的办公室）"
            "或 doc_level: department（它是区级部门，以本部门名义发文）。",
        ),
        Rule(
            "E191",
            "region-not-named",
            "对口地区没有在文字中出现",
            "对口地区“{value}”没有出现在{where} 的文字中，也不在它所在章节的标题中。",
            "regions 只写本条点名的对口地区：文字中要有它的名称或简称（{names}）{abbr}。"
            "文字用了名录中没有的写法时，在 data/regions.yml 中给这个地区加上 aliases（或一字简称 abbr）。",
        ),
        Rule(
            "E192",
            "out-of-order",
            "顺序与原文不同",
            "{what}在原文全文中位于{before}之前，数据中却写在它的后面。",
            "按原文的顺序排列章节、工作要点、条目和任务：把它移到{before}之前。网页按数据的顺序显示：每个章节先显示标题、"
            "段落，再显示 points、items，最后显示下级 sections。",
        ),
        Rule(
            "E193",
            "stray-space",
            "多余的空格",
            "“{snippet}”中标为 ␣ 的空格：原件文字（{source}）{problem}。",
            "删去这个空格：PDF 转换常在断行处、数字和汉字之间留下空格。原文中真有的空格（如《中共上海市委 上海市人民政府……》"
            "中的）原件文字里也有，照录即可；原件文字要是收到的样子，不要改它。",
        ),
        Rule(
            "E190",
            "doc-level-area",
            "发文层级与单位所在区域不符",
            "单位“{name}”的发文层级“{value}”与它所在的区域“{area}”（{area_level}）不符。",
            "{area}的单位只能写 doc_level: {allowed}。",
        ),
    )
)


def suggest(value: str, choices: list[str]) -> str:
    """“Did you mean …?” with up to three of ``choices`` close to ``value`` (empty when none is)."""
    near = difflib.get_close_matches(value, choices, n=3, cutoff=0.4)
    return f"是不是“{'”“'.join(near)}”？" if near else ""


# The search registry (data/search.yml, see plansite.searchwords).
RULES.update(
    _rules(
        Rule(
            "E170",
            "search-term-target",
            "搜索词没有指向",
            "搜索词“{value}”没有写它指的对口地区或主题。",
            "加上 regions: [西藏]（包括其下级地区）或 themes: [消费协作]，否则这个说法找不到任何内容。",
        ),
        Rule(
            "E171",
            "bad-search-word",
            "搜索词写法不对",
            "搜索词“{value}”{problem}。",
            "搜索词写两个字以上，只用汉字、字母和数字，如 援藏、沪滇；几种说法分别写在 words 中。",
        ),
        Rule(
            "E172",
            "search-duplicate",
            "搜索词表中重复",
            "{what}“{value}”重复（另一处：{other}）。",
            "一个说法（一个字）只能登记一次：删去其中一处，或把两处合并。",
        ),
        Rule(
            "E173",
            "search-word-is-name",
            "搜索词已是名称",
            "搜索词“{value}”已是{what}的名称或简称。",
            "名称和简称本来就能搜到，不必登记：删去这个搜索词。",
        ),
        Rule(
            "E174",
            "bad-variant",
            "异体字写法不对",
            "异体字“{variant}”→“{standard}”不对：{problem}。",
            "variant 写原文或读者写的字，standard 写通常的写法，各写一个汉字，如 {{variant: 闽, standard: 闵}}。",
        ),
    )
)
