"""plansite.rawhtml: the HTML blocks set aside before MkDocs parses a page give the same HTML and anchors."""

from __future__ import annotations

import markdown
import pytest
from mkdocs.config import load_config
from mkdocs.structure.pages import _RawHTMLPreprocessor

from conftest import ROOT
from plansite import rawhtml
from plansite.rawhtml import RawBlocks
from plansite.site import generate


def _extensions() -> tuple[list, dict]:
    """The Markdown extensions of mkdocs.yml, as MkDocs configures them."""
    config = load_config(str(ROOT / "mkdocs.yml"))
    return list(config.markdown_extensions), dict(config.mdx_configs or {})


EXTENSIONS, CONFIGS = _extensions()


def convert(text: str, raw_blocks: bool) -> tuple[str, set[str], int]:
    """The HTML, the anchors MkDocs finds, and how many blocks RawBlocks set aside."""
    md = markdown.Markdown(extensions=[*EXTENSIONS, *([RawBlocks()] if raw_blocks else [])], extension_configs=CONFIGS)
    mkdocs_raw = _RawHTMLPreprocessor()
    mkdocs_raw._register(md)  # as MkDocs' Page.render does
    out = md.convert(text)
    taken = md.preprocessors["plansite_raw_blocks"].taken if raw_blocks else 0
    return out, mkdocs_raw.present_anchor_ids, taken


def _site_pages() -> list[tuple[str, str]]:
    built, report = generate(ROOT, render=True)
    assert built is not None, report.format()
    pages = [(p.path, p.markdown) for p in built.pages]
    pages += [
        (str(p.relative_to(ROOT)), p.read_text(encoding="utf-8")) for p in sorted((ROOT / "content").rglob("*.md"))
    ]
    return pages


def test_every_page_of_the_site_converts_the_same() -> None:
    pages = _site_pages()
    taken = 0
    for path, text in pages:
        usual, usual_ids, _ = convert(text, raw_blocks=False)
        fast, fast_ids, n = convert(text, raw_blocks=True)
        assert fast == usual, path
        assert fast_ids == usual_ids, path
        taken += n
    assert taken > len(pages)  # the generated pages' tables and lists are set aside, not parsed


@pytest.mark.parametrize(
    "text",
    [
        # a block, then Markdown with a link to one of its anchors
        '# 标题\n\n<div class="x"><ul>\n<li id="a-1">甲 &amp; 乙</li>\n<li><a name="old">旧</a></li>\n</ul></div>\n\n正文[链接](#a-1)\n',
        # a block-level element open across a blank line: the table inside it is not taken out of it
        '<div class="outer">\n\n<table>\n<tr><td id="t">1</td></tr>\n</table>\n\n</div>\n\n<p id="p">后</p>\n',
        # the block closes before the end of its chunk: more text follows on the next line
        '<p id="a">一</p>\n后面的文字 *强调*\n\n<p id="b">二</p>\n',
        # ... or on the same line
        '<div id="a">一</div> 尾巴\n\n<p id="b">二</p>\n',
        # a single-quoted attribute, an unclosed inner element, hr, a self-closed tag, an entity
        '<div id=\'q\'>引号</div>\n\n<div id="u"><p>没有闭合<br><hr><img src="x.png"/></div>\n\n<p>&#x4E00;&copy;</p>\n',
        # an HTML comment anywhere: the page takes the usual way
        '<!-- 注释 -->\n\n<div id="c">块</div>\n',
        # inline tags starting lines do not stop the rest
        '<span id="old"></span>\n## 要点 { #new }\n\n<div class="ps-facts"><ul>\n<li>甲</li>\n</ul></div>\n\n<small>小字</small>\n',
        # a stray end tag starting a line
        '</div>\n\n<div id="d">块</div>\n',
        # nested elements of the same name, and a block at the very start and at the very end
        '<div id="o"><div id="i">内</div>\n<div>二</div></div>\n\n文字\n\n<table><tr><td>末</td></tr></table>',
    ],
)
def test_the_same_html_and_anchors(text: str) -> None:
    usual, usual_ids, _ = convert(text, raw_blocks=False)
    fast, fast_ids, _ = convert(text, raw_blocks=True)
    assert fast == usual
    assert fast_ids == usual_ids


def test_which_blocks_are_taken() -> None:
    assert convert('<div id="a"><ul>\n<li id="b">甲</li>\n</ul></div>\n\n<p>乙</p>\n', True)[2] == 2
    assert convert('<div class="outer">\n\n<table>\n<tr><td>1</td></tr>\n</table>\n\n</div>\n', True)[2] == 0
    assert convert("<!-- c -->\n\n<p>乙</p>\n", True)[2] == 0
    assert convert('<span id="old"></span>\n## 要点\n\n<p>乙</p>\n', True)[2] == 1
    assert rawhtml._block('<div id="a">一</div>') == {"a"}
    assert rawhtml._block('<div id="a">一</div><p>二</p>') is None  # two elements: html_block ends at the first
    assert rawhtml._block('<div id="a">一 < 二</div>') is None  # a "<" that is not a tag
    assert rawhtml._block("<div>一<div>二</div>") is None  # not closed
    assert rawhtml._block('<span id="a">一</span>') is None  # not block-level
    assert rawhtml._block('<p><a name="x" id="y&amp;z">一</a></p>') == {"x", "y&z"}
