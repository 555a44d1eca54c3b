"""The editors' command line.

``validate [PATHS]``   check data/ (all errors at once; exit 1 on errors); ``--format github`` for CI
``render --out DIR``   write the generated part of the site (Markdown pages, open data, search index, redirects)
``new``                write the template of a new document for an issuer and year
``slug TEXT``          the pinyin id for a Chinese name
``schema --out DIR``   write the JSON Schemas of the data files
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .errors import write_step_summary


def _root(arg: str | None) -> Path:
    if arg:
        return Path(arg).resolve()
    here = Path.cwd().resolve()
    for cand in (here, *here.parents):
        if (cand / "data").is_dir() and (cand / "mkdocs.yml").exists():
            return cand
    return here


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = argparse.ArgumentParser(
        prog=".venv/bin/python -m plansite", description="上海东西部协作工作计划库：数据工具"
    )
    parser.add_argument("--root", help="项目根目录（默认：向上查找含 data/ 和 mkdocs.yml 的目录）")
    sub = parser.add_subparsers(dest="cmd", required=True)
    v = sub.add_parser("validate", help="检查 data/ 中的全部数据")
    v.add_argument("paths", nargs="*", help="只显示这些文件中的问题（仍检查全部数据，因为引用是跨文件的）")
    v.add_argument(
        "--format",
        choices=("human", "github"),
        default=None,
        help="human：适合阅读；github：GitHub Actions 注释（在 GitHub Actions 中默认）",
    )
    r = sub.add_parser("render", help="把生成的页面（Markdown）、开放数据、搜索索引和跳转页面写到目录（不经 MkDocs）")
    r.add_argument("--out", required=True)
    r.add_argument("--site-url", default="", help="网站的完整网址（开放数据和订阅中的链接用它写成绝对网址）")
    n = sub.add_parser("new", help="生成一份新文件的数据模板（层级按发文机关在单位名录中的 doc_level）")
    n.add_argument("--issuer", required=True, help="发文机关的单位 id，如 minhang-hezuojiaoliuban")
    n.add_argument("--year", required=True, type=int)
    n.add_argument("--kind", default="工作要点", help="文件类型，默认 工作要点")
    n.add_argument("--title", help="文件标题（默认按发文机关、年度和类型生成）")
    n.add_argument("--id", help="文件 id（默认：<发文机关单位 id>-<年度>-<类型>）；与已有的文件重复时请指定")
    s = sub.add_parser("slug", help="由中文名称生成拼音 id")
    s.add_argument("text", nargs="+")
    sc = sub.add_parser("schema", help="写出数据文件的 JSON Schema")
    sc.add_argument("--out", default="data/schema")
    args = parser.parse_args(argv)
    root = _root(args.root)
    try:
        if args.cmd == "validate":
            return _validate(root, args)
        if args.cmd == "render":
            return _render(root, Path(args.out), args.site_url)
        if args.cmd == "new":
            from .scaffold import new_document

            return new_document(root, args.issuer, args.year, args.kind, args.title, args.id)
        if args.cmd == "slug":
            from .slug import slugify

            _register_readings(root)
            print(slugify(" ".join(args.text)))
            return 0
        if args.cmd == "schema":
            from .jsonschema import write_schemas

            for path in write_schemas(root / args.out):
                print(path.relative_to(root))
            return 0
    except KeyboardInterrupt:
        return 130
    return 2


def _validate(root: Path, args) -> int:
    from .validate import validate_project

    style = args.format or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "human")
    wanted = set()
    for p in args.paths:
        path = Path(p).resolve()
        if not path.is_relative_to(root):
            print(
                f"{p} 不在项目 {root} 中：只能检查本项目 data/ 中的文件（或用 --root 指定项目目录）。", file=sys.stderr
            )
            return 2
        wanted.add(path.relative_to(root).as_posix())
    ds, report = validate_project(root)
    elsewhere = 0
    if wanted:
        shown = [d for d in report.diagnostics if d.file in wanted]
        elsewhere = len({d for d in report.diagnostics if d.severity == "error"} - set(shown))
        report.diagnostics = shown
    text = report.format(style)
    if elsewhere and report.ok:  # the files asked for are clean, but the data as a whole is not
        text = text.splitlines()[:-1] + [
            f"所选文件中没有发现问题，但其他文件中还有 {elsewhere} 个错误"
            "（运行 .venv/bin/python -m plansite validate 查看全部）。"
        ]
        text = "\n".join(text)
    print(text)
    write_step_summary(report)
    return 0 if ds is not None else 1


def _render(root: Path, out: Path, site_url: str = "") -> int:
    """The generated part of the site as files under ``out``, for MkDocs without this project's hooks or any other
    static-site tool: every page's Markdown, the open data, the search index and the redirect pages."""
    from . import background, postbuild
    from .site import generate, write_markdown

    built, report = generate(root)
    if built is None:
        print(report.format(), file=sys.stderr)
        return 1
    written = write_markdown(built, out)
    done = background.make_all(built, out, site_url)
    redirects = postbuild.write_redirects(built.dataset.redirects, out)
    print(
        f"已写出 {len(written)} 个页面、{done['files']} 个开放数据文件、{done['records']} 条搜索记录、"
        f"{len(redirects)} 个跳转页面到 {out}"
    )
    return 0


def _register_readings(root: Path) -> None:
    """Use the project's corrected readings (data/pinyin.yml) for slugs, as the site does for its pinyin."""
    from .validate import Validator

    validator = Validator(root)
    validator.readings()
    if validator.report.errors:
        print(
            "注意：data/pinyin.yml 有错误，拼音按 pypinyin 的默认读音生成；请先运行 .venv/bin/python -m plansite validate。",
            file=sys.stderr,
        )
