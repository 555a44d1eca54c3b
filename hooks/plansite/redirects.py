"""Redirects from old URLs (``data/redirects.yml``), checked completely when the data is validated.

An old URL (``from``) and its new one (``to``) are site paths made of ids: lower-case letters, digits and hyphens,
each level ending in ``/`` (``units/minhang-rensheju/``), or a work point's anchor on a document page
(``documents/<id>/#<anchor>``). Nothing else is accepted (E157): no ``/`` or scheme in front, no ``..``, no
backslash, no dot, so a redirect can neither leave the site nor be written outside the site folder, nor collide
with a file of the site (``sitemap.xml``). Against the planned site (:func:`check_pages`): the new page or anchor must
exist (E185), the old URL must not be a page or anchor any more, and each old URL has one redirect (E186).
:func:`plansite.postbuild.write_redirects` writes the stubs and checks the same grammar again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .errors import Pos, Report
from .urls import page_url

PAGE = re.compile(r"(?:[a-z0-9]+(?:-[a-z0-9]+)*/)+")
ANCHOR = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_DOCUMENT = re.compile(r"documents/([a-z0-9]+(?:-[a-z0-9]+)*)/")


@dataclass(frozen=True)
class Redirect:
    """One redirect as written, and where its entry starts in data/redirects.yml."""

    old: str
    new: str
    pos: Pos

    @property
    def shown(self) -> str:
        return f"{self.old} → {self.new}"


def problem(old: str, new: str) -> str:
    """What is wrong with the form of a redirect (E157), or an empty string."""
    if any(u.startswith("/") or "://" in u or u.startswith("//") for u in (old, new)):
        return "要写相对于网站根目录的网址（不以 / 开头，不写域名）"
    if "#" in old or "#" in new:
        page, _, anchor = old.partition("#")
        to_page, _, to_anchor = new.partition("#")
        if "#" not in old or page != to_page or not to_anchor:
            return "是锚点跳转，目标必须是同一页面的锚点"
        if not _DOCUMENT.fullmatch(page):
            return "是锚点跳转，只能用于文件页面（documents/<id>/#<锚点>）"
        if not (ANCHOR.fullmatch(anchor) and ANCHOR.fullmatch(to_anchor)):
            return "的锚点只能由小写字母、数字和连字符组成"
        return ""
    if not old.endswith("/") or not new.endswith("/"):
        return "的网址要以 / 结尾"
    if not (PAGE.fullmatch(old) and PAGE.fullmatch(new)):
        return "的网址只能由小写字母、数字和连字符组成，各级之间用 /（不能有 ..、. 、\\ 或空格）"
    return ""


def page_urls(root: Path, plan_paths: list[str], directory_urls: bool = True) -> set[str]:
    """The URL of every page of the site (relative to its root): the generated ones and the hand-written ones
    under ``content/``."""
    content = root / "content"
    written = [p.relative_to(content).as_posix() for p in content.rglob("*.md")] if content.is_dir() else []
    return {page_url(p, directory_urls) for p in [*plan_paths, *written]}


def check_pages(
    redirects: list[Redirect], pages: set[str], points: dict[str, set[str]], ids: dict[str, set[str]], report: Report
) -> None:
    """E185 for a redirect whose new page or anchor does not exist; E186 for an old URL that is still a page or
    an anchor, or that has another redirect. ``points``: document id → its work points' ids (the anchors an old
    anchor can be kept beside, see templates/_point.md.j2); ``ids``: document id → every id on its page."""
    seen: dict[str, Pos] = {}
    for r in redirects:
        if r.old in seen:
            report.add("E186", r.pos, value=r.shown, problem=f"重复：第 {seen[r.old].line} 行已经有这个旧网址的跳转")
            continue
        seen[r.old] = r.pos
        page, _, anchor = r.new.partition("#")
        if page not in pages:
            report.add("E185", r.pos, value=r.shown, problem=f"“{page}”不是网站上的页面")
        elif anchor:
            doc_id = _DOCUMENT.fullmatch(page).group(1)
            old_anchor = r.old.partition("#")[2]
            if anchor not in points.get(doc_id, set()):
                report.add("E185", r.pos, value=r.shown, problem=f"锚点“{anchor}”不是这份文件中工作要点的 id")
            elif old_anchor in ids.get(doc_id, set()):
                report.add("E186", r.pos, value=r.shown, problem=f"的锚点“{old_anchor}”仍在这个页面上")
        elif r.old in pages:
            report.add("E186", r.pos, value=r.shown, problem="仍是网站上的一个页面")
