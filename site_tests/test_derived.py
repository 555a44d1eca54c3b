"""Every figure and list the site derives is one a reader can quote (issue 18).

Target totals only add what adds (same document, quantity, unit and comparator; never a rate, a per-unit
figure or a task's restatement of its point's target), each total shows its parts; unit pages count work
points and annex tasks apart and show the work given to collective names that cover the unit; deadlines
say when an annex task's date differs from its point's text or falls before the plan was issued; region
pages have one row per work point; and no page has an empty section, or text that became a heading.
Checked on the real data and on the 10,000-point synthetic data.
"""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import ROOT
from plansite.index import build_index
from plansite.pages import Site
from plansite.render import Renderer
from plansite.site import generate
from plansite.validate import validate_project
from tools.synth import generate as synthesize

MINHANG_2022 = "minhang-2022-gongzuoyaodian"


@pytest.fixture(scope="module")
def real():
    built, report = generate(ROOT)
    assert built is not None, report.format()
    return built


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """The 10,000-point synthetic data (tools.synth), validated, indexed and rendered."""
    out = tmp_path_factory.mktemp("synth10k")
    synthesize(10_000, out)
    ds, report = validate_project(out)
    assert ds is not None, report.format()
    ix = build_index(ds)
    site = Site(ds, ix)
    renderer = Renderer(site, ROOT / "templates")
    return ds, ix, {spec.path: renderer.render(spec).markdown for spec in site.plan()}


# ---- targets --------------------------------------------------------------------------------------------


def _check_totals(ds, ix) -> int:
    """No total mixes documents, units, quantities or comparators, sums a rate, a per-unit figure or a
    restatement, or is a 'total' of one; every target is in exactly one role; a total is the sum of its parts."""
    n = 0
    for doc_id, totals in ix.target_totals.items():
        for total in totals:
            n += 1
            parts = [t for _, _, t in total.parts]
            assert len(parts) >= 2
            assert {(t.counts, t.unit, t.comparator) for t in parts} == {(total.counts, total.unit, total.comparator)}
            assert not any(t.rate or t.per or t.restates or not t.additive for t in parts)
            assert all((task or point).doc == doc_id for point, task, _ in total.parts)
            assert total.value == pytest.approx(sum(t.value for t in parts))
    for row in ix.targets:
        t = row.target
        assert row.role in {"restates", "rate", "per", "sum", "single", "apart"}
        assert (row.role == "sum") == (row.total is not None)
        if row.role == "restates":
            assert row.task is not None and row.restated in row.point.targets
            assert (row.restated.value, row.restated.unit) == (t.value, t.unit)
        if t.rate or t.per:
            assert row.role in {"rate", "per", "restates"}
    return n


def test_real_totals_add_only_what_adds(real) -> None:
    ix = real.index
    assert _check_totals(real.dataset, ix) >= 1
    roles = {(r.doc.id, (r.task or r.point).id, r.target.phrase): r.role for r in ix.targets}
    # 两率 is a rate: shown, never added (the old page added it to itself: 180 %)
    assert roles[(MINHANG_2022, "mingquexiangmuzeren", "两率（投资完成率、资金拨付使用率)不低于90%")] == "rate"
    assert roles[(MINHANG_2022, "t08", "两率（投资完成率、资金拨付使用率）不低于90%")] == "restates"
    # each town's 300万元 is per town, and the annex task restates it (the old page said 600)
    assert (
        roles[
            (MINHANG_2022, "chixukuodaxiaofeibangfucaigouguimo", "每个镇（含莘庄工业区）动员企业采购总量不低于300万元")
        ]
        == "per"
    )
    assert roles[(MINHANG_2022, "t19", "动员企业采购总量不低于300万元")] == "restates"
    assert not ix.target_totals.get(MINHANG_2022)
    # the one honest total of the real data: villages paired in three places, 92 + 100 + 123
    (total,) = ix.target_totals["songjiang-2021-shishiyijian"]
    assert (total.value, total.unit, len(total.parts)) == (315, "个", 3)


def test_the_targets_page_shows_each_total_with_its_parts(real) -> None:
    page = _page(real, "targets/2021.md")
    assert "**315 个**，由 3 项组成" in page
    assert page.count("西双版纳州乡村92个") == 2  # its row, and its mention in the total
    page = _page(real, "targets/2022.md")
    assert "合计：" not in page and "180" not in page and "600" not in page
    assert "比率，不相加" in page and "按“每个镇（含莘庄工业区）”计，不相加" in page
    assert page.count("只计一次") == sum(1 for r in real.index.targets if r.doc.year == 2022 and r.role == "restates")


def test_synthetic_totals_add_only_what_adds(synthetic) -> None:
    ds, ix, _ = synthetic
    assert _check_totals(ds, ix) > 10
    assert {r.role for r in ix.targets} == {"restates", "rate", "per", "sum", "single", "apart"}


# ---- units ----------------------------------------------------------------------------------------------


def test_unit_counts_keep_points_and_tasks_apart(real) -> None:
    ix = real.index
    d = ix.duties["minhang-rensheju"]
    assert (d.lead_points, d.lead_broken, d.lead_other, d.resp_points) == (4, 4, 0, 0)
    page = _page(real, "units/minhang-rensheju.md")
    assert "牵头 4 条工作要点（任务分解表中分解为 4 项任务）" in page
    assert "牵头 8 项" not in page
    office = ix.duties["minhang-hezuojiaoliuban"]
    doc = real.dataset.document(MINHANG_2022)
    led = [p for p in doc.points if any(r.unit == "minhang-hezuojiaoliuban" for r in p.lead)]
    assert office.lead_points == len(led)
    assert office.lead_broken + office.lead_other == sum(
        1 for t in doc.tasks if any(r.unit == "minhang-hezuojiaoliuban" for r in t.lead)
    )


def test_work_given_to_collectives_reaches_the_units_they_cover(real) -> None:
    ds, ix = real.dataset, real.index
    towns = {i.via for i in ix.via_unit["minhang-xinzhuanggongyequ"]}
    assert towns == {"minhang-gejiezhen"} and all(i.definite for i in ix.via_unit["minhang-xinzhuanggongyequ"])
    page = _page(real, "units/minhang-xinzhuanggongyequ.md")
    assert "## 交给“各街镇”的工作（包括本单位）" in page
    # 相关委办局: some 委办局, not named: "may concern" every 委办局 of the district, labelled so
    finance = [i for i in ix.via_unit["minhang-caizhengju"] if i.via == "minhang-xiangguanweibanju"]
    assert finance and not any(i.definite for i in finance)
    assert "（可能涉及本单位）" in _page(real, "units/minhang-caizhengju.md")
    # 各成员单位: members not known: said on the district's unit pages, with a link, never listed as theirs
    assert "minhang-gechengyuandanwei" in ix.unknown_collectives[("minhang", None)]
    assert not any(i.via == "minhang-gechengyuandanwei" for v in ix.via_unit.values() for i in v)
    page = _page(real, "units/minhang-rensheju.md")
    assert "[各成员单位](minhang-gechengyuandanwei.md)" in page and "本单位是否在内不能确定" in page
    task3 = next(t for t in ds.document(MINHANG_2022).tasks if t.no == 3)
    assert [r.unit for r in task3.lead] == ["minhang-gechengyuandanwei"]


# ---- deadlines ------------------------------------------------------------------------------------------


def test_deadlines_say_when_the_table_and_the_text_differ(real) -> None:
    ix = real.index
    (row,) = [
        r
        for r in ix.deadlines
        if r.task is not None
        and r.task.id == "t08"
        and r.doc.id == MINHANG_2022
        and r.deadline.due == dt.date(2022, 3, 31)
    ]
    assert row.early and {d.due for d in row.differs} == {dt.date(2022, 7, 20), dt.date(2022, 12, 31)}
    same = [
        r for r in ix.deadlines if r.task is not None and r.task.id == "t08" and r.deadline.due == dt.date(2022, 12, 31)
    ]
    assert same and not same[0].differs and not same[0].early
    page = _page(real, "deadlines/2022.md")
    march = page.split("## 2022年3月", 1)[1].split("## ", 1)[0]
    assert "与正文时限不同" in march and "早于文件印发日期" in march and "于7月20日前" in march
    assert "与正文时限不同" in _page(real, "units/minhang-hezuojiaoliuban.md")


# ---- one row per item, no empty sections ----------------------------------------------------------------


def test_region_pages_have_one_row_per_point(real) -> None:
    ix = real.index
    for (rid, year), path in [(("baoshanshi", 2022), "regions/baoshanshi/2022.md")]:
        rows = [(d, p) for d, p in ix.points_by_region[rid] if d.year == year]
        page = _page(real, path)
        assert page.count("<tr><td>") == len(rows) == len({(d.id, p.id) for d, p in rows})
        assert "<th>主题</th>" in page


_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_ATX = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t]*(?:\{[^}]*\})?[ \t]*$")


def structure_problems(path: str, markdown: str) -> list[str]:
    """Text that would become a heading, empty headings and sections with nothing under them."""
    lines = markdown.split("\n")
    start = 0
    if lines[0] == "---":  # front matter
        start = lines.index("---", 1) + 1
    out = []
    headings = []  # (line number, level)
    for n in range(start, len(lines)):
        line = lines[n]
        if _SETEXT.match(line) and n > start and lines[n - 1].strip() and not lines[n - 1].startswith("<"):
            out.append(f"{path}:{n + 1}: the line before {line!r} becomes a heading: {lines[n - 1][:40]!r}")
        m = _ATX.match(line)
        if m:
            if not m.group(2).strip():
                out.append(f"{path}:{n + 1}: empty heading")
            headings.append((n, len(m.group(1))))
    for (n, level), nxt in zip(headings, [*headings[1:], (len(lines), 0)]):
        section = lines[n + 1 : nxt[0]]
        if "---" in section:  # a thematic break (the footer) ends the section
            section = section[: section.index("---")]
        body = [x for x in section if x.strip() and not x.startswith("{:")]
        if not body and nxt[1] <= level:
            out.append(f"{path}:{n + 1}: section with nothing under it: {lines[n][:40]!r}")
    return out


def test_no_generated_page_has_a_stray_or_empty_heading(real, synthetic) -> None:
    pages = {p.path: real.renderer.render(p).markdown for p in real.plan}
    problems = [x for path, md in pages.items() for x in structure_problems(path, md)]
    problems += [x for path, md in synthetic[2].items() for x in structure_problems(path, md)]
    assert problems == [], problems[:10]


def test_structure_check_catches_the_old_district_page() -> None:
    old = "# 闵行区\n\n## 涉及单位\n\n[甲](a.md)、[乙](b.md)\n---\n\n<p>footer</p>\n"
    assert any("becomes a heading" in p for p in structure_problems("x.md", old))
    assert any("nothing under it" in p for p in structure_problems("x.md", "# 松江区\n\n## 涉及单位\n\n---\n"))
    assert structure_problems("x.md", "---\ntitle: x\n---\n\n# x\n\n正文\n\n---\n\n<p>f</p>\n") == []


class _Headings(HTMLParser):
    """The headings inside the page's article (MkDocs' content), with their text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # inside <article>
        self.current: list[str] | None = None
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "article":
            self.depth += 1
        elif self.depth and re.fullmatch(r"h[1-6]", tag):
            self.current = []
        elif tag == "a" and self.current is not None and ("class", "headerlink") in attrs:
            self.current.append("\0")  # the permalink: not part of the heading's text

    def handle_endtag(self, tag):
        if tag == "article":
            self.depth -= 1
        elif re.fullmatch(r"h[1-6]", tag) and self.current is not None:
            self.found.append("".join(self.current).split("\0")[0].strip())
            self.current = None

    def handle_data(self, data):
        if self.current is not None:
            self.current.append(data)


def test_every_heading_of_the_built_site_comes_from_a_template_heading(real, built_site: Path) -> None:
    """Each generated page has exactly the headings its Markdown writes with '#', none empty: a list or a
    table line that became a heading (as the district pages' unit list once did) would be one more."""
    from plansite.urls import page_url

    checked = 0
    for spec in real.plan:
        md = real.renderer.render(spec).markdown
        expected = [m.group(2) for line in md.split("\n") if (m := _ATX.match(line))]
        html = built_site / page_url(spec.path) / "index.html"
        parser = _Headings()
        parser.feed(html.read_text(encoding="utf-8"))
        assert len(parser.found) == len(expected), (spec.path, parser.found, expected)
        assert all(parser.found), (spec.path, parser.found)
        checked += 1
    assert checked == len(real.plan) > 100


def _page(built, path: str) -> str:
    (spec,) = [s for s in built.plan if s.path == path]
    return built.renderer.render(spec).markdown


_FENCE = re.compile(r"^\s*(```|~~~)")


def test_hand_written_pages_have_their_headings_and_code_blocks(built_site: Path) -> None:
    """A page of content/ has exactly the headings its Markdown writes (outside code blocks) and shows its code
    blocks as code: a code block in a list item that Markdown did not see as one (the 编辑指南's examples once
    were) shows its backticks as text and turns a YAML comment into a heading."""
    from plansite.urls import page_url

    checked = 0
    for md_path in sorted((ROOT / "content").glob("*.md")):
        expected, fenced = [], False
        for line in md_path.read_text(encoding="utf-8").split("\n"):
            if _FENCE.match(line):
                fenced = not fenced
            elif not fenced and (m := _ATX.match(line)):
                expected.append(m.group(2))
        html = (built_site / page_url(md_path.name) / "index.html").read_text(encoding="utf-8")
        parser = _Headings()
        parser.feed(html)
        assert len(parser.found) == len(expected), (md_path.name, parser.found, expected)
        assert "```" not in html and "~~~" not in html, md_path.name
        checked += 1
    assert checked >= 6
