"""Each validation rule: its code, its position, and (pinned once per rule) its Chinese wording.

Cases live in cases/rules.yml; each edits a small valid document (or another file) in a copy of the fixture
project. The human output of every case is compared with goldens/rules/<name>.txt.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from conftest import make_project
from plansite.errors import RULES
from plansite.validate import validate_project

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "rules.yml").read_text(encoding="utf-8"))
GOLDENS = Path(__file__).parent / "goldens" / "rules"

BASE_DOC = """\
id: ceshi-2025
title: 测试文件
kind: 工作要点
issuer: jingan-hezuojiaoliuban
level: district
area: jingan
doc_number: 测〔2025〕1号
date: 2025-06-13
year: 2025
units_layout: inline
parts:
  - id: renwu
    label: 一、
    title: 泽普工作任务
    points:
      - id: diyitiao
        label: "1."
        title: 第一条。
        text: 做好第一项工作，7月20日前完成，资金不低于5000万元。
        units_text: （责任单位：区政府合作交流办）
        responsible: [区政府合作交流办]
        themes: [产业协作]
        regions: [泽普]
        targets:
          - {phrase: 不低于5000万元, comparator: 不低于, value: 5000, unit: 万元, counts: 资金}
        deadlines:
          - {phrase: 7月20日前, due: 2025-07-20}
"""

BASE_FULLTEXT = """\
测〔2025〕1号
测试文件
一、泽普工作任务
1. 第一条。做好第一项工作，7月20日前完成，资金不低于5000万元。（责任单位：区政府合作交流办）
"""

# the text as received (data/sources/ceshi-2025.txt): with the artefacts of a PDF conversion
BASE_SOURCE = """\
测〔2025〕1 号

测试文件

一、泽普工作任务

1. 第一条。做好第一

项工作，7 月 20 日前完成，资金不低于 5000 万元。（责任单位：区政府合作交流办）

- 1 -
"""


def _apply(case: dict, proj: Path) -> None:
    doc = BASE_DOC
    if "replace" in case:
        old, new = case["replace"]
        assert old in doc, f"case {case['name']}: {old!r} not in the base document"
        doc = doc.replace(old, new, 1)
    if "expand" in case:  # [marker, text, times]: a long value without a long case file
        marker, text, times = case["expand"]
        doc = doc.replace(marker, text * times)
    if "annex" in case:
        doc += case["annex"]
    for rel in case.get("delete", []):
        target = proj / rel
        shutil.rmtree(target) if target.is_dir() and not target.is_symlink() else target.unlink()
    for rel in case.get("mkdir", []):
        (proj / rel).mkdir(parents=True)
    for rel, link_to in case.get("symlink", []):
        (proj / rel).symlink_to(link_to if link_to.startswith("/") else proj / link_to)
    path = proj / "data" / "documents" / "ceshi-2025.yml"
    if "file" in case and "content" in case:
        target = proj / case["file"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(case["content"], encoding="utf-8")
    elif "content" in case:
        doc = case["content"]
    if "append" in case:
        target = proj / case["file"]
        target.write_text(target.read_text(encoding="utf-8") + case["append"], encoding="utf-8")
    if case.get("no_document"):
        pass
    elif case.get("gbk"):
        path.write_bytes(doc.encode("gbk"))
    elif case.get("bom_crlf"):
        path.write_bytes(b"\xef\xbb\xbf" + doc.replace("\n", "\r\n").encode("utf-8"))
    else:
        path.write_bytes(doc.encode("utf-8"))
    if not case.get("no_fulltext"):
        fulltext = case.get("fulltext", BASE_FULLTEXT + case.get("fulltext_extra", ""))
        if "fulltext_replace" in case:
            old, new = case["fulltext_replace"]
            assert old in fulltext, f"case {case['name']}: {old!r} not in the full text"
            fulltext = fulltext.replace(old, new, 1)
        (proj / "data" / "fulltext" / "ceshi-2025.txt").write_text(fulltext, encoding="utf-8")
    if not case.get("no_source"):
        source = case.get("source", BASE_SOURCE)
        if "source_replace" in case:
            old, new = case["source_replace"]
            assert old in source, f"case {case['name']}: {old!r} not in the source text"
            source = source.replace(old, new, 1)
        (proj / "data" / "sources" / "ceshi-2025.txt").write_text(source, encoding="utf-8")


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_rule(case: dict, tmp_path: Path, update_goldens: bool) -> None:
    proj = make_project(tmp_path)
    _apply(case, proj)
    ds, report = validate_project(proj)
    found = [f"{d.code} {d.line}:{d.col}" for d in report.errors]
    for want in case["expect"]:
        assert any(f.startswith(want) for f in found), f"expected {want!r}, got {found}"
    codes = {w.split()[0] for w in case["expect"]}
    assert {f.split()[0] for f in found} <= codes, f"unexpected diagnostics: {found}"
    assert (ds is None) == bool(case["expect"])
    golden = GOLDENS / f"{case['name']}.txt"
    text = report.format() + "\n"
    if update_goldens:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), f"no golden file for case {case['name']}: run pytest --update-goldens and review it"
    assert text == golden.read_text(encoding="utf-8")


def test_every_rule_has_a_case() -> None:
    covered = {w.split()[0] for c in CASES for w in c["expect"]}
    assert covered == set(RULES), f"rules without a case: {sorted(set(RULES) - covered)}"


def test_github_annotations_are_escaped(tmp_path: Path) -> None:
    proj = make_project(tmp_path)
    _apply({"name": "x", "replace": ["title: 第一条。", "title: no"]}, proj)
    _, report = validate_project(proj)
    (line,) = [x for x in report.format("github").splitlines() if x.startswith("::error")]
    assert line.startswith("::error file=data/documents/ceshi-2025.yml,line=18,col=16,title=E111 ")
    assert "\n" not in line
    props = line.split("::")[1]
    assert "%3A" not in props.split("title=")[0]  # plain properties need no escaping
    from plansite.errors import Diagnostic

    d = Diagnostic("a,b:c.yml", 1, 2, "E111", "第一行\n第二行 100%", "提示")
    assert (
        d.github()
        == "::error file=a%2Cb%3Ac.yml,line=1,col=2,title=E111 值会被读成非文字::第一行%0A第二行 100%25 提示：提示"
    )


def test_summary_lists_every_error(tmp_path: Path) -> None:
    proj = make_project(tmp_path)
    _apply({"name": "x", "replace": ["title: 第一条。", "title: no"]}, proj)
    _, report = validate_project(proj)
    summary = report.step_summary()
    assert "| `data/documents/ceshi-2025.yml:18:16` | E111 |" in summary
