"""``python -m plansite new``: write a new, valid document file for an issuer and year."""

from __future__ import annotations

from pathlib import Path

from .slug import slugify
from .validate import validate_project

TEMPLATE = """\
# yaml-language-server: $schema=../schema/document.schema.json
# 新文件模板：逐项替换“待填写”的内容，再运行 python -m plansite validate 检查。
# 填写说明见 content/editing.md。原文全文保存在 data/fulltext/{id}.txt（每段一行）。
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


def new_document(root: Path, issuer: str, year: int, kind: str, title: str | None, level: str | None = None) -> int:
    """Write ``data/documents/<id>.yml`` and its full-text file; print what was written."""
    ds, report = validate_project(root)
    if ds is None:
        print("现有数据有错误，请先修正（python -m plansite validate）。")
        return 1
    units = {u.id: u for u in ds.units}
    if issuer not in units:
        import difflib

        near = difflib.get_close_matches(issuer, list(units), n=3)
        print(f"找不到单位 id“{issuer}”。" + (f"是不是：{'、'.join(near)}？" if near else "") +
              "请先在 data/units/ 中登记发文机关。")
        return 1
    unit = units[issuer]
    area = ds.area(unit.area)
    level = level or ("city" if area.level == "city" else "district")
    kinds = {"工作要点": "gongzuoyaodian", "工作计划": "gongzuojihua", "实施意见": "shishiyijian",
             "指导意见": "zhidaoyijian"}
    kind_slug = kinds.get(kind) or slugify(kind)
    owner = area.id if level != "department" else issuer
    doc_id = f"{owner}-{year}-{kind_slug}"
    path = root / "data" / "documents" / f"{doc_id}.yml"
    if path.exists():
        print(f"{path.relative_to(root)} 已经存在：同一发文机关同一年度的第二份文件请在 id 末尾加 -2。")
        return 1
    title = title or f"{area.name if level != 'department' else unit.name}{year}年东西部协作和对口支援{kind}"
    short = unit.aliases[0] if unit.aliases else unit.name
    fields = dict(id=doc_id, title=title, kind=kind, issuer=issuer, level=level, area=area.id, year=year,
                  issuer_name=unit.name, issuer_short=short)
    path.write_text(TEMPLATE.format(**fields), encoding="utf-8")
    full = root / "data" / "fulltext" / f"{doc_id}.txt"
    full.write_text(FULLTEXT.format(**fields), encoding="utf-8")
    print(f"已生成 {path.relative_to(root)} 和 {full.relative_to(root)}。")
    print("下一步：按原文填写这两个文件，然后运行 python -m plansite validate。")
    return 0
