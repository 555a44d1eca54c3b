"""Golden files for the generated Markdown of every page type, from the frozen fixture data.

Run ``pytest --update-goldens`` after an intended change and review the diff of site_tests/goldens/pages/.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import FIXTURE_DATA, ROOT, make_project
from plansite.render import render_site
from plansite.validate import validate_project

GOLDENS = Path(__file__).parent / "goldens" / "pages"
PAGES = [
    "index.md",
    "documents/index.md",
    "districts/index.md",
    "themes/index.md",
    "units/index.md",
    "regions/index.md",
    "targets/index.md",
    "targets/2025.md",
    "deadlines/index.md",
    "deadlines/2023.md",
    "az.md",
    "data.md",
    "documents/jingan-2025-gongzuoyaodian/index.md",
    "documents/jingan-2025-gongzuoyaodian/original.md",
    "documents/minhang-nongyenongcunwei-2023-gongzuojihua/index.md",
    "documents/minhang-nongyenongcunwei-2023-gongzuojihua/original.md",
    "districts/jingan.md",
    "themes/xiaofei.md",
    "themes/xiaofei/2025.md",
    "units/jingan-rensheju.md",
    "units/minhang-nongyenongcunwei.md",
    "units/minhang-nongyenongcunwei-bangongshi.md",
    "regions/wenshan.md",
    "regions/yunnan.md",
    "regions/yunnan/2025.md",
    "compare.md",
    "city/shanghai.md",
    "districts/jingan/wenshan.md",
    "documents/shanghai-2021-zhidaoyijian/index.md",
    "search-words.md",
]
# Kinds with no page in the fixture data (its city plan names no paired region): their template is covered by
# another kind's golden page (pair.md.j2, by districts/…/….md).
NO_FIXTURE_PAGE = {"city_region": "the city's plan in the fixture data names no paired region"}


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, str]:
    proj = make_project(tmp_path_factory.mktemp("goldens"), FIXTURE_DATA)
    ds, report = validate_project(proj)
    assert ds is not None, report.format()
    changed = {d.source: dt.date(2025, 7, 1) for d in ds.documents}
    rendered = render_site(ds, ROOT / "templates", changed)
    return {p.path: p.markdown for p in rendered}


@pytest.mark.parametrize("path", PAGES)
def test_page_matches_golden(path: str, pages: dict[str, str], update_goldens: bool) -> None:
    assert path in pages, f"page {path} was not generated"
    golden = GOLDENS / path
    if update_goldens:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(pages[path], encoding="utf-8")
    assert golden.exists(), f"no golden file for {path}: run pytest --update-goldens and review the new file"
    assert pages[path] == golden.read_text(encoding="utf-8"), f"{path} differs from its golden file"


def test_goldens_cover_every_page_kind_and_template(pages: dict[str, str]) -> None:
    """Every kind of page of the table (plansite.pages) and so every page template has a golden page."""
    from plansite.pages import KINDS

    covered = {kind.name for kind in KINDS for p in PAGES if _is_of(kind, p)}
    missing = {kind.name for kind in KINDS} - covered
    assert missing == set(NO_FIXTURE_PAGE), f"kinds without a golden page: {sorted(missing - set(NO_FIXTURE_PAGE))}"
    for name in NO_FIXTURE_PAGE:  # really without a page in the fixture data, else it needs a golden page
        kind = next(k for k in KINDS if k.name == name)
        assert not any(_is_of(kind, p) for p in pages), f"{name} has pages now: give one a golden file"
    page_templates = {kind.template for kind in KINDS}
    on_disk = {p.name for p in (ROOT / "templates").glob("*.md.j2") if not p.name.startswith("_")}
    assert page_templates == on_disk, "a page template no kind uses, or a kind without its template"


def _is_of(kind, path: str) -> bool:
    """Whether ``path`` is a page of ``kind`` (its path pattern, with any value for each field)."""
    import re

    pattern = re.escape(kind.path)
    for name in kind.fields:
        pattern = pattern.replace(re.escape("{" + name + "}"), "[^/]+")
    return re.fullmatch(pattern, path) is not None


def test_relpath_is_posixpaths_for_every_pair_of_pages(pages: dict[str, str]) -> None:
    """urls.relpath (no os.getcwd) gives what posixpath.relpath gives, for links between any two pages and
    from any page's folder and URL; both the source paths and the URLs MkDocs gives them."""
    import posixpath

    from plansite.urls import page_url, relpath

    targets = {p for p in pages} | {page_url(p).rstrip("/") or "." for p in pages} | {".", "data", "data/units"}
    starts = {posixpath.dirname(p) or "." for p in pages} | {page_url(p).rstrip("/") or "." for p in pages}
    pairs = [(t, s) for t in targets for s in starts]
    assert len(pairs) > 2000
    wrong = [(t, s) for t, s in pairs if relpath(t, s) != posixpath.relpath(t, s)]
    assert not wrong, wrong[:5]
    assert relpath("units/ab", "units/a") == "../ab" and relpath(".", "a/b") == "../.." and relpath("a", ".") == "a"
