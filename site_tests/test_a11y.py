"""Accessibility of the built site in Debian's Chromium.

- axe-core (WCAG 2.0/2.1 A and AA rules) on every page type, in the light and the dark scheme: 0 violations;
- keyboard only: every visible link and control takes focus and is on screen when it does; a real Tab walk
  reaches every one on the smaller pages, reaches the header search and, on a phone, opens the navigation
  drawer and its sub-levels;
- 200 % text (Chromium's font size setting doubled): no text cut off, no sideways scrolling of the page;
- screenshots of every page type at desktop width and at 375 px, written to artifacts/screenshots/ for review;
  at 375 px the page itself never scrolls sideways (wide tables scroll inside their own box).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from browser import PAGE_TYPES, goto_page

AXE_JS = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SHOTS = Path(__file__).parent / "artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
MAX_SHOT_HEIGHT = 4000  # px of a long page kept in its screenshot

# Everything a keyboard user may need to reach. A label is not a control (its checkbox is) unless it takes
# focus itself: the theme's CSS-only toggles (the menu button of the navigation drawer, drawer levels).
CONTROLS = (
    "a[href], area[href], button, input:not([type=hidden]):not(.md-toggle), select, textarea, summary, "
    "[tabindex]:not([tabindex='-1']):not([tabindex=''])"
)

_HELPERS = """
const CONTROLS = __CONTROLS__;
const shown = el => el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true});
/* the theme's palette switch is a visually hidden radio button shown by the label after it */
const face = el => el.matches('.md-option') && el.nextElementSibling ? el.nextElementSibling : el;
const seen = el => shown(face(el));
/* the first line box: a link that wraps onto two lines has a bounding box over other text */
const where = el => [...face(el).getClientRects()].find(r => r.width && r.height) || face(el).getBoundingClientRect();
/* inside the viewport and not covered by something else (the sticky header, a sub-level of the drawer) */
const onScreen = el => { const r = where(el);
  if (!(r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth)) return false;
  const x = Math.min(Math.max(r.left + r.width / 2, 0), innerWidth - 1);
  const y = Math.min(Math.max(r.top + r.height / 2, 0), innerHeight - 1);
  const top = document.elementFromPoint(x, y);
  return !top || face(el).contains(top) || top.contains(face(el)) ||
    (el.labels && [...el.labels].some(l => l.contains(top))); };
const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
  (el.getAttribute('href') ? '[href="' + el.getAttribute('href') + '"]' : '') +
  (el.className && el.className.baseVal === undefined ? '.' + el.className.trim().split(/\\s+/).join('.') : '') +
  ' "' + (el.textContent || el.getAttribute('aria-label') || '').trim().slice(0, 20) + '"';
""".replace("__CONTROLS__", json.dumps(CONTROLS))


def _js(expression: str) -> str:
    """A script for page.evaluate: the value of ``expression``, with the helpers above in scope."""
    return "(() => {" + _HELPERS + "return (" + expression.strip() + ");})()"


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE_JS.exists():
        pytest.fail("axe-core is not installed: run bash .ci/setup --browser (npm ci in site_tests/)")
    return AXE_JS.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def text_zoom_browser(browser, tmp_path_factory):
    """Chromium with its font size setting doubled (32 px instead of 16 px): 200 % text-only zoom."""
    from browser import CHROMIUM_ARGS, chromium_path

    profile = tmp_path_factory.mktemp("textzoom")
    (profile / "Default").mkdir()
    (profile / "Default" / "Preferences").write_text(
        json.dumps({"webkit": {"webprefs": {"default_font_size": 32, "default_fixed_font_size": 26}}}), encoding="utf-8"
    )
    context = browser.browser_type.launch_persistent_context(
        profile, executable_path=chromium_path(), args=CHROMIUM_ARGS, viewport=DESKTOP
    )
    yield context
    context.close()


def _open(browser, site_url: str, path: str, **options):
    """A new page (in a new context of ``browser``, or in ``browser`` itself when it is a context) at ``path``,
    with transitions off so that what the checks see is what the reader sees when it has settled."""
    context = browser.new_context(**options) if hasattr(browser, "new_context") else None
    page = (context or browser).new_page()
    goto_page(page, site_url, path)
    page.add_style_tag(content="*, *::before, *::after { transition: none !important; animation: none !important; }")
    return context or page, page


def _screenshot(page, path: Path) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    height = page.evaluate("document.documentElement.scrollHeight")
    page.screenshot(
        path=path, full_page=True, clip={"x": 0, "y": 0, "width": size["width"], "height": min(height, MAX_SHOT_HEIGHT)}
    )


def _axe(page, axe_source: str, only: dict) -> list[str]:
    # Long blocks (.ps-long) are laid out only near the screen. axe scrolls each element it checks into view
    # and reads the colour behind it; with blocks being laid out as it goes, the page moves under it, and on a
    # long page (the A–Z index of a large site) it reads the footer's colour behind text far from the footer.
    # So lay everything out first (what is checked is the same markup and styles), and let the page settle.
    page.add_style_tag(content=".ps-long { content-visibility: visible !important; }")
    page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(content=axe_source)
    violations = page.evaluate(
        """async (only) => {
      const r = await axe.run(document, {runOnly: only, resultTypes: ['violations']});
      return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n =>
        n.target.join(' ') + ' — ' + n.failureSummary.split('\\n').slice(1).join(' ').trim())}));
    }""",
        only,
    )
    return [
        f"{v['id']} ({v['impact']}, {len(v['nodes'])}×): {v['help']}\n      " + "\n      ".join(v["nodes"][:5])
        for v in violations
    ]


@pytest.fixture(scope="module", params=list(PAGE_TYPES))
def desktop(request, browser, site_url: str):
    """(name, page): one page of each type at desktop width, shared by the desktop checks below, in order."""
    # axe is injected as an inline script, which the site's Content-Security-Policy would refuse.
    context, page = _open(
        browser, site_url, PAGE_TYPES[request.param], viewport=DESKTOP, bypass_csp=True, color_scheme="light"
    )
    yield request.param, page
    context.close()


@pytest.mark.browser
def test_desktop_screenshot(desktop) -> None:
    name, page = desktop
    _screenshot(page, SHOTS / f"{name}-desktop.png")
    assert (SHOTS / f"{name}-desktop.png").stat().st_size > 10_000


@pytest.mark.browser
def test_axe_finds_no_wcag21aa_violation(desktop, axe_source: str) -> None:
    """All WCAG 2.0/2.1 A and AA rules in the light scheme; then the reader switches to the dark scheme
    (the header toggle) and the colour rules run again (the markup is the same)."""
    _, page = desktop
    found = {"light": _axe(page, axe_source, {"type": "tag", "values": AXE_TAGS})}
    page.click("label[for=__palette_1]")
    page.wait_for_function("document.body.dataset.mdColorScheme === 'slate'")
    found["dark"] = _axe(page, axe_source, {"type": "rule", "values": ["color-contrast", "link-in-text-block"]})
    page.click("label[for=__palette_0]")
    page.wait_for_function("document.body.dataset.mdColorScheme === 'default'")
    assert found == {"light": [], "dark": []}, "\n".join(f"{scheme}: {v}" for scheme, vs in found.items() for v in vs)


@pytest.mark.browser
@pytest.mark.parametrize("name", PAGE_TYPES)
def test_axe_finds_no_wcag21aa_violation_at_375px(browser, site_url: str, name: str, axe_source: str) -> None:
    """On a phone, tables wider than the screen scroll sideways in their own box: axe checks, among the rest,
    that a keyboard can reach every such box (scrollable-region-focusable)."""
    found = {}
    for scheme in ("light", "dark"):  # a reader whose phone is set to dark gets the dark scheme at once
        context, page = _open(browser, site_url, PAGE_TYPES[name], viewport=PHONE, bypass_csp=True, color_scheme=scheme)
        assert page.evaluate("document.body.dataset.mdColorScheme") == ("slate" if scheme == "dark" else "default")
        found[scheme] = _axe(
            page,
            axe_source,
            {"type": "tag", "values": AXE_TAGS}
            if scheme == "light"
            else {"type": "rule", "values": ["color-contrast", "link-in-text-block"]},
        )
        context.close()
    assert found == {"light": [], "dark": []}, "\n".join(f"{k}: {v}" for k, vs in found.items() for v in vs)


_SCROLL_REGIONS_JS = """[...document.querySelectorAll('.md-typeset__scrollwrap')].map(w => ({
  wide: w.scrollWidth > w.clientWidth + 1, links: !!w.querySelector('a[href]'), tabindex: w.getAttribute('tabindex'),
  role: w.getAttribute('role'), label: w.getAttribute('aria-label'),
  laidOut: w.checkVisibility({contentVisibilityAuto: true})}))"""


@pytest.mark.browser
def test_a_wide_table_without_links_takes_focus_and_scrolls_with_the_arrow_keys(browser, site_url: str) -> None:
    """The 性能 page's table of figures is wider than a phone and has no links: its box is a Tab stop, named,
    and the arrow key scrolls it. At desktop width the tables fit and are no Tab stops. A table with links is
    reached through them and gets no Tab stop of its own."""
    context, page = _open(browser, site_url, PAGE_TYPES["performance"], viewport=PHONE)
    regions = page.evaluate(_SCROLL_REGIONS_JS)
    plain = [r for r in regions if r["wide"] and not r["links"]]
    assert plain and all(
        r["tabindex"] == "0" and r["role"] == "region" and r["label"].startswith("表格") for r in plain
    ), regions
    assert all(r["tabindex"] is None for r in regions if r["links"] or not r["wide"]), regions
    _tab_to(page, "document.activeElement.matches('.md-typeset__scrollwrap')", 200, "Tab never reached the wide table")
    assert page.evaluate("document.activeElement.scrollLeft") == 0
    page.keyboard.press("ArrowRight")
    _wait(page, "document.activeElement.scrollLeft > 0")
    page.set_viewport_size({"width": 1600, "height": 900})
    _wait(
        page,
        "[...document.querySelectorAll('.md-typeset__scrollwrap')].every(w => "
        "w === document.activeElement || w.scrollWidth > w.clientWidth + 1 || !w.hasAttribute('tabindex'))",
    )
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("width", [320, 360])
def test_the_home_pages_counts_fit_a_phone(browser, site_url: str, width: int) -> None:
    """A table of figures needs no more room than its figures: the home page's counts fit a small phone, each
    heading on at most two lines, broken only between its words."""
    context, page = _open(browser, site_url, PAGE_TYPES["home"], viewport={"width": width, "height": 800})
    (counts,) = page.evaluate(_SCROLL_REGIONS_JS)[:1]
    lines = page.evaluate("""[...document.querySelector('article table').querySelectorAll('th')].map(th => {
      const r = document.createRange(); r.selectNodeContents(th);
      return [th.textContent, new Set([...r.getClientRects()].map(x => Math.round(x.top))).size]; })""")
    context.close()
    assert not counts["wide"] and counts["tabindex"] is None
    assert all(n <= 2 for _, n in lines), lines
    assert dict(lines)["文件"] == 1, lines


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_table_not_yet_laid_out_is_a_tab_stop_until_it_is_seen_to_fit(browser, site_url: str, viewport) -> None:
    """The original's annex table (no links) is in a long block the browser lays out only near the screen:
    until then it counts as wide, so that Tab cannot pass it by; once laid out it fits (on a phone as cards,
    see test_a_table_of_records_is_cards_on_a_phone) and is no Tab stop."""
    context, page = _open(browser, site_url, PAGE_TYPES["original"], viewport=viewport)
    (before,) = page.evaluate(_SCROLL_REGIONS_JS)
    assert not before["laidOut"] and before["tabindex"] == "0"
    page.evaluate("document.querySelector('.md-typeset__scrollwrap').scrollIntoView()")
    _wait(page, "document.querySelector('.md-typeset__scrollwrap').checkVisibility({contentVisibilityAuto: true})")
    _wait(page, "!document.querySelector('.md-typeset__scrollwrap').hasAttribute('tabindex')")  # ResizeObserver
    (after,) = page.evaluate(_SCROLL_REGIONS_JS)
    context.close()
    assert not after["wide"] and after["role"] is None, after


_CARDS_JS = """(() => {
  const tables = [...document.querySelectorAll('.ps-stack table')];
  return tables.map(t => { const cell = t.querySelector('tbody td:nth-child(2)');
    const wrap = t.closest('.md-typeset__scrollwrap');
    return {display: getComputedStyle(t.querySelector('tbody tr')).display,
            label: cell ? getComputedStyle(cell, '::before').content : null,
            heading: t.querySelectorAll('thead th')[1].textContent,
            headShown: t.querySelector('thead').offsetHeight > 2,
            wide: wrap.scrollWidth > wrap.clientWidth + 1};
  });
})()"""


@pytest.mark.browser
@pytest.mark.parametrize("name", ["unit", "deadlines-year", "targets-year", "document", "theme-year"])
def test_a_table_of_records_is_cards_on_a_phone(browser, site_url: str, name: str) -> None:
    """On a phone a table of records (a unit's tasks, deadlines, targets, a task table, a list of points) is a
    card per row, each cell after its column's name, nothing wider than the screen; the headings stay for
    screen readers. On a desktop it is a table."""
    context, page = _open(browser, site_url, PAGE_TYPES[name], viewport=PHONE)
    page.add_style_tag(content=".ps-long { content-visibility: visible !important; }")
    phone = page.evaluate(_CARDS_JS)
    page.set_viewport_size(DESKTOP)
    desktop = page.evaluate(_CARDS_JS)
    context.close()
    assert phone, "no table of records"
    for card in phone:
        assert card["display"] == "block" and not card["wide"] and not card["headShown"], card
        assert card["label"] == f'"{card["heading"]}："', card
    assert all(t["display"] == "table-row" and t["headShown"] for t in desktop), desktop


# Whether the page scrolls sideways, and what sticks out of the viewport other than inside a box that
# scrolls or clips by itself (tables, the tab bar).
_WIDE_JS = """
(() => {
  const scrollsItself = el => { for (let p = el.parentElement; p; p = p.parentElement) {
    const o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll' || o === 'hidden') return true; }
    return false; };
  const out = [...document.body.querySelectorAll('*')].filter(el => shown(el) &&
    el.getBoundingClientRect().right > innerWidth + 1 && !scrollsItself(el)).slice(0, 10).map(name);
  return {scrolls: document.documentElement.scrollWidth > innerWidth, sticking_out: out};
})()
"""

# Text that does not fit its box and is cut off (overflow hidden or clip), and whether the page scrolls sideways.
_CLIPPED_JS = """
(() => {
  const clipped = [...document.body.querySelectorAll('*')].filter(el => {
    if (!shown(el) || !el.textContent.trim()) return false;
    const s = getComputedStyle(el);
    if (!/hidden|clip/.test(s.overflowX + s.overflowY)) return false;
    if (el.getBoundingClientRect().width <= 1) return false;  /* visually hidden on purpose (screen reader text) */
    if (el.closest('.md-header__topic')) return false;  /* the header repeats the site name and the page <h1> */
    return el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1;
  }).slice(0, 10).map(name);
  return {scrolls: document.documentElement.scrollWidth > innerWidth, clipped: clipped};
})()
"""

# Every visible control can take focus, and is shown on screen when it has it; nothing hidden takes focus.
_FOCUS_JS = """
(() => {
  const problems = [];
  /* of a group of radio buttons, Tab stops at the checked one */
  const controls = [...document.querySelectorAll(CONTROLS)].filter(el => !el.disabled && !el.closest('[inert]') &&
    !(el.type === 'radio' && !el.checked));
  for (const el of controls) {
    const visible = seen(el);
    if (visible && el.tabIndex < 0) { problems.push('not focusable: ' + name(el)); continue; }
    if (el.tabIndex < 0) continue;
    el.focus();
    if (document.activeElement !== el) { if (visible) problems.push('refuses focus: ' + name(el)); continue; }
    if (!seen(el)) problems.push('invisible when focused: ' + name(el));
    else if (!onScreen(el)) problems.push('off screen when focused: ' + name(el));
  }
  document.activeElement.blur();
  return {controls: controls.length, problems: problems};
})()
"""


@pytest.mark.browser
def test_every_visible_control_takes_focus_on_screen(desktop) -> None:
    result = desktop[1].evaluate(_js(_FOCUS_JS))
    assert result["controls"] > 10
    assert result["problems"] == [], "\n".join(result["problems"])


@pytest.mark.browser
@pytest.mark.parametrize("name", PAGE_TYPES)
def test_phone_screenshot_and_no_sideways_scrolling_at_375px(browser, site_url: str, name: str) -> None:
    context, page = _open(browser, site_url, PAGE_TYPES[name], viewport=PHONE)
    _screenshot(page, SHOTS / f"{name}-375.png")
    wide = page.evaluate(_js(_WIDE_JS))
    clipped = page.evaluate(_js(_CLIPPED_JS))["clipped"]
    context.close()
    assert wide == {"scrolls": False, "sticking_out": []}
    assert clipped == []


@pytest.mark.browser
@pytest.mark.parametrize("name", PAGE_TYPES)
def test_text_zoomed_to_200_percent_loses_nothing(text_zoom_browser, site_url: str, name: str) -> None:
    """Chromium's font size at 32 px: the page reflows (to the drawer layout), nothing is cut off or scrolls
    sideways. (Browser zoom to 200 % gives the same layout: the theme's breakpoints are in em.)"""
    page = _open(text_zoom_browser, site_url, PAGE_TYPES[name])[1]
    assert page.evaluate("getComputedStyle(document.body).fontSize") == "20px"  # 16 px × 125 % × ½ rem, doubled
    found = page.evaluate(_js(_CLIPPED_JS))
    if name in ("home", "document"):
        _screenshot(page, SHOTS / f"{name}-text200.png")
    page.close()
    assert found == {"scrolls": False, "clipped": []}


def _tab_walk(page, limit: int) -> list[dict]:
    """Press Tab from the top of the page until focus comes back round (or ``limit`` presses); the stops."""
    page.evaluate(
        _js("""(() => {
      window.__stops = [];
      document.addEventListener('focusin', ev => { const el = ev.target;
        __stops.push({key: el.dataset.kb, name: name(el), visible: seen(el) && onScreen(el)}); });
      document.querySelectorAll(CONTROLS).forEach((el, i) => el.dataset.kb = String(i));
    })()""")
    )
    stops: list[dict] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stops = page.evaluate("__stops")
        if len(stops) > 1 and stops[-1]["key"] == stops[0]["key"]:
            return stops[:-1]
        if len(stops) > 2 and page.evaluate("document.activeElement === document.body"):
            return stops
    return stops


def _visible_controls(page) -> dict[str, str]:
    return page.evaluate(
        _js("""Object.fromEntries([...document.querySelectorAll(CONTROLS)]
        .filter(el => !el.disabled && seen(el)).map(el => [el.dataset.kb, name(el)]))""")
    )


@pytest.mark.browser
@pytest.mark.parametrize("name", ["home", "search", "notfound"])
def test_tab_key_alone_reaches_every_visible_control(browser, site_url: str, name: str) -> None:
    context, page = _open(browser, site_url, PAGE_TYPES[name], viewport=DESKTOP)
    stops = _tab_walk(page, limit=400)
    visible = _visible_controls(page)
    context.close()
    reached = {s["key"] for s in stops}
    assert [n for k, n in visible.items() if k not in reached] == [], "not reached by Tab"
    assert [s["name"] for s in stops if not s["visible"]] == [], "Tab stops that are not shown"
    names = " ".join(s["name"] for s in stops)
    assert "#ps-headsearch-q" in names and "md-tabs__link" in names


@pytest.mark.browser
def test_search_with_the_keyboard_only(browser, site_url: str) -> None:
    context, page = _open(browser, site_url, "", viewport=DESKTOP)
    _tab_to(page, "document.activeElement.id === 'ps-headsearch-q'", 60, "Tab never reached the header search box")
    page.keyboard.type("闵行")
    page.keyboard.press("Enter")
    page.wait_for_selector("#ps-search-results li a", timeout=10_000)
    assert "search/?q=" in page.url
    _tab_to(
        page, "!!document.activeElement.closest('#ps-search-results')", 60, "Tab never reached the first search result"
    )
    target = page.evaluate("document.activeElement.href")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == target
    context.close()


def _tab_to(page, expression: str, limit: int, failure: str) -> None:
    """Press Tab until ``expression`` holds for the focused element (at most ``limit`` presses)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(expression):
            return
    pytest.fail(failure)


def _wait(page, expression: str, timeout: float = 5.0) -> None:
    """Poll ``expression`` until true (page.wait_for_function would need eval, which the site's CSP forbids)."""
    import time

    end = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > end:
            pytest.fail(f"timed out waiting for {expression}")
        page.wait_for_timeout(25)


def _drawer_cycle(page) -> list[str]:
    """Tab round the open drawer once: the names of its stops, each checked to be shown and inside it."""
    first = None
    names: list[str] = []
    for _ in range(60):
        here = page.evaluate(
            _js(
                "[name(document.activeElement), seen(document.activeElement) && "
                "onScreen(document.activeElement), "
                "!!document.activeElement.closest('.md-sidebar--primary'), "
                "(e => { const r = where(e); const t = document.elementFromPoint("
                "r.left + r.width / 2, r.top + r.height / 2); return t ? name(t) : ''; })"
                "(document.activeElement)]"
            )
        )
        assert here[1] and here[2], (
            f"focus is on something not shown in the open drawer: {here[0]} (at its place: {here[3]})"
        )
        if here[0] == first:
            return names
        first = first or here[0]
        names.append(here[0])
        page.keyboard.press("Tab")
    pytest.fail(f"Tab did not come round in the drawer: {names}")


def _enter_on(page, stops: list[str], label: str) -> None:
    """From the first stop of the drawer, Tab to the stop named ``label`` and press Enter."""
    matches = [i for i, n in enumerate(stops) if n.startswith("label") and f'"{label}' in n]
    assert matches, f"no {label} in the drawer: {stops}"
    for _ in range(matches[0]):
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    _wait(
        page,
        "!!document.activeElement.closest('.md-sidebar--primary') && "
        "document.activeElement.checkVisibility({checkVisibilityCSS: true})",
    )


@pytest.mark.browser
@pytest.mark.parametrize("name", ["home", "about"])
def test_phone_navigation_drawer_with_the_keyboard_only(browser, site_url: str, name: str) -> None:
    """At 375 px (and at 200 % zoom) the navigation is a drawer behind the menu button: closed, Tab never
    lands in it; Enter on the menu button opens it with focus inside, every level is reached with Tab and
    Enter, and Escape closes it and returns to the menu button."""
    context, page = _open(browser, site_url, PAGE_TYPES[name], viewport=PHONE)
    closed = _tab_walk(page, limit=200)
    assert [s["name"] for s in closed if not s["visible"]] == [], "Tab stops that are not shown"
    assert [s["name"] for s in closed if "md-nav" in s["name"]] == [], "Tab went into the closed drawer"
    button = [i for i, s in enumerate(closed) if s["name"].startswith("label") and "md-header__button" in s["name"]]
    assert button, "Tab never reached the menu button"
    page.evaluate("document.activeElement.blur()")
    for _ in range(button[0] + 1):
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.matches('label[for=__drawer]')")
    page.keyboard.press("Enter")
    _wait(page, "!!document.activeElement.closest('.md-sidebar--primary')")
    assert page.evaluate("document.getElementById('__drawer').checked")
    levels = [_drawer_cycle(page)]
    # home: the top level is open, go down into 关于; about: its section 关于 is open, go back up.
    _enter_on(page, levels[0], "关于")
    levels.append(_drawer_cycle(page))
    text = " ".join(" ".join(level) for level in levels)
    current = {"home": "首页", "about": "关于本站"}[name]  # the current page is the way into its contents
    for entry in (
        "首页",
        "文件",
        "市级和各区",
        "主题",
        "单位",
        "对口地区",
        "量化指标",
        "时间节点",
        "索引",
        "搜索",
        "关于本站",
        "数据下载",
        "整理说明",
        "编辑指南",
    ):
        assert f'a[href="{entry}' in text or f'"{entry}' in text or entry == current, (
            f"{entry} not reached in the drawer: {levels}"
        )
    page.keyboard.press("Escape")
    assert not page.evaluate("document.getElementById('__drawer').checked")
    assert page.evaluate("document.activeElement.matches('label[for=__drawer]')")
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "375px"])
def test_a_search_that_finds_nothing_and_its_suggestions_have_no_violation(
    browser, site_url: str, viewport, axe_source: str
) -> None:
    context = browser.new_context(viewport=viewport, bypass_csp=True, color_scheme="light")
    page = context.new_page()
    page.goto(site_url + "search/?q=闽行")
    page.wait_for_function("() => document.getElementById('ps-search-suggest').getAttribute('data-query') === '闽行'")
    assert page.locator("#ps-search-suggest a").count() >= 1
    found = _axe(page, axe_source, {"type": "tag", "values": AXE_TAGS})
    context.close()
    assert found == [], "\n".join(found)
