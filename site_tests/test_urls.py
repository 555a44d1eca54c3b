"""Stable URLs: every published URL (pages and work-point anchors) still resolves, or has a declared redirect.

site_tests/published_urls.txt lists what has been published. When new pages appear, run
``pytest site_tests/test_urls.py --update-goldens`` to add them (URLs are only ever added).
"""

from __future__ import annotations

import re
from pathlib import Path

LIST = Path(__file__).parent / "published_urls.txt"


def _ids(html: str) -> set[str]:
    return set(re.findall(r'\sid="([^"]+)"', html))


def current_urls(site: Path) -> set[str]:
    """Every page URL of the built site, and every work point and task anchor of the document pages."""
    urls = set()
    for html in site.rglob("index.html"):
        rel = html.parent.relative_to(site).as_posix()
        if rel.startswith(("searchindex", "assets", "search")):
            continue
        url = "./" if rel == "." else rel + "/"
        urls.add(url)
        if rel.startswith("documents/") and rel.count("/") == 1:
            text = html.read_text(encoding="utf-8")
            urls |= {f"{url}#{a}" for a in re.findall(r'<h[2-6] id="([a-z0-9-]+)"', text)}
            urls |= {f"{url}#{a}" for a in re.findall(r'<span id="(t\d+)"></span>', text)}
    return urls


def test_published_urls_still_resolve(built_site: Path, update_goldens: bool) -> None:
    now = current_urls(built_site)
    assert LIST.exists(), "site_tests/published_urls.txt is missing: it lists every URL ever published"
    listed = set(LIST.read_text(encoding="utf-8").split())
    missing = []
    for url in sorted(listed):
        page, _, anchor = url.partition("#")
        html = built_site / ("" if page == "./" else page) / "index.html"
        if not html.exists():
            missing.append(url)
        elif anchor and anchor not in _ids(html.read_text(encoding="utf-8")):
            missing.append(url)
    assert missing == [], "published URLs disappeared (declare a redirect in data/redirects.yml): " + ", ".join(missing)
    if update_goldens:
        LIST.write_text("\n".join(sorted(listed | now)) + "\n", encoding="utf-8")
    assert now - listed == set() or update_goldens, (
        f"{len(now - listed)} new URLs are not listed yet: run pytest site_tests/test_urls.py --update-goldens"
    )


def test_a_redirect_keeps_an_old_url_working(tmp_path: Path) -> None:
    from conftest import build_site, make_project

    proj = make_project(tmp_path)
    old_unit, new_unit = "units/jingan-xxold/", "units/jingan-rensheju/"
    doc = "documents/jingan-2025-gongzuoyaodian/"
    (proj / "data" / "redirects.yml").write_text(
        "redirects:\n"
        f"  - {{from: {old_unit}, to: {new_unit}}}\n"
        f"  - {{from: '{doc}#jiuid', to: '{doc}#jiaqiangzuzhilingdao'}}\n",
        encoding="utf-8",
    )
    site = tmp_path / "site"
    result = build_site(proj, site)
    assert result.returncode == 0, result.stderr
    page = (site / old_unit / "index.html").read_text(encoding="utf-8")
    assert 'content="0; url=../jingan-rensheju/"' in page
    assert 'id="jiuid"' in (site / doc / "index.html").read_text(encoding="utf-8")
    from test_html import scan_site

    assert scan_site(site) == {}  # the redirect page too has the site's CSP and nothing executable


def test_a_bad_redirect_is_reported(tmp_path: Path) -> None:
    from conftest import make_project
    from plansite.validate import validate_project

    proj = make_project(tmp_path)
    (proj / "data" / "redirects.yml").write_text(
        "redirects:\n  - {from: 'documents/jingan-2025-gongzuoyaodian/#a', to: 'documents/jingan-2025-gongzuoyaodian/#nosuch'}\n",
        encoding="utf-8",
    )
    _, report = validate_project(proj)
    assert [d.code for d in report.errors] == ["E185"]  # the target does not exist (E157 until issue 20)
