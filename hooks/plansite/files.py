"""Which files are the data: the folders and registries ``data/`` must have, and every file the checks read.

Nothing is ignored without a word: a folder or registry that is missing (E110), a symbolic link (E122: never
followed, so nothing outside the repository is read or echoed in a message), and a file the validator would not
read (E109: ``.yaml`` or ``.YML`` instead of ``.yml``, a subfolder of ``data/documents/``, a full text or a source
text without its document) are all reported. Reading a file is :func:`plansite.load.read_data`.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from .errors import Pos, Report

# The registries in data/ (required unless marked optional) and the folders of one file per entry.
REGISTRIES = {
    "vocab.yml": True,
    "areas.yml": True,
    "themes.yml": True,
    "regions.yml": True,
    "pinyin.yml": False,
    "redirects.yml": False,
    "search.yml": False,
}
FOLDERS = {"documents": ".yml", "units": ".yml", "fulltext": ".txt", "sources": ".txt"}
_DATA_SUFFIXES = (".yml", ".yaml", ".txt", ".json")


@dataclass(frozen=True)
class DataFiles:
    """The files the validator reads: documents and unit directories (``*.yml``); full texts and source texts (the
    text as received) by document id."""

    documents: list[Path]
    units: list[Path]
    fulltexts: dict[str, Path]
    sources: dict[str, Path]


def find(root: Path, data: Path, report: Report) -> DataFiles | None:
    """Every data file under ``data``, sorted; the problems with the folders and the files that would be ignored
    go to ``report``. None when ``data`` itself is missing or not a folder."""
    rel = _rel(data, root)
    kind = _kind(data)
    if kind != "dir":
        _report_kind(rel, kind, report, folder=True)
        return None
    for name, entry_kind in _entries(data):
        if name.lower().endswith((".yml", ".yaml")) and name not in REGISTRIES and entry_kind != "link":
            report.add(
                "E109",
                Pos(f"{rel}/{name}"),
                path=f"{rel}/{name}",
                why=f"data/ 中只读取 {'、'.join(REGISTRIES)} 这几个文件",
                fix=_fix_name(name, [r[:-4] for r in REGISTRIES]),
            )
    found: dict[str, list[Path]] = {}
    for folder, suffix in FOLDERS.items():
        found[folder] = _folder(root, data / folder, suffix, report)
    documents = {p.stem for p in found["documents"]}
    by_id: dict[str, dict[str, Path]] = {}
    for folder, what in (("fulltext", "全文"), ("sources", "原件文字")):
        by_id[folder] = {}
        for path in found[folder]:
            if path.stem in documents:
                by_id[folder][path.stem] = path
            elif _kind(data / "documents") == "dir":  # (without data/documents/ every text would be reported)
                report.add(
                    "E109",
                    Pos(_rel(path, root)),
                    path=_rel(path, root),
                    why=f"没有对应的文件数据 data/documents/{path.stem}.yml",
                    fix=f"把{what}文件改名为所属文件的 id（<id>.txt），或删去这个多余的文件。",
                )
    return DataFiles(found["documents"], found["units"], by_id["fulltext"], by_id["sources"])


def _folder(root: Path, folder: Path, suffix: str, report: Report) -> list[Path]:
    rel = _rel(folder, root)
    kind = _kind(folder)
    if kind != "dir":
        _report_kind(rel, kind, report, folder=True)
        return []
    out = []
    for name, entry_kind in _entries(folder):
        path, where = folder / name, f"{rel}/{name}"
        if entry_kind == "link":
            report.add("E122", Pos(where), path=where)
        elif entry_kind == "dir":
            report.add(
                "E109",
                Pos(where),
                path=where + "/",
                why=f"{rel}/ 的子目录不会被读取",
                fix=f"把其中的文件移到 {rel}/ 下（每个文件一个 {suffix}），再删去这个子目录。",
            )
        elif name.endswith(suffix) and len(name) > len(suffix) and entry_kind == "file":
            out.append(path)
        elif name.startswith(".") and not name.lower().endswith(_DATA_SUFFIXES):
            continue  # .gitkeep, .DS_Store: not data, and no editor meant them to be
        elif entry_kind == "other":  # a pipe, a socket, a device: never opened (reading a pipe would wait forever)
            report.add("E109", Pos(where), path=where, why="它不是普通文件", fix="删去它，换成普通文件。")
        else:
            stem = name.rsplit(".", 1)[0] if "." in name else name
            report.add(
                "E109",
                Pos(where),
                path=where,
                why=f"{rel}/ 中只读取以 {suffix} 结尾的文件（小写）",
                fix=f"把文件改名为 {stem}{suffix}。",
            )
    return sorted(out)


def _entries(folder: Path) -> list[tuple[str, str]]:
    """(name, kind) of every entry of ``folder``, sorted; kind is file, dir, link or other (never following a link)."""
    with os.scandir(folder) as it:
        return sorted((e.name, _kind_of(e.stat(follow_symlinks=False).st_mode)) for e in it)


def _kind(path: Path) -> str:
    try:
        return _kind_of(os.lstat(path).st_mode)
    except FileNotFoundError:
        return "missing"
    except OSError:
        return "other"


def _kind_of(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "link"
    if stat.S_ISDIR(mode):
        return "dir"
    return "file" if stat.S_ISREG(mode) else "other"


def _report_kind(rel: str, kind: str, report: Report, folder: bool) -> None:
    if kind == "link":
        report.add("E122", Pos(rel), path=rel)
    elif kind == "missing":
        report.add(
            "E110",
            Pos(rel),
            path=rel + "/",
            problem="不存在",
            fix="数据目录要有 documents/、units/、fulltext/、sources/ 四个子目录：从仓库中恢复它（git checkout -- data/）。",
        )
    else:
        report.add(
            "E110", Pos(rel), path=rel, problem="不是目录", fix="这里要是一个目录：删去这个文件，从仓库中恢复目录。"
        )


def _fix_name(name: str, known: list[str]) -> str:
    stem = name.rsplit(".", 1)[0]
    if stem in known:
        return f"把它改名为 {stem}.yml。"
    return "文件数据放在 data/documents/，单位名录放在 data/units/；不需要的文件请删去。"


def _rel(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_absolute() else path.as_posix()
