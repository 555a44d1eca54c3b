"""The real data: it validates, it has the documented counts, and it is faithful to the sources.

Each document's source text as received is kept in data/sources/<id>.txt, so the full-text-versus-source
comparison needs only the repository and runs in every CI. When ../shared/seeds (where the texts were received)
is beside the repository, data/sources must be exactly those files.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ROOT
from plansite.validate import validate_project

SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.fixture(scope="module")
def ds():
    dataset, report = validate_project(ROOT)
    assert dataset is not None, report.format()
    return dataset


def test_real_data_validates_clean(ds) -> None:
    _, report = validate_project(ROOT)
    assert report.diagnostics == []


# (doc_number, work points, closing items, tasks): from the source documents
# by the one counting rule (content/editing.md): entries of general requirements and of safeguards are items
COUNTS = [
    ("静府合〔2025〕2号", 18, 3, 0),
    ("闵府办发〔2022〕15号", 28, 3, 46),
    ("沪松合组办〔2021〕8号", 9, 6, 0),
    ("沪府合组〔2021〕73号", 13, 5, 0),
    ("闵农业农村委〔2023〕42号", 13, 0, 19),
]


@pytest.mark.parametrize("number,points,items,tasks", COUNTS)
def test_counts(ds, number: str, points: int, items: int, tasks: int) -> None:
    (doc,) = [d for d in ds.documents if d.doc_number == number]
    assert len(doc.points) == points
    assert len(doc.all_points) - len(doc.points) == items
    assert len(doc.tasks) == tasks


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_every_text_occurs_in_the_full_text(ds) -> None:
    for doc in ds.documents:
        full = _squash(doc.fulltext)
        for p in doc.all_points:
            for piece in (p.title, p.text, p.units_text):
                assert _squash(piece) in full, f"{doc.id} {p.label}: {piece[:30]}"
        for t in doc.tasks:
            assert _squash(t.text) in full, f"{doc.id} 任务 {t.no}"


def test_every_unit_mention_resolves(ds) -> None:
    units = {u.id: u for u in ds.units}
    mentions = 0
    for doc in ds.documents:
        for item in (*doc.all_points, *doc.tasks):
            for ref in (*item.lead, *item.responsible):
                assert ref.unit in units
                assert ref.written in units[ref.unit].names
                mentions += 1
    assert mentions > 300


def test_units_belong_to_their_organisation(ds) -> None:
    by_doc = {d.doc_number: d for d in ds.documents}
    minhang, jingan = by_doc["闵府办发〔2022〕15号"], by_doc["静府合〔2025〕2号"]
    committee = by_doc["闵农业农村委〔2023〕42号"]
    m_units = {r.unit for p in minhang.all_points for r in (*p.lead, *p.responsible)}
    j_units = {r.unit for p in jingan.all_points for r in (*p.lead, *p.responsible)}
    assert all(ds.unit(u).area == "minhang" for u in m_units)
    assert all(ds.unit(u).area == "jingan" for u in j_units)
    # the committee that issues its own plan is the same unit the district plan names
    named = {
        r.unit
        for item in (*minhang.all_points, *minhang.tasks)
        for r in (*item.lead, *item.responsible)
        if r.written == "区农业农村委"
    }
    assert named == {committee.issuer}
    own = {r.unit for item in (*committee.all_points, *committee.tasks) for r in (*item.lead, *item.responsible)}
    assert all(ds.unit(u).parent == committee.issuer for u in own)


# ---- faithfulness to the sources as received (data/sources/<id>.txt) ----------------------------------------

SOURCES = ROOT / "data" / "sources"


def _seed_docs() -> dict[str, Path]:
    """文号 → seed file, from the table of ../shared/seeds/README.md."""
    readme = (SEEDS / "README.md").read_text(encoding="utf-8")
    out = {}
    for line in readme.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) > 3 and cells[0].endswith(".txt"):
            out[cells[2]] = SEEDS / cells[0]
    return out


def _clean_seed(text: str) -> str:
    lines = [ln for ln in text.splitlines() if not re.fullmatch(r"\s*(-\s*)?\d{1,3}(\s*-)?\s*", ln)]
    text = "\n".join(lines)
    text = re.sub(r"</?p>|\*\*|^#+", "", text, flags=re.M)
    return _squash(re.sub(r"-\s*\d{1,3}\s*-", "", text))


TABLE_HEADER = "序号工作要点具体任务牵头单位责任单位"


def test_every_document_has_its_source_text(ds) -> None:
    assert sorted(p.stem for p in SOURCES.glob("*.txt")) == sorted(d.id for d in ds.documents)
    for doc in ds.documents:  # loaded exactly as received: the download gives back the same bytes
        assert doc.source_text.encode("utf-8") == (SOURCES / f"{doc.id}.txt").read_bytes()


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not beside the repository")
def test_sources_are_the_seeds_as_received(ds) -> None:
    """data/sources/<id>.txt is the seed of the same 文号, byte for byte, and every seed is there."""
    seeds = _seed_docs()
    by_number = {d.doc_number: d.id for d in ds.documents}
    assert sorted(seeds) == sorted(by_number)
    for number, seed in seeds.items():
        kept = SOURCES / f"{by_number[number]}.txt"
        assert kept.read_bytes() == seed.read_bytes(), f"{kept.name} is not {seed.name} ({number}) as received"


@pytest.mark.parametrize("number", [c[0] for c in COUNTS])
def test_full_text_equals_the_source(ds, number: str) -> None:
    """The kept full text is the source with only conversion artefacts removed, up to the annex table."""
    (doc,) = [d for d in ds.documents if d.doc_number == number]
    seed = _clean_seed((SOURCES / f"{doc.id}.txt").read_text(encoding="utf-8"))
    full = _squash(doc.fulltext)
    if number.startswith("沪松合组办"):
        full = full.replace("-5-", "")
    seed_body, full_body = seed.split(TABLE_HEADER)[0], full.split(TABLE_HEADER)[0]
    assert full_body == seed_body, _first_difference(full_body, seed_body)
    for task in doc.tasks:
        assert _squash(task.text) in seed, f"任务 {task.no} 不在原文中"


def _first_difference(a: str, b: str) -> str:
    i = next((k for k in range(min(len(a), len(b))) if a[k] != b[k]), min(len(a), len(b)))
    return f"first difference at {i}: ours …{a[max(0, i - 15) : i + 15]}… source …{b[max(0, i - 15) : i + 15]}…"


def _move_block(text: str, start: str, end: str, before: str) -> str:
    """``text`` with the lines from ``start`` up to ``end`` moved to just before the line ``before``."""
    i, j = text.index("\n" + start) + 1, text.index("\n" + end) + 1
    block, rest = text[i:j], text[:i] + text[j:]
    k = rest.index("\n" + before) + 1
    return rest[:k] + block + rest[k:]


@pytest.mark.parametrize(
    "doc_id,start,end,before,line",
    [
        # a task moved to the end of its table: one error, at the task's number
        ("minhang-nongyenongcunwei-2023-gongzuojihua", "      - id: t05\n", "      - id: t06\n", "notes:\n", 482),
        # two points of a section swapped: one error, at the one now second
        (
            "jingan-2025-gongzuoyaodian",
            "          - id: luoshidiaoyanhufang\n",
            "          - id: zhidingjihuacuoshi\n",
            "          - id: jiaqiangzuzhilingdao\n",
            46,
        ),
    ],
)
def test_a_real_entry_moved_is_one_error(
    tmp_path: Path, doc_id: str, start: str, end: str, before: str, line: int
) -> None:
    from conftest import make_project

    proj = make_project(tmp_path, ROOT / "data")
    path = proj / "data" / "documents" / f"{doc_id}.yml"
    path.write_text(_move_block(path.read_text(encoding="utf-8"), start, end, before), encoding="utf-8")
    _, report = validate_project(proj)
    assert [(d.file, d.line, d.code) for d in report.errors] == [(f"data/documents/{doc_id}.yml", line, "E192")]


def test_a_space_the_source_has_stays_and_one_from_a_line_break_is_an_error(tmp_path: Path) -> None:
    """003's preamble: 《中共上海市委 上海市人民政府…》 has a real space (kept); the source breaks 助|力 across lines,
    so a space there is what a conversion leaves (E193, at the space)."""
    from conftest import make_project

    proj = make_project(tmp_path, ROOT / "data")
    path = proj / "data" / "documents" / "shanghai-2021-zhidaoyijian.yml"
    text = path.read_text(encoding="utf-8")
    assert "《中共上海市委 上海市人民政府关于助力对口帮扶地区" in text
    path.write_text(text.replace("关于助力对口帮扶地区", "关于助 力对口帮扶地区", 1), encoding="utf-8")
    _, report = validate_project(proj)
    line = text[: text.index("关于助力对口帮扶地区")].count("\n") + 1
    col = len(text[: text.index("关于助力对口帮扶地区")].rsplit("\n", 1)[1]) + 4
    assert [(d.file, d.line, d.col, d.code) for d in report.errors] == [
        ("data/documents/shanghai-2021-zhidaoyijian.yml", line, col, "E193")
    ]
