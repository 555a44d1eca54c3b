"""The built HTML: valid (the Nu HTML Checker, beyond a short baseline of the theme's own errors), in Chinese,
with a Content-Security-Policy that allows only the site's own scripts, and nothing executable in the markup
(no on* attribute, no javascript: URL, no script the theme did not put there)."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

VNU_JAR = Path(__file__).parent / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

# Errors the Nu HTML Checker reports in markup that comes from the theme (Material for MkDocs 9.8), not from
# this site: (message pattern, pattern of the offending markup, where it comes from and why it is kept).
# Every entry must still occur (a stale entry fails the test, so the list only shrinks).
VNU_BASELINE = [
    (
        r"^Attribute “autocomplete” is only allowed when the input type is",
        r'class="md-toggle"',
        'material/templates/base.html: the hidden drawer and search checkboxes carry autocomplete="off" so that '
        "Firefox does not restore them checked on reload; harmless, and base.html cannot be overridden in part",
    ),
    (
        r"^The value of the “for” attribute of the “label” element must be the ID of a non-hidden form control",
        r'<label class="md-nav__title" for="__toc">',
        "material/templates/partials/toc.html: the table of contents' title is a label for the #__toc checkbox, "
        "which the theme writes only when the page is in the navigation (a mobile back button otherwise unused)",
    ),
    (
        r"^Bad value “” for attribute “tabindex” on element “label”",
        r'class="md-nav__link" for="__nav_',
        'material/templates/partials/nav-item.html: a section label gets tabindex="" (no tab stop) when '
        "navigation tabs are on; browsers ignore the empty value, which is what the theme means",
    ),
]


def _html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_every_page_is_in_chinese(built_site: Path) -> None:
    wrong = [
        p.relative_to(built_site).as_posix()
        for p in _html_files(built_site)
        if not re.search(r'<html lang="zh(-[A-Za-z]+)*"', p.read_text(encoding="utf-8")[:500])
    ]
    assert wrong == []


def test_nu_html_checker_finds_only_the_theme_baseline(built_site: Path) -> None:
    java = shutil.which("java")
    if java is None:
        pytest.fail("Java is not installed: the Nu HTML Checker needs it (apt-get install default-jre-headless)")
    if not VNU_JAR.exists():
        pytest.fail("vnu-jar is not installed: run bash .ci/setup --browser (npm ci in site_tests/)")
    pages = _html_files(built_site)
    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--format", "json", "--errors-only", "--exit-zero-always", *map(str, pages)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    messages = [m for m in json.loads(result.stderr or result.stdout)["messages"] if m["type"] != "info"]
    used = [0] * len(VNU_BASELINE)
    unexpected = []
    for m in messages:
        hits = [
            i
            for i, (msg, markup, _) in enumerate(VNU_BASELINE)
            if re.search(msg, m.get("message", "")) and re.search(markup, m.get("extract", ""))
        ]
        if hits:
            used[hits[0]] += 1
        else:
            where = Path(m.get("url", "").replace("file:", "")).resolve()
            page = where.relative_to(built_site.resolve()) if where.is_relative_to(built_site.resolve()) else where
            unexpected.append(f"{page}:{m.get('lastLine')}: {m.get('message')}\n    {m.get('extract', '').strip()}")
    print(f"vnu: {len(pages)} pages, {len(messages)} errors, {sum(used)} in the theme baseline {used}")
    assert unexpected == [], f"{len(unexpected)} HTML errors:\n" + "\n".join(unexpected[:30])
    stale = [VNU_BASELINE[i][0] for i, n in enumerate(used) if n == 0]
    assert stale == [], "baseline entries that no longer occur (remove them from VNU_BASELINE)"


# ---- scripts, event handlers and URLs ------------------------------------------------------------------

URL_ATTRS = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "cite",
    "background",
    "srcset",
    "ping",
    "manifest",
    "codebase",
}
THEME_SCRIPTS = re.compile(
    r"^(?:\.\./|\./)*(?:assets/javascripts/bundle\.[0-9a-f]+\.min\.js"
    r"|assets/(?:az|search-core|search-ui|tables|compare|print|keyboard)\.js)$|^/assets/"
)


class _Scan(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.scripts: list[tuple[dict, str]] = []
        self.csp: list[str] = []
        self._script: dict | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…> event handler attribute")
            if (
                name in URL_ATTRS
                and value
                and re.match(r"(?i)\s*(?:javascript|vbscript|data\s*:\s*text/html)", re.sub(r"[\x00-\x20]", "", value))
            ):
                self.problems.append(f"<{tag} {name}={value[:40]!r}> script URL")
        a = dict(attrs)
        if tag in ("iframe", "object", "embed", "base", "frame", "applet"):
            self.problems.append(f"<{tag}> element")
        if tag == "meta" and (a.get("http-equiv") or "").lower() == "content-security-policy":
            self.csp.append(a.get("content") or "")
            if self.scripts:
                self.problems.append("Content-Security-Policy <meta> after a script")
        if tag == "script":
            self._script, self._text = a, []

    def handle_data(self, data):
        if self._script is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, "".join(self._text)))
            self._script = None


def _policy(csp: str) -> dict[str, list[str]]:
    out = {}
    for part in csp.split(";"):
        words = part.split()
        if words:
            out[words[0].lower()] = words[1:]
    return out


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def scan_page(html: str) -> list[str]:
    """What in one page could run a script that the site did not write: on* attributes, script URLs, embeds,
    script elements other than the theme's and the site's own files and inline scripts the page's
    Content-Security-Policy names by hash; and whether that policy is there and strict."""
    scan = _Scan()
    scan.feed(html)
    problems = list(scan.problems)
    if len(scan.csp) != 1:
        return problems + [f"{len(scan.csp)} Content-Security-Policy <meta> elements"]
    policy = _policy(scan.csp[0])
    script_src = policy.get("script-src", [])
    if not script_src or any(
        w in script_src for w in ("'unsafe-inline'", "'unsafe-eval'", "*", "http:", "https:", "data:")
    ):
        problems.append(f"script-src is not strict: {script_src}")
    for directive, value in (("default-src", ["'self'"]), ("object-src", ["'none'"]), ("base-uri", ["'self'"])):
        if policy.get(directive) != value:
            problems.append(f"{directive} is {policy.get(directive)}, not {value}")
    for attrs, text in scan.scripts:
        kind = (attrs.get("type") or "").lower()
        if "src" in attrs:
            if not THEME_SCRIPTS.search(attrs["src"] or ""):
                problems.append(f"<script src={attrs['src']!r}> not one of the theme's or the site's scripts")
        elif kind == "application/json" and attrs.get("id") == "__config":
            continue  # the theme's configuration: data, never run
        elif _sha256(text) not in script_src:
            problems.append(f"inline <script> not allowed by the CSP (hash {_sha256(text)}): {text[:60]!r}")
    return problems


def scan_site(site: Path) -> dict[str, list[str]]:
    """scan_page for every HTML file of ``site`` (only the pages with problems)."""
    out = {}
    for path in _html_files(site):
        problems = scan_page(path.read_text(encoding="utf-8"))
        if problems:
            out[path.relative_to(site).as_posix()] = problems
    return out


def test_csp_and_nothing_executable_in_the_markup(built_site: Path) -> None:
    found = scan_site(built_site)
    assert found == {}, "\n".join(f"{page}: {p}" for page, ps in list(found.items())[:10] for p in ps[:5])


def test_scan_catches_what_it_should() -> None:
    """The scanner itself: each kind of injection in an otherwise clean page is reported."""
    ok_script = "var x=1"
    head = (
        '<html lang="zh"><head><meta http-equiv="Content-Security-Policy" content="default-src \'self\'; '
        f"script-src 'self' {_sha256(ok_script)}; object-src 'none'; base-uri 'self'\">"
        f"<script>{ok_script}</script></head><body>"
    )
    assert scan_page(head + "<p>text</p></body></html>") == []
    bad = [
        "<img src=x onerror=alert(1)>",
        '<svg onload="alert(1)"></svg>',
        '<a href=" javascript:alert(1)">x</a>',
        '<a href="JaVa&#x09;script:alert(1)">x</a>',
        "<script>alert(1)</script>",
        '<script src="//evil/x.js"></script>',
        '<iframe src="/"></iframe>',
        '<form action="javascript:alert(1)"></form>',
    ]
    for snippet in bad:
        assert scan_page(head + snippet + "</body></html>") != [], snippet
    assert scan_page(head.replace("'self' 'sha256", "'self' 'unsafe-inline' 'sha256") + "</body></html>") != []
    assert scan_page(head.replace('<meta http-equiv="Content-Security-Policy"', '<meta name="x"') + "</body></html>")
