"""Synthetic data for the benchmark (tools.synth): valid, deterministic, the size asked for.

Not a timed test: the figures come from ``python -m tools.bench`` (see content/performance.md).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from plansite.pages import Site
from plansite.validate import validate_project
from tools.synth import generate

POINTS = 300


def _digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            h.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("synth")
    return out, generate(POINTS, out)


def test_synthetic_data_validates_clean(synthetic) -> None:
    out, summary = synthetic
    ds, report = validate_project(out)
    assert ds is not None, report.format()
    assert not report.diagnostics, report.format()
    assert sum(len(d.points) for d in ds.documents) == POINTS == summary["points"]
    assert sum(len(d.tasks) for d in ds.documents) == summary["tasks"] > 0


def test_synthetic_data_has_the_shape_of_the_real_data(synthetic) -> None:
    out, _ = synthetic
    ds, _ = validate_project(out)
    real, _ = validate_project(ROOT)
    districts = {a.id for a in real.areas if a.level == "district"}
    assert {d.area for d in ds.documents} == districts  # every district issues a plan
    assert {d.level for d in ds.documents} == {"district", "department"}
    assert any(u.parent for u in ds.units)  # departments' internal units
    points = [p for d in ds.documents for p in d.points]
    assert {t for p in points for t in p.themes} >= {t.id for t in real.themes if t.core}
    assert sum(len(p.targets) for p in points) and sum(len(p.deadlines) for p in points)
    assert all(d.id.isascii() and u.isascii() for d in ds.documents for u in (d.issuer,))
    assert len({d.id for d in ds.documents}) == len(ds.documents)


def test_synthetic_data_is_deterministic(synthetic, tmp_path: Path) -> None:
    out, _ = synthetic
    # a second run, in another process with another hash seed, writes the same bytes
    subprocess.run(
        [sys.executable, "-m", "tools.synth", "--points", str(POINTS), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
        timeout=300,
        env=os.environ | {"PYTHONHASHSEED": "12345", "PYTHONPATH": f"{ROOT / 'hooks'}:{ROOT}"},
        cwd=ROOT,
    )
    assert _digest(tmp_path / "data") == _digest(out / "data")


def test_synth_refuses_to_overwrite_other_data(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "areas.yml").write_text("areas: []\n", encoding="utf-8")
    with pytest.raises(SystemExit):
        generate(10, tmp_path)
    with pytest.raises(SystemExit):
        generate(10, ROOT)
    assert (tmp_path / "data" / "areas.yml").read_text(encoding="utf-8") == "areas: []\n"


def test_synthetic_xlsx_read_back_as_the_csv(synthetic, monkeypatch) -> None:
    """Every open-data table of the synthetic site (a sample of them) holds in its XLSX exactly the rows of its CSV."""
    import csv
    import io

    import openpyxl

    from plansite import export
    from plansite.index import build_index

    out, _ = synthetic
    ds, _ = validate_project(out)
    files = {f.path: f.content for f in export.Exporter(Site(ds, build_index(ds)), "https://example.org/").files()}
    tables = sorted(p for p in files if p.endswith(".xlsx"))
    assert len(tables) > 100
    for path in tables[:: max(1, len(tables) // 40)]:
        ws = openpyxl.load_workbook(io.BytesIO(files[path])).active
        got = [["" if v is None else v for v in row] for row in ws.iter_rows(values_only=True)]
        want = list(csv.reader(io.StringIO(files[path[:-5] + ".csv"][3:].decode("utf-8"), newline="")))
        assert got == want, path
        links = [c.hyperlink.target for row in ws.iter_rows(min_row=2) for c in row if c.hyperlink]
        assert links and all(u.startswith("https://example.org/") for u in links), path


def test_documents_validated_in_two_processes_give_the_same_result(synthetic, tmp_path: Path, monkeypatch) -> None:
    """A large project's documents are validated half in a forked process: the same dataset, and the
    same diagnostics in the same order, as in one process, with errors in both halves."""
    import shutil

    from plansite import validate

    out, _ = synthetic
    proj = tmp_path / "proj"
    shutil.copytree(out, proj)
    docs = sorted((proj / "data" / "documents").glob("*.yml"))
    assert len(docs) >= 8
    monkeypatch.setattr(validate, "PARALLEL_DOCUMENTS", 2)
    ds_one, ds_two = [], []
    for env, into in (("1", ds_one), ("0", ds_two)):
        monkeypatch.setenv("PLANSITE_NO_FORK", env)
        into.append(validate_project(proj)[0])
    assert ds_one[0] is not None and ds_one[0] == ds_two[0]
    for doc in (docs[0], docs[-1]):  # one in each half
        doc.write_text(doc.read_text(encoding="utf-8").replace("kind:", "kindd:", 1), encoding="utf-8")
    reports = []
    for env in ("1", "0"):
        monkeypatch.setenv("PLANSITE_NO_FORK", env)
        ds, report = validate_project(proj)
        assert ds is None
        reports.append(report.format())
    assert reports[0] == reports[1]
    assert docs[0].name in reports[0] and docs[-1].name in reports[0]
