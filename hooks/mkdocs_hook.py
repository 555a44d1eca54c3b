"""MkDocs hook: thin glue that forwards MkDocs events to the ``plansite`` library.

on_config validates ``data/`` (a data error aborts the build with one clean message),
on_files adds the generated pages in memory, on_page_context points "edit" at the YAML,
on_post_build writes the open-data files and the search index.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

sys.path.insert(0, str(Path(__file__).resolve().parent))

from plansite import postbuild  # noqa: E402
from plansite.export import Exporter  # noqa: E402
from plansite.errors import write_step_summary  # noqa: E402
from plansite.gitdates import source_date_epoch  # noqa: E402
from plansite.site import generate  # noqa: E402

log = logging.getLogger("mkdocs.plugins.plansite")
_state: dict = {}


def on_config(config):
    """Validate the data and render all pages once per build."""
    root = Path(config.config_file_path).resolve().parent
    # Reproducible builds: every date MkDocs stamps (sitemap) comes from the last commit, not the clock.
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(source_date_epoch(root)))
    built, report = generate(root)
    if built is None:
        style = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "human"
        for line in report.format(style).splitlines():
            print(line, file=sys.stderr)
        write_step_summary(report)
        raise PluginError(f"数据检查发现 {len(report.errors)} 个错误，网站没有生成。请按上面的提示修改数据文件。")
    _state.clear()  # mkdocs serve calls on_config again for every rebuild
    _state.update(root=root, built=built, edit_base=_edit_base(config),
                  edit={p.path: p.edit for p in built.pages})
    if not config.repo_url:
        config.edit_uri = None  # no repository to edit in: no edit links at all
    for extra in ("data", "templates"):
        path = str(root / extra)
        if path not in config.watch:
            config.watch.append(path)
    return config


def on_files(files, config):
    """Add every generated page and open-data file to the build, in memory."""
    built = _state["built"]
    for page in built.pages:
        if files.get_file_from_path(page.path) is not None:
            raise PluginError(f"content/{page.path} 与生成的页面同名：请改名或删除这个手写页面。")
        files.append(File.generated(config, page.path, content=page.markdown))
    for out in Exporter(built.dataset, built.index, config.site_url or "").files():
        files.append(File.generated(config, out.path, content=out.content))
    return files


def on_page_context(context, page, config, nav):
    """Point the edit link of a generated page at the data file it comes from."""
    source = _state["edit"].get(page.file.src_uri)
    if source is not None:
        page.edit_url = _edit_url(config, source) if source else None
    return context


def _edit_base(config) -> str | None:
    repo = (config.repo_url or "").rstrip("/")
    if not repo:
        return None
    base = (config.edit_uri or "edit/main/").strip("/")
    if base.endswith("/content"):
        base = base[: -len("/content")]
    return f"{repo}/{base}/"


def _edit_url(config, source: str) -> str | None:
    """The edit link of a data file; for a folder (pages made from many files), its listing."""
    base = _state.get("edit_base")
    if not base:
        return None
    return (base.replace("/edit/", "/tree/", 1) if source.endswith("/") else base) + source


def on_post_build(config):
    """Write open data and the search index into the built site."""
    postbuild.run(_state["built"], Path(config.site_dir), config)
