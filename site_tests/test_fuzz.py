"""The mutation fuzz test (site_tests/fuzz.py) at CI size, a few of its accepted mutants built for real, and the
fuzzer's own checks shown to fail when the site does not say what the YAML says.

CI size: seed 20, ``CI_MUTANTS`` mutants in two worker processes (the fixed corpus of issue 20's classes, then
random ones), about a minute on two cores; a larger run is ``python site_tests/fuzz.py --mutants 5000``.
"""

from __future__ import annotations

import dataclasses
import shutil
import time
from pathlib import Path

import pytest

import fuzz
from conftest import ROOT
from plansite.errors import Diagnostic, Report
from plansite.validate import validate_project

CI_MUTANTS = 300


@pytest.fixture(scope="module")
def fuzzed() -> tuple[list[dict], list[str]]:
    start = time.perf_counter()
    results, failures = fuzz.run(fuzz.SEED, CI_MUTANTS, jobs=2)
    print(fuzz.summary(results, time.perf_counter() - start))  # shown with pytest -s; not asserted
    return results, failures


def test_no_mutant_crashes_hangs_escapes_or_drops_anything(fuzzed) -> None:
    results, failures = fuzzed
    assert failures == [], "\n".join(failures[:20])
    assert [r["i"] for r in results] == list(range(CI_MUTANTS))  # every mutant ran to its end


def test_the_corpus_covers_every_class_and_random_mutants_go_both_ways(fuzzed) -> None:
    results, _ = fuzzed
    corpus = [r for r in results if r["op"].startswith("class-")]
    assert len(corpus) >= 50
    assert [r["op"] for r in corpus if r["accepted"]] == ["class-redirect-legitimate"]
    rest = [r for r in results if not r["op"].startswith("class-")]
    assert 0.05 < sum(r["accepted"] for r in rest) / len(rest) < 0.6  # the site checks ran on a real share
    assert {r["op"].split("-")[0] for r in rest} >= {
        "hostile",
        "other",
        "line",
        "item",
        "fulltext",
        "contradict",
        "redirect",
        "file",
        "encoding",
    }


@pytest.mark.build
def test_accepted_mutants_build_cleanly_for_real(fuzzed, tmp_path: Path) -> None:
    results, _ = fuzzed
    picks = fuzz.pick_builds(results, fuzz.BUILDS)
    assert len(picks) == fuzz.BUILDS
    for i in picks:
        work = tmp_path / str(i)
        work.mkdir()
        assert fuzz.build_check(fuzz.SEED, i, work) == [], f"mutant {i}"


def test_mutants_are_deterministic() -> None:
    base = fuzz.Base(ROOT)
    for i in (0, 60, 123, 299):
        a, b = fuzz.make(base, fuzz.SEED, i), fuzz.make(base, fuzz.SEED, i)
        assert (a.op, a.what, a.edits) == (b.op, b.what, b.edits)
    assert (
        fuzz.make(base, 1, 200).edits != fuzz.make(base, 2, 200).edits
        or fuzz.make(base, 1, 201).edits != fuzz.make(base, 2, 201).edits
    )


# ---- the fuzzer's checks fail when they should ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def real() -> tuple:
    ds, report = validate_project(ROOT)
    assert ds is not None, report.format()
    return ds


def _site_problems(ds, tmp_path: Path) -> list[str]:
    work = fuzz.copy_project(tmp_path / "work")
    sandbox = tmp_path / "sandbox"
    sandbox.mkdir()
    return fuzz.check_site(ds, work, sandbox)


def test_site_check_passes_the_real_data(real, tmp_path: Path) -> None:
    assert _site_problems(real, tmp_path) == []


def test_site_check_finds_a_dropped_document(real, tmp_path: Path) -> None:
    ds = dataclasses.replace(real, documents=real.documents[1:])
    assert any(f"document {real.documents[0].id} is not in plans.json" in p for p in _site_problems(ds, tmp_path))


def _with(ds, doc):
    return dataclasses.replace(ds, documents=tuple(doc if d.id == doc.id else d for d in ds.documents))


def test_site_check_finds_a_dropped_point(real, tmp_path: Path) -> None:
    doc = next(d for d in real.documents if not d.tasks)
    section = next(s for s in doc.walk_sections() if len(s.points) > 1)

    def drop(sec):
        if sec.id == section.id:
            return dataclasses.replace(sec, points=sec.points[:-1])
        return dataclasses.replace(sec, sections=tuple(drop(c) for c in sec.sections))

    ds = _with(real, dataclasses.replace(doc, parts=tuple(drop(p) for p in doc.parts)))
    assert any(p.startswith(f"{doc.id}: points") for p in _site_problems(ds, tmp_path))


def test_site_check_finds_a_dropped_unit(real, tmp_path: Path) -> None:
    doc = next(d for d in real.documents if d.tasks)
    annex = doc.annexes[0]
    task = next(t for t in annex.tasks if t.lead)
    tasks = tuple(dataclasses.replace(t, lead=()) if t is task else t for t in annex.tasks)
    ds = _with(real, dataclasses.replace(doc, annexes=(dataclasses.replace(annex, tasks=tasks), *doc.annexes[1:])))
    assert any(p.startswith(f"{doc.id} task {task.id}: plans.json") for p in _site_problems(ds, tmp_path))


def test_report_check_finds_english_bad_positions_and_a_missed_line(tmp_path: Path) -> None:
    work = fuzz.copy_project(tmp_path / "work")
    m = fuzz.Mutant(0, "x", "", {}, "local", "data/areas.yml", 3)
    report = Report(
        [Diagnostic("data/areas.yml", 3, 1, "E102", "YAML 语法错误：expected <block end>, but found '-'", "提示")]
    )
    assert any("English" in p for p in fuzz.check_report(report, m, work))
    report = Report([Diagnostic("data/areas.yml", 9999, 1, "E131", "文本中含有 HTML", "提示")])
    problems = fuzz.check_report(report, m, work)
    assert any("line after the end" in p for p in problems) and any(
        "no error at data/areas.yml:3" in p for p in problems
    )
    report = Report([Diagnostic("data/areas.yml", 3, 1, "E999", "something", "hint")])
    assert len(fuzz.check_report(report, m, work)) == 3  # unknown code, message and hint not in Chinese
    shutil.rmtree(work)


@pytest.mark.parametrize(
    "url,base,bad",
    [
        ("../units/x/", "documents/y", False),
        ("#a", "documents/y", False),
        ("x.md#a", "", False),
        ("https://evil.example/", "", True),
        ("//evil.example/", "a", True),
        ("..\\evil/", "a", True),
        ("../../x/", "a", True),
        ("javascript:alert(1)", "", True),
        ("/x/", "a", True),
    ],
)
def test_link_check(url: str, base: str, bad: bool) -> None:
    assert bool(fuzz.link_problem(url, base)) == bad
