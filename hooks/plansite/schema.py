"""Declared shapes of the data files: one source for validation, the JSON Schema and the editor guide.

Each :class:`Struct` lists its :class:`Field` s with a Chinese description. ``kind`` is one of
``id`` (ASCII slug), ``line`` (one line of text), ``text`` (prose, may have several paragraphs),
``int``, ``number``, ``date``, ``bool``, ``choice`` (one of ``choices``), ``list`` (of ``item``)
and ``struct`` (a nested mapping, ``struct``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import LEVELS


@dataclass(frozen=True)
class Field:
    """One key of a mapping: its name, kind, whether required, and a Chinese description."""

    name: str
    kind: str
    doc: str
    required: bool = False
    item: Field | None = None
    struct: Struct | None = None
    choices: tuple[str, ...] = ()
    example: str = ""


@dataclass(frozen=True)
class Struct:
    """A mapping shape: its Chinese name (for messages) and its fields in canonical order."""

    name: str
    fields: tuple[Field, ...]
    doc: str = ""
    by_name: dict[str, Field] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_name", {f.name: f for f in self.fields})


def _list(name: str, item: Field, doc: str, required: bool = False) -> Field:
    return Field(name, "list", doc, required, item=item)


def _line_list(name: str, doc: str, required: bool = False) -> Field:
    return _list(name, Field(name, "line", doc), doc, required)


NOTES = _list("notes", Field("notes", "text", "一条说明"), "整理说明：原文疑似有误的字、对含糊之处的理解等（中文）")

TARGET = Struct(
    "量化指标",
    (
        Field("phrase", "line", "原文中的短语，须逐字出现在本条文字中", True, example="不低于5000万元"),
        Field("comparator", "line", "比较词，如 不低于、不少于、以上、至少；没有则留空", example="不低于"),
        Field("value", "number", "数值", True, example="5000"),
        Field("unit", "line", "计量单位，如 万元、人、次、个、%", True, example="万元"),
        Field(
            "counts",
            "line",
            "统计的是什么；同一文件中统计内容、单位和比较词都相同、并且都标为可相加的指标，才合计",
            True,
            example="消费帮扶采购总量",
        ),
        Field(
            "per", "line", "指标按每个什么计，如 每个镇、每县、每地；按每个计的指标不相加", example="每个结对县（区）"
        ),
        Field(
            "additive",
            "bool",
            "是否可以与同一文件中统计内容相同的其他指标相加（总量、人数、次数等）；"
            "比率、百分比、份额和按每个计的指标不能相加。不写即不相加",
        ),
        Field(
            "restates",
            "line",
            "任务分解表中的任务：本指标重述所分解的工作要点中的哪一个指标（写那个指标的 phrase），合计时只计一次",
        ),
        Field("distinct", "bool", "任务的指标与所分解的工作要点中某个指标数值、单位相同，但不是同一项指标时写 true"),
    ),
    "工作要点或任务中的一个量化指标",
)

DEADLINE = Struct(
    "时限",
    (
        Field("phrase", "line", "原文中的短语，须逐字出现在本条文字中", True, example="于7月20日前"),
        Field("due", "date", "一次性时限的日期（年底前写该年 12 月 31 日）", example="2022-07-20"),
        Field("repeat", "choice", "周期性时限", choices=("monthly", "bimonthly", "quarterly", "yearly")),
        Field("day", "int", "周期性时限的日（每月 25 日前写 25）", example="25"),
        Field("within_days", "int", "相对时限的天数", example="15"),
        Field("after", "line", "相对时限的起点", example="要点下发之日"),
    ),
    "due、repeat、within_days 三者写且只写一项",
)

_POINT_FIELDS = (
    Field("id", "id", "锚点 id：标题的拼音，建立后不再修改", True, example="jiaqiangzuzhilingdao"),
    Field("label", "line", "原文编号，如 1.、（一）", True, example='"1."'),
    Field("title", "line", "原文中的标题（含句末标点）", example="加强组织领导。"),
    Field("title_alone", "bool", "原文中标题单独成行（标题后换行再接正文）时写 true"),
    Field("text", "text", "正文，逐字照录；多段用换行分隔；不含单位行", True),
    Field("units_text", "line", "原文中的单位文字，逐字照录，如（责任单位：区委办、区发展改革委）"),
    _line_list("lead", "牵头单位，按原文写法逐个列出"),
    _line_list("responsible", "责任单位/责任部门，按原文写法逐个列出"),
    _line_list("themes", "主题名称（见 data/themes.yml）"),
    _line_list("regions", "本条提到的对口地区（名称或简称，见 data/regions.yml）"),
    _list("targets", Field("targets", "struct", "量化指标", struct=TARGET), "量化指标"),
    _list("deadlines", Field("deadlines", "struct", "时限", struct=DEADLINE), "时限"),
    NOTES,
)
POINT = Struct("工作要点", _POINT_FIELDS, "一条工作要点（或保障措施、工作要求中的一项）")

TASK = Struct(
    "任务",
    (
        Field("id", "id", "锚点 id，如 t01", True, example="t01"),
        Field("no", "int", "原文序号", True, example="1"),
        Field("area", "line", "“工作要点”一栏，如 组织领导方面", True),
        Field("text", "text", "“具体任务”一栏，逐字照录，不含序号", True),
        _line_list("lead", "牵头单位"),
        _line_list("responsible", "责任单位"),
        Field("point", "id", "本任务分解的工作要点 id（原文中没有对应要点时不写）"),
        _line_list("themes", "主题名称"),
        _line_list("regions", "提到的对口地区"),
        _list("targets", Field("targets", "struct", "量化指标", struct=TARGET), "量化指标"),
        _list("deadlines", Field("deadlines", "struct", "时限", struct=DEADLINE), "时限"),
        NOTES,
    ),
    "任务分解表中的一行",
)


def _section_struct() -> Struct:
    base = [
        Field("id", "id", "锚点 id：标题的拼音", True),
        Field("label", "line", "原文编号，如 一、（一）", True),
        Field("title", "line", "标题", True),
        _list("paragraphs", Field("paragraphs", "text", "一段"), "标题下的段落"),
    ]
    leaf = Struct(
        "章节",
        tuple(
            base
            + [
                _list("points", Field("points", "struct", "工作要点", struct=POINT), "工作要点"),
                _list(
                    "items",
                    Field("items", "struct", "条目", struct=POINT),
                    "保障措施、工作要求等的条目（不计入工作要点）",
                ),
            ]
        ),
    )
    mid = Struct(
        "章节",
        tuple(
            base
            + [
                _list("sections", Field("sections", "struct", "下级章节", struct=leaf), "下级章节"),
                _list("points", Field("points", "struct", "工作要点", struct=POINT), "工作要点"),
                _list(
                    "items",
                    Field("items", "struct", "条目", struct=POINT),
                    "保障措施、工作要求等的条目（不计入工作要点）",
                ),
            ]
        ),
    )
    return Struct(
        "章节",
        tuple(
            base
            + [
                _list("sections", Field("sections", "struct", "下级章节", struct=mid), "下级章节"),
                _list("points", Field("points", "struct", "工作要点", struct=POINT), "工作要点"),
                _list(
                    "items",
                    Field("items", "struct", "条目", struct=POINT),
                    "保障措施、工作要求等的条目（不计入工作要点）",
                ),
            ]
        ),
        "文件的一个部分，如 二、重点任务",
    )


SECTION = _section_struct()

NOTICE = Struct(
    "印发通知",
    (
        Field("title", "line", "通知标题", True),
        _list("paragraphs", Field("paragraphs", "text", "一段"), "通知正文（含主送机关）", True),
        _line_list("signature", "通知的落款和日期"),
    ),
)

ANNEX = Struct(
    "附件",
    (
        Field("id", "id", "锚点 id", True, example="renwufenjiebiao"),
        Field("label", "line", "如 附件", True),
        Field("title", "line", "附件标题", True),
        _list("tasks", Field("tasks", "struct", "任务", struct=TASK), "任务分解表的各行", True),
        NOTES,
    ),
)

DOCUMENT = Struct(
    "文件",
    (
        Field("id", "id", "文件 id，与文件名相同，发布后不再修改", True, example="xuhui-2026-gongzuoyaodian"),
        Field("title", "line", "文件标题", True),
        Field("kind", "line", "文件类型（见 data/vocab.yml）", True, example="工作要点"),
        Field("issuer", "id", "发文机关的单位 id（见 data/units/）", True),
        Field("level", "choice", "层级：city 市级、district 区级、department 区级部门", True, choices=LEVELS),
        Field("area", "id", "所属区域 id（见 data/areas.yml）", True, example="minhang"),
        Field("doc_number", "line", "发文字号", True, example="某府办发〔2026〕1号"),
        Field("date", "date", "成文日期", True, example="2022-06-24"),
        Field("date_inferred", "bool", "原件没有印成文日期、date 是推定的（如取印发日期）时写 true，页面上会注明"),
        Field("printed", "date", "印发日期（原文有“印发”行时）"),
        Field("year", "int", "年度", True, example="2022"),
        Field("publicity", "line", "公开属性（原文有时）", example="主动公开"),
        Field("validity", "line", "有效性（知道时写，如 有效、已废止）", example="有效"),
        Field(
            "source_url",
            "line",
            "官方发布这份文件的网页地址（http:// 或 https:// 开头；没有就不写）",
            example="https://www.shanghai.gov.cn/…",
        ),
        Field(
            "units_layout",
            "choice",
            "原文单位的位置：inline 在段末括号内；line 单独成行",
            True,
            choices=("inline", "line"),
        ),
        _line_list("regions", "本文件涉及的对口地区"),
        _line_list("header", "版头（发文机关标志）"),
        Field("notice", "struct", "印发通知（如有）", struct=NOTICE),
        _list("preamble", Field("preamble", "text", "一段"), "标题后、第一部分前的段落"),
        _list("parts", Field("parts", "struct", "部分", struct=SECTION), "正文各部分", True),
        _list("closing", Field("closing", "text", "一段"), "正文之后、落款之前的结束语，如“本意见自印发之日起施行。”"),
        _line_list("signature", "落款和日期"),
        _line_list("end_matter", "落款之后的各行：附件说明、抄送、印发、公开属性"),
        _list("annexes", Field("annexes", "struct", "附件", struct=ANNEX), "附件（任务分解表）"),
        NOTES,
    ),
    "一份文件（data/documents/<id>.yml）",
)

COVERS = Struct(
    "统称的范围",
    (
        _line_list("kinds", "包括同一区域（或同一上级单位）中这些类别的已登记单位，如 [街镇]"),
        _line_list("members", "或逐个列出包括的单位 id"),
        Field(
            "all",
            "bool",
            "true：包括上述类别的全部单位（如“各街镇”）；不写：只是其中一部分，"
            "不知道是哪些（如“相关部门”），单位页面上写“可能涉及”",
        ),
    ),
    "统称（如“各街镇”“相关部门”）包括哪些单位；不写 covers 表示成员不明",
)

UNIT = Struct(
    "单位",
    (
        Field("id", "id", "单位 id：<区域>-<拼音>，发布后不再修改", True, example="minhang-hezuojiaoliuban"),
        Field("name", "line", "规范全称", True, example="上海市某区人民政府合作交流办公室"),
        _line_list("aliases", "文件中的其他写法（简称）", False),
        Field("kind", "line", "类别（见 data/vocab.yml 的 unit_kinds）", True, example="委办局"),
        Field("parent", "id", "上级单位 id（内设科室、所属单位时）"),
        Field(
            "doc_level",
            "choice",
            "发文层级：这个单位是文件的发文机关时，它的文件属于哪一级。district：它代表全区发文"
            "（如区政府的办公室、主管对口支援的办公室、领导小组的办公室）；department：它是区级部门，以本部门名义发文；"
            "city：市级。市级区域的单位不写也是 city；各区的发文机关必须写",
            choices=LEVELS,
        ),
        Field("covers", "struct", "统称包括哪些单位（只用于类别为“统称”的单位）", struct=COVERS),
        Field("note", "text", "说明"),
    ),
)

UNITS_FILE = Struct(
    "单位名录",
    (
        Field("area", "id", "这些单位所属的区域 id", True, example="minhang"),
        Field("parent", "id", "本文件所有单位的上级单位 id（部门的科室、所属单位）"),
        _list("units", Field("units", "struct", "单位", struct=UNIT), "单位", True),
    ),
    "单位名录（data/units/<名称>.yml）",
)

THEME = Struct(
    "主题",
    (
        Field("id", "id", "主题 id，发布后不再修改", True, example="chanye"),
        Field("name", "line", "主题名称", True, example="产业协作"),
        Field("core", "bool", "是否为四个核心主题之一"),
        Field("description", "text", "简要说明", True),
    ),
)
THEMES_FILE = Struct("主题表", (_list("themes", Field("themes", "struct", "主题", struct=THEME), "主题", True),))


def _region_struct(depth: int) -> Struct:
    fields = [
        Field("id", "id", "地区 id，发布后不再修改", True, example="zepu"),
        Field("name", "line", "规范名称", True, example="某县"),
        _line_list("aliases", "简称和其他写法"),
        Field(
            "abbr",
            "line",
            "一字简称，只在两地合称中算点名这个地区：紧挨着“·”（如“闵·保”的“保”），"
            "或紧跟在市、区的一字简称后（如“沪喀”的“喀”）",
            example="保",
        ),
    ]
    if depth:
        child = _region_struct(depth - 1)
        fields.append(_list("children", Field("children", "struct", "下级地区", struct=child), "下级地区"))
    return Struct("地区", tuple(fields))


REGION = _region_struct(3)
REGIONS_FILE = Struct("地区表", (_list("regions", Field("regions", "struct", "地区", struct=REGION), "地区", True),))

AREA = Struct(
    "区域",
    (
        Field("id", "id", "区域 id", True, example="minhang"),
        Field("name", "line", "名称", True, example="闵行区"),
        Field("level", "choice", "city 或 district", True, choices=("city", "district")),
        _line_list("aliases", "简称"),
        Field("abbr", "line", "一字简称，用在两地合称中，如 沪（沪喀、沪滇）、闵（闵·保）", example="沪"),
    ),
)
AREAS_FILE = Struct("区域表", (_list("areas", Field("areas", "struct", "区域", struct=AREA), "区域", True),))

VOCAB_FILE = Struct(
    "词表",
    (
        _line_list(
            "item_parts",
            "工作要点的计数规则：标题含有这些词语的部分（及其下级章节）中的条目写在 items 下，"
            "不计入工作要点；其他部分的条目写在 points 下",
            True,
        ),
        _list(
            "document_kinds",
            Field(
                "document_kinds",
                "struct",
                "文件类型",
                struct=Struct("文件类型", (Field("name", "line", "名称", True), Field("id", "id", "id", True))),
            ),
            "文件类型",
            True,
        ),
        _list(
            "unit_kinds",
            Field(
                "unit_kinds",
                "struct",
                "单位类别",
                struct=Struct(
                    "单位类别",
                    (
                        Field("name", "line", "名称", True),
                        Field("description", "text", "说明", True),
                        Field(
                            "collective",
                            "bool",
                            "true：这一类是泛指一类单位的统称（如“各街镇”“各有关单位”），其成员由单位的 covers 说明",
                        ),
                    ),
                ),
            ),
            "单位类别",
            True,
        ),
    ),
)

PINYIN_FILE = Struct("读音表", (Field("readings", "map", "词语 → 读音（不带声调的拼音，音节间空格）", True),))

REDIRECT = Struct(
    "跳转",
    (
        Field(
            "from", "line", "旧网址（相对于网站根目录），如 units/minhang-rensheju/ 或 documents/<id>/#<旧锚点>", True
        ),
        Field("to", "line", "新网址", True),
    ),
)
REDIRECTS_FILE = Struct(
    "跳转表", (_list("redirects", Field("redirects", "struct", "跳转", struct=REDIRECT), "跳转", True),)
)

SEARCH_TERM = Struct(
    "搜索词",
    (
        _line_list("words", "读者的说法，如 援藏、沪滇（两个字以上，只用汉字、字母和数字）", True),
        _line_list("regions", "这些说法指的对口地区（名称或简称，见 data/regions.yml），包括其下级地区"),
        _line_list("themes", "这些说法指的主题（名称，见 data/themes.yml）"),
        Field("note", "text", "说明"),
    ),
    "一组读者的说法和它们指的对口地区或主题：regions、themes 至少写一项；两项都写时，要同时归在两者名下",
)

VARIANT = Struct(
    "异体字",
    (
        Field("variant", "line", "原文或读者写的字（一个汉字）", True, example="闽"),
        Field("standard", "line", "通常的写法（一个汉字）", True, example="闵"),
        Field("note", "text", "说明：在哪里出现"),
    ),
    "一个常被写成另一个字的字；只用于搜索时的提示",
)

SEARCH_FILE = Struct(
    "搜索词表",
    (
        _list("terms", Field("terms", "struct", "搜索词", struct=SEARCH_TERM), "读者的说法：支援方向和简称"),
        _list("variants", Field("variants", "struct", "异体字", struct=VARIANT), "异体字和误印的字"),
    ),
    "搜索词表（data/search.yml）",
)
