"""Open data: the whole dataset as JSON, CSV and XLSX, a file per view, and an Atom feed.

Every file is built in memory from the same model the pages show and is byte-for-byte
deterministic (sorted, fixed timestamps), so the same data always gives the same files.
CSV is UTF-8 with a BOM so that Excel on a Chinese Windows opens it without garbling.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from xml.sax.saxutils import escape as xml_escape

from . import xlsx
from .model import LEVEL_NAMES, LEVELS, Deadline, Document, Point, Target, Task
from .pages import Site

SCHEMA_VERSION = "1.1"


def _obj(props: dict, required: list[str] | None = None) -> dict:
    return {"type": "object", "properties": props, "required": required or list(props), "additionalProperties": False}


_STR, _INT, _NUM, _BOOL = {"type": "string"}, {"type": "integer"}, {"type": "number"}, {"type": "boolean"}
_STRS = {"type": "array", "items": _STR}
_DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
_TARGET = _obj(
    {
        "phrase": _STR,
        "comparator": _STR,
        "value": _NUM,
        "unit": _STR,
        "counts": _STR,
        "per": _STR,
        "additive": _BOOL,
        "restates": _STR,
    }
)
_DEADLINE = _obj(
    {
        "phrase": _STR,
        "due": {"anyOf": [_DATE, {"type": "null"}]},
        "repeat": {"enum": ["monthly", "bimonthly", "quarterly", "yearly", None]},
        "day": {"type": ["integer", "null"]},
        "within_days": {"type": ["integer", "null"]},
        "after": {"type": ["string", "null"]},
    }
)
_TARGETS = {"type": "array", "items": _TARGET}
_DEADLINES = {"type": "array", "items": _DEADLINE}

# The fields of plans.json, each once: name, JSON Schema, what it holds (shown on the 数据 page and written into
# plans.schema.json as its description; the tests check both against the file).
_PLAN = [
    ("id", _STR, "文件 id（网址的一部分，不会改变）"),
    ("title", _STR, "文件标题"),
    ("kind", _STR, "文件类型"),
    ("issuer", _STR, "发文机关名称"),
    ("issuer_id", _STR, "发文机关单位 id"),
    ("level", {"enum": list(LEVELS)}, "层级：city / district / department"),
    ("doc_number", _STR, "发文字号"),
    ("date", _DATE, "成文日期（YYYY-MM-DD）"),
    ("printed", {"anyOf": [_DATE, {"type": "null"}]}, "印发日期（无则为 null）"),
    ("year", _INT, "年度"),
    ("district", _STR, "所属区（市级文件为“上海市”）"),
    ("district_id", _STR, "所属区域 id"),
    ("publicity", _STR, "公开属性（无则为空）"),
    ("regions", _STRS, "涉及的对口地区"),
    ("url", _STR, "文件页面网址"),
    ("original_url", _STR, "原文页面网址"),
    ("closing", _STRS, "正文后的结束语（如“本意见自印发之日起施行。”）"),
    ("points", None, "工作要点和条目（总体要求、保障措施等部分的条目，counted 为 false）"),
    ("tasks", None, "任务分解表的任务"),
]
_POINT = [
    ("id", _STR, "工作要点 id（页面锚点，不会改变）"),
    ("label", _STR, "原文编号"),
    ("title", _STR, "标题"),
    ("text", _STR, "正文（逐字照录，多段以换行分隔）"),
    ("counted", _BOOL, "是否计入工作要点（保障措施等条目为 false）"),
    ("section", _STRS, "所在章节标题（由外到内）"),
    ("units_text", _STR, "原文的单位文字"),
    ("lead_units", _STRS, "牵头单位（规范名称）"),
    ("responsible_units", _STRS, "责任单位（规范名称）"),
    ("themes", _STRS, "主题"),
    ("regions", _STRS, "对口地区"),
    (
        "targets",
        _TARGETS,
        "量化指标：phrase 原文、comparator 比较词、value 数值、unit 单位、counts 统计内容、per 按每个什么计"
        "（空则不是）、additive 可否与同一文件中统计内容、单位、比较词相同的指标相加、restates 任务重述的工作要点指标原文",
    ),
    ("deadlines", _DEADLINES, "时限：phrase 原文、due 日期 / repeat 周期 / within_days 天数"),
    ("url", _STR, "工作要点网址"),
]
_TASK = [
    ("id", _STR, "任务 id"),
    ("no", _INT, "序号"),
    ("area", _STR, "“工作要点”栏"),
    ("text", _STR, "具体任务（逐字照录）"),
    ("lead_units", _STRS, "牵头单位"),
    ("responsible_units", _STRS, "责任单位"),
    ("point", {"type": ["string", "null"]}, "所分解的工作要点 id（无则为 null）"),
    ("themes", _STRS, "主题"),
    ("regions", _STRS, "对口地区"),
    ("targets", _TARGETS, "量化指标"),
    ("deadlines", _DEADLINES, "时限"),
    ("url", _STR, "任务网址"),
]
PLAN_FIELDS = [(name, doc) for name, _, doc in _PLAN]
POINT_FIELDS = [(name, doc) for name, _, doc in _POINT]
TASK_FIELDS = [(name, doc) for name, _, doc in _TASK]


def _described(fields, **nested) -> dict:
    return _obj(
        {name: (nested[name] if schema is None else schema) | {"description": doc} for name, schema, doc in fields}
    )


PLANS_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "上海东西部协作和对口支援工作计划库 plans.json",
    **_obj(
        {
            "schema_version": _STR | {"description": "格式版本：小版本号增加表示只增加了字段"},
            "generated_from": _STR | {"description": "数据来源：本网站源代码仓库中的 data/ 目录"},
            "updated": _DATE | {"description": "数据更新日期"},
            "documents": {
                "type": "array",
                "description": "全部文件，新的在前",
                "items": _described(
                    _PLAN,
                    points={"type": "array", "items": _described(_POINT)},
                    tasks={"type": "array", "items": _described(_TASK)},
                ),
            },
        }
    ),
}

POINT_COLUMNS = [
    "文件id",
    "文件",
    "发文字号",
    "区",
    "年度",
    "编号",
    "标题",
    "正文",
    "牵头单位",
    "责任单位",
    "主题",
    "对口地区",
    "量化指标",
    "时限",
    "网址",
    "计入工作要点",
]
TASK_COLUMNS = [
    "文件id",
    "文件",
    "发文字号",
    "区",
    "年度",
    "序号",
    "方面",
    "具体任务",
    "牵头单位",
    "责任单位",
    "对应工作要点",
    "量化指标",
    "时限",
    "网址",
]
#: The columns of addresses: live links in the XLSX files (when the site has an absolute address).
LINK_COLUMNS = ("网址",)
UNIT_COLUMNS = [
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


@dataclass(frozen=True)
class OutFile:
    """A file of the built site: path relative to the site root and its bytes."""

    path: str
    content: bytes


@dataclass(frozen=True)
class Job:
    """Open-data files whose paths are known before their bytes: ``make()`` returns them."""

    paths: tuple[str, ...]
    make: Callable[[], list[OutFile]]


# Entries in the Atom feed: the newest documents (about half a year's at 10,000 work points).
FEED_ENTRIES = 50


class Exporter:
    """Builds every open-data file from the dataset and its index."""

    def __init__(
        self, site: Site, site_url: str = "", stamp: dt.date | None = None, added: dict[str, dt.date] | None = None
    ) -> None:
        self.site, self.ds, self.ix = site, site.ds, site.ix
        ds = self.ds
        # when each document was added to the site (its data file's first commit); its date when not known
        self.added = {d.id: (added or {}).get(d.source, d.printed or d.date) for d in ds.documents}
        self.base = site_url.rstrip("/") + "/" if site_url else ""
        self.stamp = stamp or max((d.date for d in ds.documents), default=dt.date(2000, 1, 1))
        self._sections: dict[str, dict] = {}

    # -- helpers ----------------------------------------------------------------
    def url(self, path: str) -> str:
        """A site URL: absolute when the site URL is known, else relative to the site root."""
        return self.base + path

    def unit_names(self, refs) -> list[str]:
        return [self.ds.unit(r.unit).name for r in refs]

    @staticmethod
    def target_dict(t: Target) -> dict:
        return {
            "phrase": t.phrase,
            "comparator": t.comparator,
            "value": t.value,
            "unit": t.unit,
            "counts": t.counts,
            "per": t.per,
            "additive": t.additive,
            "restates": t.restates,
        }

    @staticmethod
    def deadline_dict(d: Deadline) -> dict:
        return {
            "phrase": d.phrase,
            "due": d.due.isoformat() if d.due else None,
            "repeat": d.repeat,
            "day": d.day,
            "within_days": d.within_days,
            "after": d.after or None,
        }

    def point_url(self, doc: Document, anchor: str) -> str:
        return self.url(self.site.url("document", doc.id, anchor=anchor))

    def section_titles(self, doc: Document, p: Point) -> list[str]:
        by_id = self._sections.get(doc.id)
        if by_id is None:
            by_id = self._sections[doc.id] = {s.id: s for s in doc.walk_sections()}
        return [by_id[s].heading for s in p.section_path if s in by_id]

    # -- the whole dataset ----------------------------------------------------------
    def plans(self) -> dict:
        """The whole dataset as one JSON object (the content of data/plans.json)."""
        return self._plans_head() | {"documents": [self.plan_doc(doc) for doc in self.ds.documents]}

    def _plans_head(self) -> dict:
        return {"schema_version": SCHEMA_VERSION, "generated_from": "data/", "updated": self.stamp.isoformat()}

    def plans_json(self) -> bytes:
        """data/plans.json: ``plans()`` as compact JSON, made one document at a time (the whole dataset as
        Python objects takes several times the memory of its JSON). Strict JSON: a value JSON cannot hold (NaN,
        infinity, which Python writes as ``NaN``, ``Infinity``) is a ValueError, never written."""
        head = json.dumps(self._plans_head(), ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        docs = ",".join(
            json.dumps(self.plan_doc(doc), ensure_ascii=False, separators=(",", ":"), allow_nan=False)
            for doc in self.ds.documents
        )
        return (head[:-1] + ',"documents":[' + docs + "]}\n").encode()

    def plan_doc(self, doc: Document) -> dict:
        """One document of plans.json."""
        return {
            "id": doc.id,
            "title": doc.title,
            "kind": doc.kind,
            "issuer": self.ds.unit(doc.issuer).name,
            "issuer_id": doc.issuer,
            "level": doc.level,
            "doc_number": doc.doc_number,
            "date": doc.date.isoformat(),
            "printed": doc.printed.isoformat() if doc.printed else None,
            "year": doc.year,
            "district": self.ds.area(doc.area).name,
            "district_id": doc.area,
            "publicity": doc.publicity,
            "regions": [self.ds.region(r).name for r in doc.regions],
            "url": self.url(self.site.url("document", doc.id)),
            "original_url": self.url(self.site.url("original", doc.id)),
            "closing": list(doc.closing),
            "points": [
                {
                    "id": p.id,
                    "label": p.label,
                    "title": p.title,
                    "text": p.text,
                    "counted": p.counted,
                    "section": self.section_titles(doc, p),
                    "units_text": p.units_text,
                    "lead_units": self.unit_names(p.lead),
                    "responsible_units": self.unit_names(p.responsible),
                    "themes": [self.ds.theme(t).name for t in p.themes],
                    "regions": [self.ds.region(r).name for r in p.regions],
                    "targets": [self.target_dict(t) for t in p.targets],
                    "deadlines": [self.deadline_dict(d) for d in p.deadlines],
                    "url": self.point_url(doc, p.id),
                }
                for p in doc.all_points
            ],
            "tasks": [
                {
                    "id": t.id,
                    "no": t.no,
                    "area": t.area,
                    "text": t.text,
                    "lead_units": self.unit_names(t.lead),
                    "responsible_units": self.unit_names(t.responsible),
                    "point": t.point,
                    "themes": [self.ds.theme(x).name for x in t.themes],
                    "regions": [self.ds.region(r).name for r in t.regions],
                    "targets": [self.target_dict(x) for x in t.targets],
                    "deadlines": [self.deadline_dict(d) for d in t.deadlines],
                    "url": self.point_url(doc, t.id),
                }
                for t in doc.tasks
            ],
        }

    def point_row(self, doc: Document, p: Point) -> list[str]:
        return [
            doc.id,
            doc.title,
            doc.doc_number,
            self.ds.area(doc.area).name,
            str(doc.year),
            p.label,
            p.title,
            p.text,
            "、".join(self.unit_names(p.lead)),
            "、".join(self.unit_names(p.responsible)),
            "、".join(self.ds.theme(t).name for t in p.themes),
            "、".join(self.ds.region(r).name for r in p.regions),
            "；".join(t.phrase for t in p.targets),
            "；".join(d.phrase for d in p.deadlines),
            self.point_url(doc, p.id),
            "是" if p.counted else "否（条目）",
        ]

    def task_row(self, doc: Document, t: Task) -> list[str]:
        point = self.ix.point_by_id.get((doc.id, t.point)) if t.point else None
        return [
            doc.id,
            doc.title,
            doc.doc_number,
            self.ds.area(doc.area).name,
            str(doc.year),
            str(t.no),
            t.area,
            t.text,
            "、".join(self.unit_names(t.lead)),
            "、".join(self.unit_names(t.responsible)),
            point.heading if point else "",
            "；".join(x.phrase for x in t.targets),
            "；".join(d.phrase for d in t.deadlines),
            self.point_url(doc, t.id),
        ]

    # -- files --------------------------------------------------------------------
    def files(self) -> list[OutFile]:
        """Every open-data file, sorted by path."""
        return sorted((f for job in self.jobs() for f in job.make()), key=lambda f: f.path)

    def paths(self) -> list[str]:
        """The path of every open-data file, sorted, without making any of them."""
        return sorted(p for job in self.jobs() for p in job.paths)

    def jobs(self) -> list[Job]:
        """Every open-data file as a job: its paths are known at once, its bytes are made on demand."""
        ds, ix = self.ds, self.ix
        # plans.json is written compact: the indented form takes the pure-Python JSON encoder, several
        # times slower (the schema, small, stays indented)
        out = [
            Job(("data/plans.json",), lambda: [OutFile("data/plans.json", self.plans_json())]),
            Job(
                ("data/plans.schema.json",),
                lambda: [
                    OutFile(
                        "data/plans.schema.json",
                        (json.dumps(PLANS_SCHEMA, ensure_ascii=False, indent=1) + "\n").encode(),
                    )
                ],
            ),
        ]
        out.append(
            self._table_job(
                "data/points",
                POINT_COLUMNS,
                "工作要点",
                lambda: [self.point_row(d, p) for d in ds.documents for p in d.all_points],
            )
        )
        out.append(
            self._table_job(
                "data/tasks", TASK_COLUMNS, "任务", lambda: [self.task_row(d, t) for d in ds.documents for t in d.tasks]
            )
        )
        site = self.site
        for kind in ("city", "district"):
            for (area_id,) in sorted(site.keys(kind)):
                docs = ix.docs_by_area[area_id]
                out.append(
                    self._table_job(
                        site.download(kind, area_id),
                        POINT_COLUMNS,
                        "工作要点",
                        lambda docs=docs: [self.point_row(d, p) for d in docs for p in d.all_points],
                    )
                )
        index = site.compare_index()
        out.append(Job((index,), lambda: [OutFile(index, self.compare_index_json())]))
        for doc in ds.documents:
            path = site.compare_data(doc.id)
            out.append(Job((path,), lambda doc=doc, path=path: [OutFile(path, self.compare_json(doc))]))
            if doc.source_text:
                text = site.source_text(doc.id)
                out.append(Job((text,), lambda doc=doc, text=text: [OutFile(text, doc.source_text.encode("utf-8"))]))
        for (theme_id,) in site.keys("theme"):
            rows = ix.points_by_theme.get(theme_id, [])
            out.append(
                self._table_job(
                    site.download("theme", theme_id),
                    POINT_COLUMNS,
                    "工作要点",
                    lambda rows=rows: [self.point_row(d, p) for d, p in rows],
                )
            )
        for (region_id,) in site.keys("region"):
            rows = ix.points_by_region.get(region_id, [])
            out.append(
                self._table_job(
                    site.download("region", region_id),
                    POINT_COLUMNS,
                    "工作要点",
                    lambda rows=rows: [self.point_row(d, p) for d, p in rows],
                )
            )
        for (unit_id,) in site.keys("unit"):
            inv = ix.by_unit.get(unit_id, []) + ix.via_unit.get(unit_id, [])
            out.append(
                self._table_job(
                    site.download("unit", unit_id), UNIT_COLUMNS, "任务清单", lambda inv=inv: self.unit_rows(inv)
                )
            )
        out.append(Job(("feed.xml",), lambda: [OutFile("feed.xml", self.atom().encode())]))
        return out

    def compare_index_json(self) -> bytes:
        """The documents the compare page offers, in the site's order (newest year first): id, title, level, number,
        year and the path of its points by theme (relative to the site root)."""
        data = [
            {
                "id": d.id,
                "title": d.title,
                "level": LEVEL_NAMES[d.level],
                "doc_number": d.doc_number,
                "year": d.year,
                "data": self.site.compare_data(d.id),
            }
            for d in self.ds.documents
        ]
        return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")

    def compare_json(self, doc: Document) -> bytes:
        """A document's work points by theme, for the page that compares two plans: headings, links and lead
        units (the text is on the document page)."""
        themes: dict[str, list] = {}
        for p in doc.points:
            entry = {
                "heading": p.heading,
                "url": self.site.url("document", doc.id, anchor=p.id),
                "lead": "、".join(r.written for r in p.lead),
            }
            for t in p.themes:
                themes.setdefault(t, []).append(entry)
        data = {
            "id": doc.id,
            "title": doc.title,
            "themes": themes,
            "order": [{"id": t.id, "name": t.name} for t in self.ds.themes],
        }
        return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")

    def unit_rows(self, inv) -> list[list[str]]:
        """A unit's task list: one row per work point or task it leads or is responsible for, by name or through a
        collective name that covers it (said in the column 交给本单位的方式)."""
        rows = []
        for n, i in enumerate(inv, start=1):
            item = i.task or i.point
            label = f"任务 {i.task.no}：{i.task.text}" if i.task else f"{i.point.heading}：{i.point.text}"
            if not i.via:
                how = "点名"
            else:
                how = f"交给“{self.ds.unit(i.via).name}”（{'包括本单位' if i.definite else '可能涉及本单位'}）"
            rows.append(
                [
                    str(n),
                    label,
                    "牵头" if i.role == "lead" else "责任",
                    "；".join(d.phrase for d in item.deadlines),
                    "；".join(t.phrase for t in item.targets),
                    i.doc.title,
                    self.point_url(i.doc, item.id),
                    how,
                    "、".join(r.written for r in item.lead),
                    "、".join(r.written for r in item.responsible),
                    "、".join(self.ds.region(r).name for r in item.regions),
                ]
            )
        return rows

    def _table_job(self, stem: str, columns: list[str], sheet: str, rows) -> Job:
        return Job((f"{stem}.csv", f"{stem}.xlsx"), lambda: self.table(stem, columns, rows(), sheet))

    def table(self, stem: str, columns: list[str], rows: list[list[str]], sheet: str) -> list[OutFile]:
        """The same rows as CSV (UTF-8 with BOM) and XLSX (header frozen, autofilter, live links)."""
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(columns)
        writer.writerows(rows)
        return [
            OutFile(f"{stem}.csv", b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8")),
            OutFile(f"{stem}.xlsx", xlsx.workbook(columns, rows, sheet, self.stamp, links=LINK_COLUMNS)),
        ]

    def atom(self) -> str:
        """An Atom feed of the newest FEED_ENTRIES documents, newest first by when they were added to the site (an
        older plan added today is news); each entry gives the document's own dates (a reader polls it again and
        again: it should not grow with the years; every document is in plans.json and on the documents page)."""
        docs = sorted(self.ds.documents, key=lambda d: (self.added[d.id], d.date, d.id), reverse=True)[:FEED_ENTRIES]
        updated = f"{max([self.stamp, *self.added.values()]).isoformat()}T00:00:00Z"
        lines = [
            '<?xml version="1.0" encoding="utf-8"?>',
            '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh">',
            "  <title>上海东西部协作和对口支援工作计划库：文件</title>",
            "  <id>urn:plansite:feed:documents</id>",
            f"  <updated>{updated}</updated>",
            f'  <link rel="self" href="{xml_escape(self.url("feed.xml"))}"/>',
            f'  <link rel="alternate" type="text/html" href="{xml_escape(self.url(self.site.url("documents")))}"/>',
            "  <author><name>上海东西部协作和对口支援工作计划库</name></author>",
        ]
        for d in docs:
            issuer = self.ds.unit(d.issuer).name
            printed = f"，{d.printed.year}年{d.printed.month}月{d.printed.day}日印发" if d.printed else ""
            summary = (
                f"{issuer} {d.doc_number}，成文日期 {d.date.year}年{d.date.month}月{d.date.day}日{printed}，"
                f"工作要点 {len(d.points)} 条。"
            )
            added = f"{self.added[d.id].isoformat()}T00:00:00Z"
            lines += [
                "  <entry>",
                f"    <title>{xml_escape(d.title)}</title>",
                f"    <id>urn:plansite:document:{d.id}</id>",
                f'    <link rel="alternate" type="text/html" href="{xml_escape(self.url(self.site.url("document", d.id)))}"/>',
                f"    <published>{added}</published>",
                f"    <updated>{added}</updated>",
                f"    <summary>{xml_escape(summary)}</summary>",
                "  </entry>",
            ]
        lines.append("</feed>")
        return "\n".join(lines) + "\n"
