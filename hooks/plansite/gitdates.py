"""When each data file last changed and when it was added, from git history (one ``git log`` for the whole tree)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path


def last_changed(root: Path, paths: list[str] | None = None) -> dict[str, dt.date]:
    """Map each tracked file under ``data/`` to the date of the last commit that touched it.

    Files with uncommitted changes, or outside git, get the date of ``SOURCE_DATE_EPOCH``
    when set, else of the newest commit, so that builds stay reproducible.
    """
    return file_dates(root, paths)[0]


def file_dates(root: Path, paths: list[str] | None = None) -> tuple[dict[str, dt.date], dict[str, dt.date]]:
    """For each tracked file under ``data/``: the date of the last commit that touched it, and of the first (when
    it was added to the site), from one ``git log``. Files not committed yet get the fallback date for both."""
    changed: dict[str, dt.date] = {}
    added: dict[str, dt.date] = {}
    log = _git(root, "log", "--format=@%ct", "--name-only", "--no-renames", "--", "data")
    stamp = None
    for line in log.splitlines():  # newest commit first
        if line.startswith("@"):
            stamp = dt.datetime.fromtimestamp(int(line[1:]), dt.UTC).date()
        elif line and stamp:
            changed.setdefault(line, stamp)
            added[line] = stamp
    fallback = _fallback(root)
    for p in paths or []:
        changed.setdefault(p, fallback)
        added.setdefault(p, fallback)
    for line in _git(root, "status", "--porcelain", "--", "data").splitlines():
        changed[line[3:].strip()] = fallback
    return changed, added


def _git(root: Path, *args: str) -> str:
    """The output of a git command in ``root``; empty when git is missing or fails (not a repository)."""
    try:
        return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return ""


def _fallback(root: Path) -> dt.date:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    ct = _git(root, "log", "-1", "--format=%ct").strip()
    return dt.datetime.fromtimestamp(int(ct), dt.UTC).date() if ct else dt.date(1970, 1, 1)


def source_date_epoch(root: Path) -> int:
    """Seconds since the epoch of the last commit (0 outside git): the date a reproducible build uses."""
    try:
        ct = subprocess.run(
            ["git", "log", "-1", "--format=%ct"], cwd=root, capture_output=True, text=True, check=True, timeout=60
        ).stdout.strip()
        return int(ct) if ct else 0
    except (OSError, subprocess.SubprocessError, ValueError):
        return 0
