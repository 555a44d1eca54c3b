"""The editors' command line: validate, render, new, slug and schema."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import yaml

from conftest import ROOT
from plansite.jsonschema import schemas
from plansite.validate import validate_project


def run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "plansite", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=os.environ | {"PYTHONPATH": str(ROOT / "hooks"), "GITHUB_ACTIONS": ""} | env,
        timeout=300,
    )


def test_validate_clean_exits_zero(project: Path) -> None:
    result = run(["validate"], project)
    assert result.returncode == 0
    assert "数据检查通过" in result.stdout


def test_validate_errors_exit_one_with_all_errors(project: Path) -> None:
    doc = project / "data" / "documents" / "jingan-2025-gongzuoyaodian.yml"
    text = doc.read_text(encoding="utf-8").replace("kind: 工作要点", "kind: 工作要点\nkind: 工作计划")
    doc.write_text(text.replace("year: 2025", "year: ２０２５"), encoding="utf-8")
    result = run(["validate"], project)
    assert result.returncode == 1
    assert "E106" in result.stdout and "E113" in result.stdout
    assert "共 2 个错误" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_validate_github_format_and_summary(project: Path, tmp_path: Path) -> None:
    doc = project / "data" / "documents" / "jingan-2025-gongzuoyaodian.yml"
    doc.write_text(doc.read_text(encoding="utf-8").replace("year: 2025", "year: ２０２５"), encoding="utf-8")
    summary = tmp_path / "summary.md"
    result = run(["validate", "--format", "github"], project, GITHUB_STEP_SUMMARY=str(summary))
    assert result.returncode == 1
    assert result.stdout.startswith("::error file=data/documents/jingan-2025-gongzuoyaodian.yml,line=")
    assert "E113" in summary.read_text(encoding="utf-8")


def test_validate_a_path_outside_the_project(project: Path, tmp_path: Path) -> None:
    result = run(["validate", str(tmp_path)], project)
    assert result.returncode == 2
    assert "不在项目" in result.stderr and "Traceback" not in result.stderr + result.stdout


def test_validate_some_files_says_when_others_have_errors(project: Path) -> None:
    doc = project / "data" / "documents" / "jingan-2025-gongzuoyaodian.yml"
    doc.write_text(doc.read_text(encoding="utf-8").replace("year: 2025", "year: 0"), encoding="utf-8")
    result = run(["validate", "data/areas.yml"], project)
    assert result.returncode == 1
    assert "数据检查通过" not in result.stdout
    assert "所选文件中没有发现问题，但其他文件中还有 1 个错误" in result.stdout
    result = run(["validate", "data/documents/jingan-2025-gongzuoyaodian.yml"], project)
    assert result.returncode == 1 and "E124" in result.stdout


def test_validate_without_data_is_an_error(tmp_path: Path) -> None:
    result = run(["validate"], tmp_path)
    assert result.returncode == 1
    assert "data/ 不存在" in result.stdout and "E110" in result.stdout and "Traceback" not in result.stderr


def test_render_writes_the_markdown_tree(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "md"
    result = run(["render", "--out", str(out)], project)
    assert result.returncode == 0, result.stderr
    assert (out / "documents" / "jingan-2025-gongzuoyaodian" / "index.md").exists()
    assert (out / "az.md").exists()


def test_new_writes_a_template_that_fails_until_filled(project: Path) -> None:
    result = run(["new", "--issuer", "jingan-hezuojiaoliuban", "--year", "2026"], project)
    assert result.returncode == 0, result.stdout + result.stderr
    doc_id = "jingan-hezuojiaoliuban-2026-gongzuoyaodian"
    yml, txt = f"data/documents/{doc_id}.yml", f"data/fulltext/{doc_id}.txt"
    assert "（区级文件）" in result.stdout and f"data/sources/{doc_id}.txt" in result.stdout
    ds, report = validate_project(project)
    assert ds is None
    # exactly these, each where the editor has to act: the notes at the top, each placeholder, the missing source
    assert [(d.file, d.line, d.col, d.code) for d in report.errors] == [
        (yml, 2, 1, "E168"),
        (yml, 5, 5, "E166"),
        (yml, 11, 13, "E167"),
        (yml, 19, 5, "E167"),
        (yml, 29, 11, "E167"),
        (txt, 2, 1, "E167"),
        (txt, 4, 1, "E167"),
        (txt, 6, 10, "E167"),
    ]
    # filled in as the notes say: placeholders replaced in the data and the full text alike, notes deleted, source saved
    filled = {
        "【待填写】〔2026〕号": "静府合〔2026〕1号",
        "【待填写：导语第一段】": "为做好2026年工作，制定本要点。",
        "【待填写：逐字照录这条工作要点的正文】": "召开工作会议，部署全年工作。",
    }
    for rel in (yml, txt):
        path = project / rel
        text = path.read_text(encoding="utf-8")
        for old, new in filled.items():
            text = text.replace(old, new)
        path.write_text(
            "".join(ln for ln in text.splitlines(keepends=True) if not ln.startswith("# 【新文件模板】")),
            encoding="utf-8",
        )
    (project / "data" / "sources" / f"{doc_id}.txt").write_text(
        (project / txt).read_text(encoding="utf-8"), encoding="utf-8"
    )
    ds, report = validate_project(project)
    assert ds is not None, report.format()
    assert ds.document(doc_id).level == "district"
    again = run(["new", "--issuer", "jingan-hezuojiaoliuban", "--year", "2026"], project)
    assert again.returncode == 1 and "已经存在" in again.stdout


def test_new_takes_the_level_from_the_registry(project: Path) -> None:
    city = run(["new", "--issuer", "shanghai-hezuojiaoliuban-dangzu", "--year", "2026", "--kind", "指导意见"], project)
    assert city.returncode == 0 and "（市级文件）" in city.stdout
    text = (project / "data" / "documents" / "shanghai-hezuojiaoliuban-dangzu-2026-zhidaoyijian.yml").read_text("utf-8")
    assert "\nlevel: city\narea: shanghai\n" in text
    for folder, suffix in (("documents", "yml"), ("fulltext", "txt")):  # (new wants clean data: a template is not)
        (project / "data" / folder / f"shanghai-hezuojiaoliuban-dangzu-2026-zhidaoyijian.{suffix}").unlink()
    dept = run(["new", "--issuer", "minhang-nongyenongcunwei", "--year", "2026", "--kind", "工作计划"], project)
    assert dept.returncode == 0 and "（区级部门文件）" in dept.stdout
    assert "\nlevel: department\narea: minhang\n" in (
        project / "data" / "documents" / "minhang-nongyenongcunwei-2026-gongzuojihua.yml"
    ).read_text("utf-8")
    for folder, suffix in (("documents", "yml"), ("fulltext", "txt")):
        (project / "data" / folder / f"minhang-nongyenongcunwei-2026-gongzuojihua.{suffix}").unlink()
    # an issuer whose level the registry does not say: nothing written, and where to say it
    before = sorted(p.name for p in (project / "data" / "documents").iterdir())
    result = run(["new", "--issuer", "minhang-hezuojiaoliuban", "--year", "2026"], project)
    assert result.returncode == 1 and "doc_level" in result.stdout and "data/units/minhang.yml" in result.stdout
    assert sorted(p.name for p in (project / "data" / "documents").iterdir()) == before


def test_new_rejects_an_unknown_issuer(project: Path) -> None:
    result = run(["new", "--issuer", "jingan-hezuojiaoliu", "--year", "2026"], project)
    assert result.returncode == 1
    assert "jingan-hezuojiaoliuban" in result.stdout


def test_slug() -> None:
    result = run(["slug", "加强组织领导"], ROOT)
    assert result.stdout.strip() == "jiaqiangzuzhilingdao"


def test_slug_reads_place_names_as_data_pinyin_yml_says() -> None:
    """闵行 is min hang (pypinyin says min xing); 长宁 stays chang ning after 年 (pypinyin reads 年长 first)."""
    assert run(["slug", "闵行区合作交流办"], ROOT).stdout.strip() == "minhangquhezuojiaoliuban"
    assert run(["slug", "2026年长宁区工作要点"], ROOT).stdout.strip() == "2026-nianchangningqugongzuoyaodian"


def test_committed_schemas_are_up_to_date() -> None:
    for name, sch in schemas().items():
        committed = json.loads((ROOT / "data" / "schema" / name).read_text(encoding="utf-8"))
        assert committed == sch, f"data/schema/{name} is stale: run python -m plansite schema"


def _plain(value):
    if isinstance(value, dict):
        return {("no" if k is False else str(k)): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def test_data_files_match_their_json_schema() -> None:
    pairs = [(p, "document.schema.json") for p in (ROOT / "data" / "documents").glob("*.yml")]
    pairs += [(p, "units.schema.json") for p in (ROOT / "data" / "units").glob("*.yml")]
    pairs += [
        (ROOT / "data" / f"{n}.yml", f"{n}.schema.json") for n in ("themes", "regions", "areas", "vocab", "search")
    ]
    for path, name in pairs:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), f"{path.name} has no schema modeline"
        assert first.endswith(name), f"{path.name} points at the wrong schema"
        sch = json.loads((ROOT / "data" / "schema" / name).read_text(encoding="utf-8"))
        errors = list(jsonschema.Draft202012Validator(sch).iter_errors(_plain(yaml.safe_load(path.read_text("utf-8")))))
        assert errors == [], f"{path.name}: {errors[0].message}"
