"""A real ``mkdocs build --strict`` of the repository, and what the built site must contain."""

from __future__ import annotations

import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar
from urllib.parse import unquote, urljoin, urlparse

import pytest

from conftest import ROOT, build_site, make_project
from plansite.validate import validate_project


class _Links(HTMLParser):
    """The links of a page (<a href>, from Markdown or raw HTML), the other URLs it loads or submits to, its ids."""

    URL_ATTRS: ClassVar[dict[str, str]] = {
        "area": "href",
        "link": "href",
        "script": "src",
        "img": "src",
        "iframe": "src",
        "source": "src",
        "audio": "src",
        "video": "src",
        "embed": "src",
        "form": "action",
    }

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.urls: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("name"):
            self.ids.add(a["name"])
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"])
        elif a.get(self.URL_ATTRS.get(tag, "")):
            self.urls.append(a[self.URL_ATTRS[tag]])


def _pages(site: Path) -> dict[str, _Links]:
    out = {}
    for html in sorted(site.rglob("*.html")):
        parser = _Links()
        parser.feed(html.read_text(encoding="utf-8"))
        out["/" + html.relative_to(site).as_posix()] = parser
    return out


def _resolve(page: str, href: str) -> tuple[str, str] | None:
    url = urlparse(urljoin("http://site" + page, href))
    if url.netloc != "site":
        return None
    path = unquote(url.path)
    if path.endswith("/"):
        path += "index.html"
    return path, unquote(url.fragment)


@pytest.fixture(scope="module")
def pages(built_site: Path) -> dict[str, _Links]:
    return _pages(built_site)


def test_every_entity_has_a_page_and_a_link(built_site: Path, pages) -> None:
    ds, _ = validate_project(ROOT)
    linked = set()
    for page, links in pages.items():
        for href in links.hrefs:
            target = _resolve(page, href)
            if target and target[0] != page:
                linked.add(target[0])
    expected = [f"/documents/{d.id}/index.html" for d in ds.documents]
    expected += [f"/documents/{d.id}/original/index.html" for d in ds.documents]
    expected += [
        f"/{'city' if ds.area(a).level == 'city' else 'districts'}/{a}/index.html"
        for a in {d.area for d in ds.documents}
    ]
    expected += [f"/themes/{t.id}/index.html" for t in ds.themes]
    named = {r.unit for d in ds.documents for i in (*d.all_points, *d.tasks) for r in (*i.lead, *i.responsible)}
    expected += [f"/units/{u}/index.html" for u in named | {d.issuer for d in ds.documents}]
    expected += [f"/regions/{r}/index.html" for d in ds.documents for p in d.all_points for r in p.regions]
    for path in expected:
        assert path in pages, f"missing page {path}"
        assert path in linked, f"no link to {path}"


def _broken(site: Path, pages: dict[str, _Links]) -> list[str]:
    broken = []
    for page, links in pages.items():
        for href in links.hrefs + links.urls:
            target = _resolve(page, href)
            if target is None:
                continue
            path, frag = target
            if path not in pages and not (site / path.lstrip("/")).is_file():
                broken.append(f"{page} → {href}")
            elif frag and path in pages and frag not in pages[path].ids:
                broken.append(f"{page} → {href} (anchor)")
    return broken


def test_internal_links_and_anchors_resolve(built_site: Path, pages) -> None:
    """Every link and anchor, raw HTML included (MkDocs checks only Markdown links), and every file a page
    loads or a form submits to."""
    assert "#az-B" in pages["/az/index.html"].hrefs  # a raw HTML link (templates/az.md.j2) is among those checked
    assert _broken(built_site, pages) == []


def test_link_check_finds_broken_raw_html_links(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text(
        '<p id="top"><a href="a/#here">ok</a> <a href="a/#gone">x</a>'
        '<img src="missing.png"><form action="nowhere/"></form></p>',
        encoding="utf-8",
    )
    (tmp_path / "a" / "index.html").write_text(
        '<span id="here"></span><a href="../#top">ok</a><a href="../b/">x</a>', encoding="utf-8"
    )
    assert sorted(_broken(tmp_path, _pages(tmp_path))) == [
        "/a/index.html → ../b/",
        "/index.html → a/#gone (anchor)",
        "/index.html → missing.png",
        "/index.html → nowhere/",
    ]


def test_no_third_party_resources(built_site: Path) -> None:
    """Nothing a page loads (scripts, styles, images, fonts, CSS urls) comes from another host."""
    offenders = []
    for path in [*built_site.rglob("*.html"), *built_site.rglob("*.css")]:
        text = path.read_text(encoding="utf-8")
        pattern = r'<(?:script|img|iframe|source)[^>]*\ssrc="(?:https?:)?//|<link[^>]*href="(?:https?:)?//|url\((?:["\']?)(?:https?:)?//|@import\s+["\']?(?:https?:)?//'
        offenders += [f"{path.relative_to(built_site)}: {m.group(0)[:60]}" for m in re.finditer(pattern, text)]
    assert offenders == []


def test_search_index_is_written(built_site: Path) -> None:
    meta = json.loads((built_site / "searchindex" / "meta.json").read_text(encoding="utf-8"))
    assert meta["records"] > 0 and meta["shards"]
    assert len(list((built_site / "searchindex" / "w").iterdir())) == len(meta["shards"])
    assert len(list((built_site / "searchindex" / "r").iterdir())) == -(-meta["records"] // meta["chunk"])


def _digest(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def test_two_builds_are_byte_identical(built_site: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    result = build_site(ROOT, again)
    assert result.returncode == 0, result.stderr
    first, second = _digest(built_site), _digest(again)
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []


def test_a_build_without_fork_gives_the_same_site(built_site: Path, tmp_path: Path) -> None:
    """Where processes cannot be forked, pages, open data and the search index are made in the build process."""
    again = tmp_path / "nofork"
    result = build_site(ROOT, again, env={"PLANSITE_NO_FORK": "1"})
    assert result.returncode == 0, result.stderr
    first, second = _digest(built_site), _digest(again)
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []


def test_bad_data_fails_the_build_with_a_clear_message(tmp_path: Path) -> None:
    proj = make_project(tmp_path)
    doc = proj / "data" / "documents" / "jingan-2025-gongzuoyaodian.yml"
    doc.write_text(
        doc.read_text(encoding="utf-8").replace("kind: 工作要点", "kind: 工作要点\nkind: 工作计划"), encoding="utf-8"
    )
    result = build_site(proj, tmp_path / "site")
    assert result.returncode != 0
    assert "Traceback" not in result.stdout + result.stderr
    assert "E106" in result.stderr
    assert "数据检查发现 1 个错误" in result.stdout + result.stderr


def test_no_document_data_in_code_or_templates() -> None:
    ds, _ = validate_project(ROOT)
    needles = {d.id for d in ds.documents} | {d.doc_number for d in ds.documents} | {d.title for d in ds.documents}
    needles |= {n for u in ds.units for n in u.names if len(n) >= 4}
    needles |= {r.name for r in ds.regions}
    code = (
        [p for p in (ROOT / "hooks").rglob("*.py")]
        + list((ROOT / "templates").glob("*"))
        + list((ROOT / "overrides").rglob("*.html"))
        + list((ROOT / "content" / "assets").glob("*"))
    )
    found = []
    for path in code:
        text = path.read_text(encoding="utf-8")
        found += [f"{path.relative_to(ROOT)}: {n}" for n in needles if n in text]
    assert found == []


def test_edit_links_open_the_yaml(tmp_path: Path) -> None:
    proj = make_project(tmp_path)
    site = tmp_path / "site"
    result = build_site(proj, site, env={"SITE_REPO_URL": "https://github.com/example/plans"})
    assert result.returncode == 0, result.stderr
    base = "https://github.com/example/plans/"
    expect = {
        "documents/jingan-2025-gongzuoyaodian/index.html": "edit/main/data/documents/jingan-2025-gongzuoyaodian.yml",
        "documents/jingan-2025-gongzuoyaodian/original/index.html": "edit/main/data/documents/jingan-2025-gongzuoyaodian.yml",
        "units/jingan-rensheju/index.html": "edit/main/data/units/jingan.yml",
        "themes/chanye/index.html": "edit/main/data/themes.yml",
        "regions/wenshan/index.html": "edit/main/data/regions.yml",
        "about/index.html": "edit/main/content/about.md",
    }
    for page, target in expect.items():
        assert f'href="{base}{target}" title="编辑此页"' in (site / page).read_text(encoding="utf-8"), page
