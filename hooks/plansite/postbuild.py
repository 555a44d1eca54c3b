"""Files written after MkDocs has built the HTML: redirects from old URLs (the open data and the search
index are written beside the build, by :mod:`plansite.worker`)."""

from __future__ import annotations

import html
import posixpath
from pathlib import Path


def write_redirects(redirects, site_dir: Path) -> list[Path]:
    """A small HTML page at each old URL that sends the reader to the new one (relative, so any sub-path works)."""
    written = []
    for old, new in redirects:
        if "#" in old:
            continue  # same-page anchors are kept on the page itself
        target = site_dir / old / "index.html"
        if target.exists():
            raise RuntimeError(f"跳转的旧网址 {old} 仍是一个页面：请删除这条跳转，或不要再生成这个页面。")
        rel = posixpath.relpath(new.split("#")[0] or ".", old.rstrip("/") or ".")
        rel = (rel.rstrip("/") + "/" if rel != "." else "./") + ("#" + new.split("#")[1] if "#" in new else "")
        safe = html.escape(rel, quote=True)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(
            f'<!doctype html>\n<html lang="zh"><head><meta charset="utf-8"><title>页面已移动</title>'
            f'<meta http-equiv="refresh" content="0; url={safe}"><link rel="canonical" href="{safe}">'
            f'<meta name="robots" content="noindex"></head>'
            f'<body><p>本页已移动到 <a href="{safe}">新的位置</a>。</p></body></html>\n', encoding="utf-8")
        written.append(target)
    return written
