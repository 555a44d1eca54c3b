"""``python -m plansite new``: write the template of a new document for an issuer and year.

The template is a document of the right shape whose every placeholder (``【待填写…】``) and whose notes at the top
the validator rejects (E167, E168) until the editor has replaced them with the original's text.
"""

from __future__ import annotations

from pathlib import Path

from .model import LEVEL_NAMES
from .shape import ID_RE
from .slug import slugify

# What the validator rejects until the editor has replaced it: every placeholder (E167) and the template's
# notes (E168). Neither can occur in an official document: the brackets 【】 mark them.
PLACEHOLDER = "【待填写"
TEMPLATE_NOTE = "# 【新文件模板】"

TEMPLATE = """\
# yaml-language-server: $schema=../schema/document.schema.json
# 【新文件模板】把每一处“【待填写……】”换成原文的内容，核对其余各项（标题、日期、落款、主题），再删去这三行说明。
# 【新文件模板】收到的原件文字原样保存为 data/sources/{id}.txt；整理后的原文全文（每段一行）写入 data/fulltext/{id}.txt。
# 【新文件模板】填写说明见编辑指南（content/editing.md）；检查：.venv/bin/python -m plansite validate
id: {id}
title: {title}
kind: {kind}
issuer: {issuer}
level: {level}
area: {area}
doc_number: 【待填写】〔{year}〕号
# 成文日期（落款的日期）；原文有“印发”行时，加一行 printed: 印发日期
date: {year}-01-01
year: {year}
units_layout: line
regions: []
header: [{issuer_name}文件]
preamble:
  - 【待填写：导语第一段】
parts:
  - id: gongzuorenwu
    label: 一、
    title: 工作任务
    points:
      - id: gongzuoyaodianyi
        label: "1."
        title: 工作要点一。
        text: |-
          【待填写：逐字照录这条工作要点的正文】
        units_text: 牵头单位：{issuer_short}
        lead: [{issuer_short}]
        themes: [组织领导]
signature: [{issuer_name}, {year}年1月1日]
"""

FULLTEXT = """\
{issuer_name}文件
【待填写】〔{year}〕号
{title}
【待填写：导语第一段】
一、工作任务
1. 工作要点一。【待填写：逐字照录这条工作要点的正文】
牵头单位：{issuer_short}
{issuer_name}
{year}年1月1日
"""


def new_document(root: Path, issuer: str, year: int, kind: str, title: str | None, doc_id: str | None = None) -> int:
    """Write ``data/documents/<id>.yml`` and its full-text file (never over an existing file); print what was
    written and the next steps."""
    from .validate import validate_project

    ds, _ = validate_project(root)
    if ds is None:
        print("现有数据有错误，请先修正（.venv/bin/python -m plansite validate）。")
        return 1
    units = {u.id: u for u in ds.units}
    if issuer not in units:
        import difflib

        near = difflib.get_close_matches(issuer, list(units), n=3)
        print(
            f"找不到单位 id“{issuer}”。"
            + (f"是不是：{'、'.join(near)}？" if near else "")
            + "请先在 data/units/ 中登记发文机关（见编辑指南“新增单位”）。"
        )
        return 1
    unit = units[issuer]
    area = ds.area(unit.area)
    level = unit.doc_level or ("city" if area.level == "city" else "")
    if not level:  # the level comes from the registry, where the validator checks it (E188, E189)
        print(
            f"发文机关“{unit.name}”在单位名录 {unit.source} 中没有写明它的文件属于哪一级：先在这个单位下加一行 "
            "doc_level: district（它代表全区发文）或 doc_level: department（它是区级部门，以本部门名义发文），"
            "见编辑指南“新增单位”。没有写任何文件。"
        )
        return 1
    kind_slug = _kind_ids(root).get(kind) or slugify(kind)
    # the issuer's id (which starts with its area's) makes two issuers of the same level and year different
    doc_id = doc_id or f"{issuer}-{year}-{kind_slug}"
    if not ID_RE.match(doc_id):
        print(f"id“{doc_id}”格式不对：只能用小写字母、数字和连字符“-”。")
        return 1
    paths = [
        root / "data" / "documents" / f"{doc_id}.yml",
        root / "data" / "fulltext" / f"{doc_id}.txt",
        root / "data" / "sources" / f"{doc_id}.txt",
    ]
    existing = [p for p in paths if p.exists()]
    if existing or any(d.id == doc_id for d in ds.documents):
        shown = "、".join(str(p.relative_to(root)) for p in existing) or f"文件 id {doc_id}"
        print(
            f"{shown} 已经存在，没有写任何文件。同一发文机关同一年度同一类型的第二份文件，请用 --id 指定一个新 id，"
            f"如 --id {doc_id}-2。"
        )
        return 1
    title = title or f"{area.name if level != 'department' else unit.name}{year}年东西部协作和对口支援{kind}"
    short = unit.aliases[0] if unit.aliases else unit.name
    fields = dict(
        id=doc_id,
        title=title,
        kind=kind,
        issuer=issuer,
        level=level,
        area=area.id,
        year=year,
        issuer_name=unit.name,
        issuer_short=short,
    )
    paths[0].write_text(TEMPLATE.format(**fields), encoding="utf-8")
    paths[1].write_text(FULLTEXT.format(**fields), encoding="utf-8")
    print(f"已生成 {paths[0].relative_to(root)} 和 {paths[1].relative_to(root)}（{LEVEL_NAMES[level]}文件）。")
    print("下一步：")
    print(f"  1. 把收到的原件文字（PDF 转换所得，不作任何修改）原样保存为 {paths[2].relative_to(root)}；")
    print(f"  2. 把整理后的原文全文（每段一行）写入 {paths[1].relative_to(root)}，替换模板的内容；")
    print(f"  3. 按原文填写 {paths[0].relative_to(root)}：替换全部“【待填写……】”，删去开头的“【新文件模板】”说明；")
    print("  4. 运行 .venv/bin/python -m plansite validate，按提示改到没有错误；")
    print("  5. 运行 bash .ci/serve 预览（http://127.0.0.1:8000/）；")
    print(
        "  6. 运行 .venv/bin/python -m pytest site_tests/test_urls.py --update-goldens，"
        "把新页面的网址记入 site_tests/published_urls.txt，连同数据一起提交拉取请求。"
    )
    return 0


def _kind_ids(root: Path) -> dict[str, str]:
    """Document kind → the id its documents' ids use (data/vocab.yml)."""
    import yaml

    try:
        vocab = yaml.safe_load((root / "data" / "vocab.yml").read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return {}
    return {k.get("name"): k.get("id") for k in vocab.get("document_kinds", []) if isinstance(k, dict)}
