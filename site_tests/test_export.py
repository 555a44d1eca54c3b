"""Open data read back from the built site and compared with the model."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import openpyxl
import pytest

from conftest import ROOT
from plansite.export import FEED_ENTRIES, PLAN_FIELDS, POINT_FIELDS, TASK_FIELDS, Exporter
from plansite.pages import Site
from plansite.site import generate

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def built():
    b, report = generate(ROOT)
    assert b is not None, report.format()
    return b


def _csv(path: Path) -> list[dict]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), f"{path.name} has no UTF-8 BOM"
    return list(csv.DictReader(io.StringIO(raw[3:].decode("utf-8"))))


def _xlsx(path: Path) -> list[dict]:
    ws = openpyxl.load_workbook(path, read_only=True).active
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], ["" if v is None else str(v) for v in r])) for r in rows[1:]]


def test_plans_json_matches_schema_and_model(built_site: Path, built) -> None:
    plans = json.loads((built_site / "data" / "plans.json").read_text(encoding="utf-8"))
    schema = json.loads((built_site / "data" / "plans.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(plans)
    ds = built.dataset
    assert [d["id"] for d in plans["documents"]] == [d.id for d in ds.documents]
    for jd, doc in zip(plans["documents"], ds.documents):
        assert jd["doc_number"] == doc.doc_number and jd["title"] == doc.title
        assert [p["text"] for p in jd["points"]] == [p.text for p in doc.all_points]
        assert [p["lead_units"] for p in jd["points"]] == [
            [ds.unit(r.unit).name for r in p.lead] for p in doc.all_points
        ]
        assert [t["point"] for t in jd["tasks"]] == [t.point for t in doc.tasks]
        assert sum(p["counted"] for p in jd["points"]) == len(doc.points)
    # written a document at a time, yet exactly the compact JSON of the whole object
    raw = (built_site / "data" / "plans.json").read_bytes()
    assert raw == (json.dumps(json.loads(raw), ensure_ascii=False, separators=(",", ":")) + "\n").encode()
    assert (
        Exporter(built.site, "").plans_json()
        == (json.dumps(Exporter(built.site, "").plans(), ensure_ascii=False, separators=(",", ":")) + "\n").encode()
    )


def test_every_json_field_is_documented(built_site: Path) -> None:
    plans = json.loads((built_site / "data" / "plans.json").read_text(encoding="utf-8"))
    doc = plans["documents"][0]
    assert set(doc) == {n for n, _ in PLAN_FIELDS}
    assert set(doc["points"][0]) == {n for n, _ in POINT_FIELDS}
    with_tasks = next(d for d in plans["documents"] if d["tasks"])
    assert set(with_tasks["tasks"][0]) == {n for n, _ in TASK_FIELDS}
    page = (built_site / "data" / "index.html").read_text(encoding="utf-8")
    for name, _ in PLAN_FIELDS + POINT_FIELDS + TASK_FIELDS:
        assert f"<code>{name}</code>" in page
    # the schema describes each field in the words of the page
    schema = json.loads((built_site / "data" / "plans.schema.json").read_text(encoding="utf-8"))
    doc_props = schema["properties"]["documents"]["items"]["properties"]
    for props, fields in (
        (doc_props, PLAN_FIELDS),
        (doc_props["points"]["items"]["properties"], POINT_FIELDS),
        (doc_props["tasks"]["items"]["properties"], TASK_FIELDS),
    ):
        assert {n: p["description"] for n, p in props.items()} == dict(fields)


def test_csv_and_xlsx_hold_every_point_and_task(built_site: Path, built) -> None:
    ds = built.dataset
    points = _csv(built_site / "data" / "points.csv")
    assert [r["正文"] for r in points] == [p.text for d in ds.documents for p in d.all_points]
    assert _xlsx(built_site / "data" / "points.xlsx") == points
    tasks = _csv(built_site / "data" / "tasks.csv")
    assert [r["具体任务"] for r in tasks] == [t.text for d in ds.documents for t in d.tasks]
    assert _xlsx(built_site / "data" / "tasks.xlsx") == tasks


def test_xlsx_links_are_live_when_the_site_has_an_address(built) -> None:
    """With the site's address set (as on GitHub Pages) every 网址 cell of a table is a live link to that cell's
    address; the header stays frozen and filterable."""
    files = {f.path: f.content for f in Exporter(built.site, "https://example.org/plans/").files()}
    unit = "minhang-hezuojiaoliuban"
    for path in ("data/points.xlsx", "data/tasks.xlsx", f"data/units/{unit}.xlsx"):
        ws = openpyxl.load_workbook(io.BytesIO(files[path])).active
        header = [c.value for c in ws[1]]
        col = header.index("网址")
        rows = list(ws.iter_rows(min_row=2))
        assert rows and all(
            r[col].hyperlink is not None
            and r[col].hyperlink.target == r[col].value
            and r[col].value.startswith("https://example.org/plans/")
            for r in rows
        ), path
        assert (
            ws.freeze_panes == "A2"
            and ws.auto_filter.ref == f"A1:{ws.cell(1, len(header)).column_letter}{len(rows) + 1}"
        )


def test_view_files_hold_exactly_what_the_page_shows(built_site: Path, built) -> None:
    ds, ix = built.dataset, built.index
    for theme in ds.themes:
        rows = _csv(built_site / "data" / "themes" / f"{theme.id}.csv")
        assert [r["网址"].split("#")[1] for r in rows] == [p.id for _, p in ix.points_by_theme.get(theme.id, [])]
        html = (built_site / "themes" / theme.id / "index.html").read_text(encoding="utf-8")
        assert f"../../data/themes/{theme.id}.csv" in html and f"../../data/themes/{theme.id}.xlsx" in html
    unit = "minhang-hezuojiaoliuban"
    rows = _csv(built_site / "data" / "units" / f"{unit}.csv")
    assert list(rows[0]) == [
        "序号",
        "工作任务",
        "牵头/责任",
        "时限",
        "指标",
        "文件",
        "网址",
        "交给本单位的方式",
        "牵头单位",
        "责任单位",
        "对口地区",
    ]
    assert len(rows) == len(ix.by_unit[unit]) + len(ix.via_unit.get(unit, []))
    assert _xlsx(built_site / "data" / "units" / f"{unit}.xlsx") == rows
    # a 街镇's list holds what it is given by name and, marked, what is given to 各街镇 (it covers every 街镇)
    town = next(
        u for u in ds.units if not u.collective and ix.via_unit.get(u.id) and all(i.definite for i in ix.via_unit[u.id])
    )
    rows = _csv(built_site / "data" / "units" / f"{town.id}.csv")
    assert len(rows) == len(ix.by_unit.get(town.id, [])) + len(ix.via_unit[town.id])
    assert {r["交给本单位的方式"] for r in rows} >= {"点名"} | {
        f"交给“{ds.unit(i.via).name}”（包括本单位）" for i in ix.via_unit[town.id]
    }
    for area in ix.docs_by_area:
        rows = _csv(built_site / (built.site.download(built.site.area_kind(area), area) + ".csv"))
        assert len(rows) == sum(len(d.all_points) for d in ix.docs_by_area[area])
    for region in ix.docs_by_region:
        assert (built_site / "data" / "regions" / f"{region}.csv").exists()


def test_atom_feed_is_valid_and_newest_first(built_site: Path, built) -> None:
    root = ET.parse(built_site / "feed.xml").getroot()
    assert root.tag == f"{ATOM}feed"
    for tag in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{tag}") is not None
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == min(len(built.dataset.documents), FEED_ENTRIES)
    published = [e.find(f"{ATOM}published").text for e in entries]
    assert published == sorted(published, reverse=True)
    for e in entries:
        for tag in ("id", "title", "updated"):
            assert e.find(f"{ATOM}{tag}").text
        href = e.find(f"{ATOM}link").get("href")
        assert (built_site / href / "index.html").exists()
    html = (built_site / "index.html").read_text(encoding="utf-8")
    assert 'type="application/atom+xml"' in html


def test_atom_feed_holds_the_newest_documents_only(built) -> None:
    """However many documents there are, the feed has the FEED_ENTRIES newest (a reader polls it often)."""
    ds = built.dataset
    base = ds.documents[0]
    many = tuple(
        dataclasses.replace(base, id=f"{base.id}-{n:03d}", date=base.date + dt.timedelta(days=n))
        for n in range(FEED_ENTRIES + 20)
    )
    feed = Exporter(Site(dataclasses.replace(ds, documents=many), built.index)).atom()
    ids = [e.find(f"{ATOM}id").text for e in ET.fromstring(feed).findall(f"{ATOM}entry")]
    newest = [f"urn:plansite:document:{d.id}" for d in sorted(many, key=lambda d: d.date, reverse=True)]
    assert ids == newest[:FEED_ENTRIES]


def test_source_texts_are_published_as_received(built) -> None:
    """Each document's 原件文字版 is its data/sources/<id>.txt, byte for byte, linked from its page as a .txt file."""
    files = {f.path: f.content for f in Exporter(built.site, "").files()}
    for doc in built.dataset.documents:
        path = built.site.source_text(doc.id)
        assert path == f"data/sources/{doc.id}.txt"
        assert files[path] == (ROOT / "data" / "sources" / f"{doc.id}.txt").read_bytes()
