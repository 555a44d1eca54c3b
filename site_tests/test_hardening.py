"""Issue 20's classes that a rule case alone does not pin: messages never in English, nothing read through a link,
no deep recursion, strict JSON, redirect pages written only inside the site with the site's CSP.

(Each rule has its case in cases/rules.yml; the mutation fuzz test, test_fuzz.py, runs every class again on the
real data in a separate process, with a bound on time, so that a hang or a crash is caught too.)
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from conftest import ROOT, make_project
from fuzz import _CJK, _ENGLISH, _QUOTED
from plansite import postbuild
from plansite.errors import Report
from plansite.export import Exporter
from plansite.index import build_index
from plansite.load import MAX_DEPTH, load_text
from plansite.pages import Site
from plansite.validate import Validator, validate_project

BROKEN_YAML = [
    "a: [b",
    "a: 'b",
    'a: "b',
    'a: "\\q"',
    'a: "\\x4"',
    "a: b\n- c",
    "%YAML 2.0\n---\na: b",
    "%YAML 1.1\n%YAML 1.1\n---\na: b",
    "a: *nosuch",
    "---\na: 1\n---\nb: 2",
    "a: 1\n...\nb: 2",
    "a: !<tag b",
    "a: |9x\n  b",
    "a: |0\n  b",
    "a: b: c",
    "{a: 1",
    "- a\nb: c",
    "a: @b",
    "a: `b",
    "a: b\n c: d",
    "a:\n  - b\n c",
    "a: !!\nb: c",
    "? [a\n: b",
    "a: >-+\n  x",
    "'a\n---\nb'",
    "a: {b: [c}",
    "a: [b, {c: d]",
    "  a: b\nc: d",
    "a: !foo!bar b",
    "a:\tb",
    "a\n  b: c",
    "[a]: b\n[c",
    "a: |\n  b\n c: d",
]


@pytest.mark.parametrize("text", BROKEN_YAML)
def test_yaml_errors_are_chinese_and_located(text: str) -> None:
    report = Report()
    load_text("x.yml", text.encode(), report)
    assert report.errors, text
    lines = text.split("\n")
    for d in report.errors:
        assert _CJK.search(d.message) and _CJK.search(d.hint), d.message
        assert not _ENGLISH.search(_QUOTED.sub("", d.message)), d.message
        assert 1 <= d.line <= len(lines) and 1 <= d.col <= len(lines[d.line - 1]) + 1, (text, d)


def test_nesting_is_bounded_without_recursion() -> None:
    for depth in (MAX_DEPTH + 1, 500, 20_000):
        report = Report()
        src = load_text("x.yml", ("a: " + "[" * depth + "b" + "]" * depth).encode(), report)
        assert src.root is None
        assert [(d.code, d.line, d.col) for d in report.errors] == [
            ("E126", 1, 3 + MAX_DEPTH)
        ]  # the bracket one too deep
    report = Report()
    assert load_text("x.yml", ("a: " + "[" * (MAX_DEPTH - 1) + "b" + "]" * (MAX_DEPTH - 1)).encode(), report).root
    assert report.errors == []


def test_a_file_over_the_size_limit_is_not_read(tmp_path: Path) -> None:
    from plansite.load import MAX_FILE_BYTES, read_data

    report = Report()
    assert load_text("x.yml", b"a: " + b"b" * MAX_FILE_BYTES, report).root is None
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * (MAX_FILE_BYTES + 1))
    assert read_data(path, tmp_path, report) is None
    assert [(d.file, d.code, d.line, d.col) for d in report.errors] == [
        ("big.txt", "E125", 1, 1),
        ("x.yml", "E125", 1, 1),
    ]
    assert "最多 1 MB" in report.errors[0].message


def test_a_link_out_of_the_repository_is_never_read(tmp_path: Path) -> None:
    proj = make_project(tmp_path)
    secret = tmp_path / "outside.yml"
    secret.write_text("area: jingan\nunits:\n  - {id: geheim-0a1b2c, name: 机密单位, kind: 委办局}\n", encoding="utf-8")
    (proj / "data" / "units" / "zz-secret.yml").symlink_to(secret)
    outside_dir = tmp_path / "elsewhere"
    outside_dir.mkdir()
    (outside_dir / "zz.yml").write_text(
        "area: jingan\nunits: [{id: geheim-3d4e, name: 机密, kind: 委办局}]\n", encoding="utf-8"
    )
    (proj / "data" / "fulltext").rename(proj / "fulltext-real")
    (proj / "data" / "fulltext").symlink_to(proj / "fulltext-real")
    ds, report = validate_project(proj)
    text = report.format()
    assert ds is None and "geheim" not in text and "机密" not in text
    assert {(d.file, d.code) for d in report.errors} == {
        ("data/units/zz-secret.yml", "E122"),
        ("data/fulltext", "E122"),
    }


def test_readings_that_are_wrong_are_not_used(tmp_path: Path) -> None:
    proj = make_project(tmp_path)
    path = proj / "data" / "pinyin.yml"
    path.write_text(
        path.read_text(encoding="utf-8") + "  静安: jin\n  测试: ce shi\n  错误: cuo wu2\n", encoding="utf-8"
    )
    v = Validator(proj)
    readings = v.readings()
    assert readings["测试"] == "ce shi" and "静安" not in readings and "错误" not in readings
    assert [d.code for d in v.report.errors] == ["E128", "E128"]


def test_plans_json_is_strict_json() -> None:
    ds, _ = validate_project(ROOT)
    doc = next(d for d in ds.documents if any(p.targets for p in d.all_points))
    point = next(p for p in doc.all_points if p.targets)
    bad = dataclasses.replace(point, targets=(dataclasses.replace(point.targets[0], value=float("inf")),))

    def swap(sec):
        return dataclasses.replace(
            sec,
            points=tuple(bad if p.id == point.id else p for p in sec.points),
            sections=tuple(swap(c) for c in sec.sections),
        )

    doc2 = dataclasses.replace(doc, parts=tuple(swap(p) for p in doc.parts))
    ds2 = dataclasses.replace(ds, documents=tuple(doc2 if d.id == doc.id else d for d in ds.documents))
    with pytest.raises(ValueError):
        Exporter(Site(ds2, build_index(ds2))).plans_json()  # never "Infinity", which strict JSON parsers reject


# ---- redirect pages ------------------------------------------------------------------------------------------


def _site_csp() -> str:
    """The site's policy (overrides/main.html) with the theme's script hashes left out."""
    main = (ROOT / "overrides" / "main.html").read_text(encoding="utf-8")
    content = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', main, re.S).group(1)
    content = re.sub(r"\{%-? for h in csp_script_hashes %\}.*?\{% endfor %\}", "", content, flags=re.S)
    return re.sub(r"\s+;", ";", " ".join(content.split()))


def test_redirect_pages_carry_the_sites_policy(tmp_path: Path) -> None:
    from test_html import scan_page

    site = tmp_path / "site"
    (site / "units" / "new").mkdir(parents=True)
    (written,) = postbuild.write_redirects([("units/old/", "units/new/"), ("documents/a/#x", "documents/a/#y")], site)
    html = written.read_text(encoding="utf-8")
    assert f'content="{_site_csp()}"' in html.replace("&#x27;", "'")
    assert postbuild.STUB_CSP == _site_csp()
    assert scan_page(html) == []
    assert 'url=../new/"' in html


@pytest.mark.parametrize(
    "old", ["../outside/", "../../outside/", "units/../../x/", "sitemap.xml/", "/abs/", "a\\b/", "units/old"]
)
def test_redirect_pages_are_never_written_outside_the_site(tmp_path: Path, old: str) -> None:
    site = tmp_path / "deep" / "site"
    site.mkdir(parents=True)
    with pytest.raises(RuntimeError, match="跳转"):
        postbuild.write_redirects([(old, "units/x/")], site)
    assert [p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")] == ["deep", "deep/site"]


def test_a_redirect_from_a_page_stops_with_a_message(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "units" / "old").mkdir(parents=True)
    (site / "units" / "old" / "index.html").write_text("page", encoding="utf-8")
    with pytest.raises(RuntimeError, match="仍是一个页面"):
        postbuild.write_redirects([("units/old/", "units/new/")], site)
    assert (site / "units" / "old" / "index.html").read_text(encoding="utf-8") == "page"
