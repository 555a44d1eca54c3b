"""What the hooks rely on in MkDocs and Material beyond their documented plugin API, each pinned by a test (the
list is in README.md, “钩子”), and that each optional hook can be removed with the same site as the result.

An upgrade of MkDocs or Material that changes one of these fails here, by name, before it breaks a build.
"""

from __future__ import annotations

import filecmp
import inspect
from pathlib import Path

import markdown
import pytest
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page, _RawHTMLPreprocessor

from conftest import ROOT, build_site, make_project

OPTIONAL_HOOKS = ("hooks/plansite_rawhtml.py", "hooks/plansite_htmlstore.py", "hooks/plansite_pagecache.py")


def test_a_generated_file_is_read_through_its_content_string() -> None:
    """plansite_generate: a page's Markdown comes from ``File.content_string`` (overridden to stream it from the
    worker); MkDocs reads it in ``Page.read_source`` unless a plugin returned a source."""
    assert "self.file.content_string" in inspect.getsource(Page.read_source)
    assert callable(File.generated)


def test_page_render_sets_what_the_page_cache_restores() -> None:
    """plansite_pagecache gives a reused page MkDocs' results of the last build: exactly these attributes, set
    by ``Page.render`` and nothing else of it."""
    src = inspect.getsource(Page.render)
    for name in (
        "self.content =",
        "self.toc =",
        "self._title_from_render =",
        "self.present_anchor_ids =",
        "self.links_to_anchors =",
    ):
        assert name in src, name
    assert src.count("self.") == src.count("self.markdown") + 5 + src.count("self.file"), (
        "Page.render sets something the page cache does not restore"
    )


def test_raw_html_ids_are_collected_by_a_preprocessor_the_rawhtml_hook_can_feed() -> None:
    """plansite_rawhtml sets plain HTML blocks aside before MkDocs' own raw-HTML preprocessor (priority 21) and
    adds their ids to its ``present_anchor_ids``."""
    md = markdown.Markdown()
    pre = _RawHTMLPreprocessor()
    pre._register(md)
    assert "mkdocs_raw_html" in md.preprocessors
    assert md.preprocessors.get_index_for_name("mkdocs_raw_html") < md.preprocessors.get_index_for_name("html_block")
    priorities = {item.name: item.priority for item in md.preprocessors._priority}
    assert priorities["mkdocs_raw_html"] == 21 and priorities["html_block"] == 20
    assert isinstance(pre.present_anchor_ids, set)


def test_page_content_is_kept_from_the_content_event_to_the_context_event() -> None:
    """plansite_htmlstore keeps a page's HTML compressed between on_page_content and on_page_context: MkDocs
    builds every page's content first and writes each page later, reading ``page.content`` only then."""
    from mkdocs.commands import build

    populate, write = inspect.getsource(build._populate_page), inspect.getsource(build._build_page)
    assert "page.content = config.plugins.on_page_content" in populate  # what the hook returns is kept
    assert (
        write.index("config.plugins.on_page_context(")
        < write.index("template.render(context)")
        < write.index("config.plugins.on_post_page(")
    )  # the HTML is back before the page is written


def test_material_prints_the_page_title_unescaped() -> None:
    """Page titles go through yaml_str (escaped as HTML), because Material writes ``page.meta.title`` into the
    HTML without escaping (base.html); the site's overrides extend Material's blocks by these names."""
    import material

    base = (Path(material.__file__).parent / "templates" / "base.html").read_text(encoding="utf-8")
    assert "page.meta.title" in base or "page.title" in base
    for block in ("{% block header %}", "{% block scripts %}", "{% block content %}"):
        assert block in base, block


@pytest.mark.parametrize("hook", OPTIONAL_HOOKS)
def test_each_optional_hook_can_be_removed(tmp_path: Path, hook: str) -> None:
    """Deleting an optional hook's line from mkdocs.yml gives the same site, byte for byte."""
    full = make_project(tmp_path / "full")
    assert build_site(full, tmp_path / "site-full").returncode == 0
    without = make_project(tmp_path / "without")
    config = (without / "mkdocs.yml").read_text(encoding="utf-8")
    assert f"  - {hook}\n" in config
    (without / "mkdocs.yml").write_text(config.replace(f"  - {hook}\n", ""), encoding="utf-8")
    result = build_site(without, tmp_path / "site-without")
    assert result.returncode == 0, result.stderr
    differ = _differences(tmp_path / "site-full", tmp_path / "site-without")
    assert differ == [], differ[:10]


def _differences(a: Path, b: Path) -> list[str]:
    cmp = filecmp.dircmp(a, b)
    out: list[str] = []

    def walk(c, prefix: str) -> None:
        out.extend(prefix + n for n in c.left_only + c.right_only + c.diff_files + c.funny_files)
        for name, sub in c.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(cmp, "")
    return out


def test_the_generation_hook_is_the_only_one_needed() -> None:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "  - hooks/plansite_generate.py\n" in config
    for hook in OPTIONAL_HOOKS:
        assert f"  - {hook}\n" in config
