"""``python -m plansite new``: write a new, valid document file for an issuer and year."""

from __future__ import annotations

from pathlib import Path

from .shape import ID_RE
from .slug import slugify
from .validate import validate_project

TEMPLATE = """\
# yaml-language-server: $schema=../schema/document.schema.json
# 新文件模板：逐项替换“待填写”的内容（检查程序不接受还有“待填写”的文件），删去这两行说明，
# 再运行 .venv/bin/python -m plansite validate 检查。填写说明见编辑指南（content/editing.md）。
# 原文全文保存在 data/fulltext/{id}.txt（每段一行），收到的原件文字原样保存在 data/sources/{id}.txt。
id: {id}
title: {title}
kind: {kind}
issuer: {issuer}
level: {level}
area: {area}
doc_number: 待填写〔{year}〕号
date: {year}-01-01
year: {year}
units_layout: line
regions: []
header: [{issuer_name}文件]
preamble:
  - 待填写：导语第一段。
parts:
  - id: gongzuorenwu
    label: 一、
    title: 工作任务
    points:
      - id: gongzuoyaodianyi
        label: "1."
        title: 工作要点一。
        text: |-
          待填写：逐字照录这条工作要点的正文。
        units_text: 牵头单位：{issuer_short}
        lead: [{issuer_short}]
        themes: [组织领导]
signature: [{issuer_name}, {year}年1月1日]
"""

FULLTEXT = """\
{issuer_name}文件
待填写〔{year}〕号
{title}
待填写：导语第一段。
一、工作任务
1. 工作要点一。待填写：逐字照录这条工作要点的正文。
牵头单位：{issuer_short}
{issuer_name}
{year}年1月1日
"""


def new_document(root: Path, issuer: str, year: int, kind: str, title: str | None, level: str | None = None,
                 doc_id: str | None = None) -> int:
    """Write ``data/documents/<id>.yml`` and its full-text file (never over an existing file); print what was
    written and the next steps."""
    ds, report = validate_project(root)
    if ds is None:
        print("现有数据有错误，请先修正（.venv/bin/python -m plansite validate）。")
        return 1
    units = {u.id: u for u in ds.units}
    if issuer not in units:
        import difflib

        near = difflib.get_close_matches(issuer, list(units), n=3)
        print(f"找不到单位 id“{issuer}”。" + (f"是不是：{'、'.join(near)}？" if near else "") +
              "请先在 data/units/ 中登记发文机关（见编辑指南“新增单位”）。")
        return 1
    unit = units[issuer]
    area = ds.area(unit.area)
    level = level or ("city" if area.level == "city" else "district")
    kind_slug = _kind_ids(root).get(kind) or slugify(kind)
    # the issuer's id (which starts with its area's) makes two issuers of the same level and year different
    doc_id = doc_id or f"{issuer}-{year}-{kind_slug}"
    if not ID_RE.match(doc_id):
        print(f"id“{doc_id}”格式不对：只能用小写字母、数字和连字符“-”。")
        return 1
    paths = [root / "data" / "documents" / f"{doc_id}.yml", root / "data" / "fulltext" / f"{doc_id}.txt",
             root / "data" / "sources" / f"{doc_id}.txt"]
    existing = [p for p in paths if p.exists()]
    if existing or any(d.id == doc_id for d in ds.documents):
        shown = "、".join(str(p.relative_to(root)) for p in existing) or f"文件 id {doc_id}"
        print(f"{shown} 已经存在，没有写任何文件。同一发文机关同一年度同一类型的第二份文件，请用 --id 指定一个新 id，"
              f"如 --id {doc_id}-2。")
        return 1
    title = title or f"{area.name if level != 'department' else unit.name}{year}年东西部协作和对口支援{kind}"
    short = unit.aliases[0] if unit.aliases else unit.name
    fields = dict(id=doc_id, title=title, kind=kind, issuer=issuer, level=level, area=area.id, year=year,
                  issuer_name=unit.name, issuer_short=short)
    paths[0].write_text(TEMPLATE.format(**fields), encoding="utf-8")
    paths[1].write_text(FULLTEXT.format(**fields), encoding="utf-8")
    print(f"已生成 {paths[0].relative_to(root)} 和 {paths[1].relative_to(root)}。")
    print("下一步：")
    print(f"  1. 把收到的原件文字（PDF 转换所得，不作任何修改）保存为 {paths[2].relative_to(root)}；")
    print(f"  2. 把整理后的原文全文（每段一行）写入 {paths[1].relative_to(root)}；")
    print(f"  3. 按原文填写 {paths[0].relative_to(root)}，替换全部“待填写”；")
    print("  4. 运行 .venv/bin/python -m plansite validate，按提示改到没有错误；")
    print("  5. 运行 bash .ci/serve 预览，确认后提交拉取请求。")
    return 0


def _kind_ids(root: Path) -> dict[str, str]:
    """Document kind → the id its documents' ids use (data/vocab.yml)."""
    import yaml

    try:
        vocab = yaml.safe_load((root / "data" / "vocab.yml").read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return {}
    return {k.get("name"): k.get("id") for k in vocab.get("document_kinds", []) if isinstance(k, dict)}
