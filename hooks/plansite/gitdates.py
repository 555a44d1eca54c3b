"""When each data file last changed, from git history (one ``git log`` call for the whole tree)."""

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
    out: dict[str, dt.date] = {}
    try:
        log = subprocess.run(
            ["git", "log", "--format=@%ct", "--name-only", "--no-renames", "--", "data"],
            cwd=root, capture_output=True, text=True, check=True, timeout=60,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        log = ""
    stamp = None
    for line in log.splitlines():
        if line.startswith("@"):
            stamp = dt.datetime.fromtimestamp(int(line[1:]), dt.timezone.utc).date()
        elif line and stamp and line not in out:
            out[line] = stamp
    fallback = _fallback(root)
    for p in paths or []:
        out.setdefault(p, fallback)
    try:
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "data"], cwd=root, capture_output=True,
                               text=True, check=True, timeout=60).stdout
        for line in dirty.splitlines():
            out[line[3:].strip()] = fallback
    except (OSError, subprocess.SubprocessError):
        pass
    return out


def _fallback(root: Path) -> dt.date:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    try:
        ct = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=root, capture_output=True, text=True,
                            check=True, timeout=60).stdout.strip()
        if ct:
            return dt.datetime.fromtimestamp(int(ct), dt.timezone.utc).date()
    except (OSError, subprocess.SubprocessError):
        pass
    return dt.date(1970, 1, 1)


def source_date_epoch(root: Path) -> int:
    """Seconds since the epoch of the last commit (0 outside git): the date a reproducible build uses."""
    try:
        ct = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=root, capture_output=True, text=True,
                            check=True, timeout=60).stdout.strip()
        return int(ct) if ct else 0
    except (OSError, subprocess.SubprocessError, ValueError):
        return 0
