"""Files written after MkDocs has built the HTML: redirects from old URLs (the open data and the search index are
written beside the build, by :mod:`plansite.worker`)."""

from __future__ import annotations

import html
import posixpath
from pathlib import Path

from .redirects import PAGE

# The site's Content-Security-Policy (overrides/main.html) without the hashes of the theme's inline scripts: a
# redirect page has no script. site_tests/test_urls.py checks the two stay the same.
STUB_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'"
)


def write_redirects(redirects, site_dir: Path) -> list[Path]:
    """A small HTML page at each old URL that sends the reader to the new one (relative, so any sub-path works).

    The validator has checked every redirect (plansite.redirects); here again, so that nothing is ever written
    outside ``site_dir``: an old URL must be a site path of ids, and its page must not exist yet. RuntimeError
    otherwise, with the reason in Chinese."""
    written = []
    site = site_dir.resolve()
    for old, new in redirects:
        if "#" in old:
            continue  # same-page anchors are kept on the page itself
        if not PAGE.fullmatch(old) or not PAGE.fullmatch(new.partition("#")[0]):
            raise RuntimeError(f"跳转“{old} → {new}”的网址写法不对：请运行 .venv/bin/python -m plansite validate。")
        target = (site / old / "index.html").resolve()
        if not target.is_relative_to(site):
            raise RuntimeError(f"跳转的旧网址 {old} 不在网站目录中。")
        if target.exists():
            raise RuntimeError(f"跳转的旧网址 {old} 仍是一个页面：请删除这条跳转，或不要再生成这个页面。")
        rel = posixpath.relpath(new.split("#")[0] or ".", old.rstrip("/") or ".")
        rel = (rel.rstrip("/") + "/" if rel != "." else "./") + ("#" + new.split("#")[1] if "#" in new else "")
        safe = html.escape(rel, quote=True)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(
            f'<!doctype html>\n<html lang="zh"><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{html.escape(STUB_CSP, quote=True)}">'
            f"<title>页面已移动</title>"
            f'<meta http-equiv="refresh" content="0; url={safe}"><link rel="canonical" href="{safe}">'
            f'<meta name="robots" content="noindex"></head>'
            f'<body><p>本页已移动到 <a href="{safe}">新的位置</a>。</p></body></html>\n',
            encoding="utf-8",
        )
        written.append(target)
    return written
