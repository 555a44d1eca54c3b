"""Benchmark of the site at the real data's size and at synthetic sizes (not a test: it measures).

``python -m tools.bench [--sizes real,1500,10000] [--out bench/out]``

For each size it makes a temporary project (a copy of mkdocs.yml, templates/, content/, overrides/
and hooks/, with the real data/ or synthetic data from :mod:`tools.synth`) and measures:

* the full ``mkdocs build`` in a subprocess: wall time, peak memory (the largest resident set of
  the build's processes, from ``wait4``, and the peak of their sum, sampled from /proc), and the
  time of each step (timed by tools/bench_timing_hook.py, listed first among the measured project's hooks);
* the built site: total size, the number of HTML pages, the median and the largest page;
* the search page's payload for a first query: the page is opened in Debian's Chromium (Playwright),
  the query is typed into the search box, and the bytes of every response under ``searchindex/`` are
  summed once the results are shown;
* showing the heaviest pages: the largest page of each kind is opened in Chromium as on a phone (390 × 844,
  CPU slowed four times) in a fresh context, three times, and the median time until the page has loaded
  (its ``load`` event: parsed, styled, scripts run, laid out) and its number of elements are reported;
* ``mkdocs serve``: after the first build, one YAML file is edited (a unit's note) and the time until
  the log says the rebuild finished and until the served page shows the edit is measured;
* a plain MkDocs + Material build of the same pages (``python -m plansite render`` written to disk
  with content/, and a copy of mkdocs.yml without ``hooks:``), for the hook's overhead as a ratio:
  for the whole hook (validation, rendering, open-data files, search index), and without the
  search index (which plain MkDocs does not build at all).

``--repeat N`` makes the builds with and without the hook N times, alternately, and reports the run
with the median wall time (the machine's other work makes single runs vary by a quarter).

It prints a table and writes ``OUT/results.json`` (every figure, the machine, the command) and
``OUT/results.md``; the logs of every build are kept in ``OUT/logs/``. Every step has a time limit,
and every server it starts is stopped.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import http.server
import importlib.metadata
import itertools
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
PROJECT_PARTS = ("templates", "content", "overrides", "hooks")
DEFAULT_QUERY = "消费帮扶"
MARK = "性能测试修改"


# -- machine and processes ---------------------------------------------------------------------------


def machine() -> dict:
    """The machine and software the figures were measured on."""
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_kb = 0
    try:
        m = re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())
        mem_kb = int(m.group(1)) if m else 0
    except OSError:
        pass
    versions = {}
    for dist in ("mkdocs", "mkdocs-material", "Markdown", "Jinja2", "PyYAML", "openpyxl", "playwright"):
        try:
            versions[dist] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            pass
    return {
        "nproc": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "cpu": cpu,
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "versions": versions,
        "git": _git(),
    }


def _git() -> dict:
    def run(*args: str) -> str:
        try:
            return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=30).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""

    return {
        "commit": run("rev-parse", "--short", "HEAD"),
        "changed_files": len(run("status", "--porcelain").splitlines()),
    }


def _children_of(pid: int) -> list[int]:
    """The process and all its descendants (from /proc/<pid>/task/<tid>/children)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                todo += [int(c) for c in Path(f"/proc/{p}/task/{task}/children").read_text().split()]
        except (OSError, ValueError):
            continue
    return out


def _rss_kb(pid: int) -> tuple[str, int]:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return "", 0
    name = re.search(r"Name:\s+(\S+)", status)
    rss = re.search(r"VmRSS:\s+(\d+)", status)
    return (name.group(1) if name else "", int(rss.group(1)) if rss else 0)


def _pss_kb(pid: int) -> int:
    """Proportional set size: the process's private memory plus its share of pages it shares (e.g. with a
    forked child), so that the sum over processes is the memory they use together."""
    try:
        match = re.search(r"^Pss:\s+(\d+)", Path(f"/proc/{pid}/smaps_rollup").read_text(), re.M)
    except OSError:
        return 0
    return int(match.group(1)) if match else 0


class MemorySampler(threading.Thread):
    """Samples the memory of a process and its descendants every ``interval`` seconds: the sum of their
    resident sets (counts pages shared by a forked child twice) and the sum of their proportional sets."""

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_total_kb = 0
        self.peak_pss_kb = 0
        self.peak_by_name: dict[str, int] = {}
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            total = pss = 0
            for p in _children_of(self.pid):
                name, rss = _rss_kb(p)
                total += rss
                pss += _pss_kb(p)
                if rss > self.peak_by_name.get(name, 0):
                    self.peak_by_name[name] = rss
            self.peak_total_kb = max(self.peak_total_kb, total)
            self.peak_pss_kb = max(self.peak_pss_kb, pss)
            self._halt.wait(self.interval)

    def stop(self) -> None:
        self._halt.set()
        self.join(timeout=5)


def cpu_busy(seconds: float = 2.0) -> float:
    """The fraction of all CPUs busy over ``seconds`` (from /proc/stat)."""

    def sample() -> tuple[int, int]:
        fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
        return sum(fields), fields[3] + fields[4]  # total, idle + iowait

    t1, i1 = sample()
    time.sleep(seconds)
    t2, i2 = sample()
    return 1 - (i2 - i1) / max(1, t2 - t1)


def wait_quiet(max_wait: float, threshold: float = 0.2) -> dict:
    """Wait (at most ``max_wait`` seconds) until other processes leave the CPUs idle, so that they do not
    slow the measurement down; returns how long it waited and how busy the CPUs were."""
    start = time.perf_counter()
    busy = cpu_busy()
    while busy > threshold and time.perf_counter() - start < max_wait:
        time.sleep(5)
        busy = cpu_busy()
    return {"waited_s": round(time.perf_counter() - start, 1), "cpu_busy_before": round(busy, 2)}


def run_measured(
    cmd: list[str], cwd: Path, log: Path, timeout: float, env: dict | None = None, quiet_wait: float = 0
) -> dict:
    """Run ``cmd``; return its wall time, exit status and peak memory (killed after ``timeout`` seconds)."""
    full_env = os.environ | {"NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"} | (env or {})
    quiet = wait_quiet(quiet_wait) if quiet_wait else {}
    load_before = os.getloadavg()[0]
    with open(log, "wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(
            cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env=full_env, start_new_session=True
        )
        sampler = MemorySampler(proc.pid)
        sampler.start()
        timer = threading.Timer(timeout, _kill_group, (proc.pid,))
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
            sampler.stop()
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
    return {
        "wall_s": round(wall, 2),
        "returncode": proc.returncode,
        "timed_out": wall >= timeout,
        "user_s": round(usage.ru_utime, 2),
        "sys_s": round(usage.ru_stime, 2),
        # wait4: the largest resident set of the process or any of its (waited-for) descendants
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "peak_rss_sum_mb": round(sampler.peak_total_kb / 1024, 1),
        # the memory the build's processes use together (shared pages counted once)
        "peak_pss_sum_mb": round(sampler.peak_pss_kb / 1024, 1),
        "peak_rss_by_process_mb": {k: round(v / 1024, 1) for k, v in sorted(sampler.peak_by_name.items()) if v},
        "loadavg_before": round(load_before, 2),
        "loadavg_after": round(os.getloadavg()[0], 2),
        **quiet,
    }


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _stop_group(proc: subprocess.Popen) -> None:
    """Stop a process started with start_new_session=True, and everything it started."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)
    except (ProcessLookupError, PermissionError):
        pass
    except subprocess.TimeoutExpired:
        _kill_group(proc.pid)
        proc.wait(timeout=15)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- the project -------------------------------------------------------------------------------------


def make_project(size: str, work: Path, log, hooks: Path | None = None) -> tuple[Path, dict]:
    """A temporary copy of the project with the real or synthetic data; returns it and the data's size.
    ``hooks``: another hooks/ folder to measure (e.g. an older version, for a before/after comparison)."""
    proj = work / "project"
    proj.mkdir(parents=True)
    for name in PROJECT_PARTS:
        source = hooks if (name == "hooks" and hooks) else ROOT / name
        shutil.copytree(source, proj / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    shutil.copy(ROOT / "mkdocs.yml", proj / "mkdocs.yml")
    info: dict = {}
    if size == "real":
        shutil.copytree(ROOT / "data", proj / "data", ignore=shutil.ignore_patterns("__pycache__"))
    else:
        from tools.synth import generate

        start = time.perf_counter()
        info = generate(int(size), proj)
        info["synth_s"] = round(time.perf_counter() - start, 2)
    from plansite.validate import validate_project

    ds, report = validate_project(proj)
    if ds is None:
        raise SystemExit(f"{size}: 数据未通过检查：\n{report.format()}")
    info.update(
        documents=len(ds.documents),
        points=sum(len(d.points) for d in ds.documents),
        items=sum(len(d.all_points) - len(d.points) for d in ds.documents),
        tasks=sum(len(d.tasks) for d in ds.documents),
        units=len(ds.units),
    )
    log(
        f"  数据：{info['points']} 条工作要点，{info['tasks']} 项任务，{info['documents']} 份文件，{info['units']} 个单位"
    )
    return proj, info


def site_stats(site: Path) -> dict:
    """Size of the built site: total, by top-level folder, and of its HTML pages."""
    total = 0
    by_top: dict[str, int] = {}
    pages: list[tuple[int, str]] = []
    for path in site.rglob("*"):
        if not path.is_file():
            continue
        size = path.stat().st_size
        rel = path.relative_to(site).as_posix()
        total += size
        top = rel.split("/", 1)[0] if "/" in rel else "(top)"
        if top not in ("searchindex", "data", "assets", "search"):
            top = "pages" if rel.endswith(".html") else "other"
        by_top[top] = by_top.get(top, 0) + size
        if rel.endswith(".html"):
            pages.append((size, rel))
    pages.sort()
    mb = lambda n: round(n / 1e6, 2)  # noqa: E731
    return {
        "total_mb": mb(total),
        "by_folder_mb": {k: mb(v) for k, v in sorted(by_top.items())},
        "html_pages": len(pages),
        "html_mb": mb(sum(s for s, _ in pages)),
        "median_page_kb": round(statistics.median(s for s, _ in pages) / 1e3, 1) if pages else 0,
        "largest_page_kb": round(pages[-1][0] / 1e3, 1) if pages else 0,
        "largest_page": pages[-1][1] if pages else "",
        "median_page_kb_by_kind": _medians_by_kind(pages),
        # every page's size, to compare the same pages across sizes (see same_pages); not written to results.json
        "page_bytes": {rel: size for size, rel in pages},
    }


def _page_kind(rel: str) -> str:
    """The kind of a page, from its path: ``units``, ``documents``, ``documents/原文``, ``themes/年度``…"""
    parts = rel.split("/")[:-1]
    if not parts:
        return "(top)"
    kind = parts[0]
    if "original" in parts[1:]:
        kind += "/原文"
    elif any(re.fullmatch(r"\d{4}", x) for x in parts[1:]):
        kind += "/年度"
    elif len(parts) == 1:
        kind += "/"  # the section page itself (units/ lists the units)
    return kind


def _medians_by_kind(pages: list[tuple[int, str]]) -> dict:
    """For each kind of page: how many, and the median size in kB."""
    by: dict[str, list[int]] = {}
    for size, rel in pages:
        by.setdefault(_page_kind(rel), []).append(size)
    return {k: {"pages": len(v), "median_kb": round(statistics.median(v) / 1e3, 1)} for k, v in sorted(by.items())}


def same_pages(small: dict[str, int], big: dict[str, int]) -> dict:
    """How much the pages present at both sizes grew: size at the larger over size at the smaller.

    The synthetic data of a larger size contains that of a smaller one (same documents, same text), so a
    page with the same address is the same page with more data around it. This measures what the
    site-wide median cannot: whether a page itself grows as the data grows, whatever the mix of pages.
    """
    common = sorted(set(small) & set(big))
    by: dict[str, list[float]] = {}
    for rel in common:
        by.setdefault(_page_kind(rel), []).append(big[rel] / small[rel])
    growth = [g for v in by.values() for g in v]
    return {
        "pages": len(common),
        "median_growth": round(statistics.median(growth), 3) if growth else None,
        "by_kind": {
            k: {"pages": len(v), "median_growth": round(statistics.median(v), 3), "max_growth": round(max(v), 3)}
            for k, v in sorted(by.items())
        },
    }


# -- search payload ----------------------------------------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@contextlib.contextmanager
def _browser_on(site: Path):
    """Debian's Chromium (Playwright) and ``site`` served on loopback: yields (browser, base URL). The browser is
    found and started as the browser tests do it (``site_tests/browser.py``)."""
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "site_tests"))
    from browser import CHROMIUM_ARGS, chromium_path

    chromium = chromium_path()
    if chromium is None:
        raise SystemExit("没有找到 Chromium：apt-get install chromium（或用环境变量 CHROMIUM 指定）。")
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=chromium,
                args=CHROMIUM_ARGS,
            )
            try:
                yield browser, f"http://127.0.0.1:{server.server_address[1]}/"
            finally:
                browser.close()
    finally:
        server.shutdown()
        server.server_close()


def search_payload(site: Path, query: str, timeout_s: float = 120) -> dict:
    """Bytes fetched under searchindex/ for a first query typed into the search page, in Chromium."""
    fetched: list[tuple[str, int]] = []
    with _browser_on(site) as (browser, base):
        page = browser.new_page()
        page.set_default_timeout(timeout_s * 1000)

        def finished(request) -> None:
            if "/searchindex/" in request.url:
                try:
                    size = request.sizes()["responseBodySize"]
                except Exception:  # noqa: BLE001 - a request without a response
                    size = 0
                fetched.append((request.url[len(base) :], size))

        page.on("requestfinished", finished)
        page.goto(base + "search/", wait_until="load")
        before = len(fetched)
        start = time.perf_counter()
        page.type("#ps-search-input", query, delay=50)
        page.press("#ps-search-input", "Enter")
        page.wait_for_selector("#ps-search-results li", timeout=timeout_s * 1000)
        shown = time.perf_counter() - start
        page.wait_for_load_state("networkidle", timeout=timeout_s * 1000)
        time.sleep(1.0)
        results = page.locator("#ps-search-results li").count()
        status = page.locator("#ps-search-status").inner_text()
    total = sum(s for _, s in fetched)
    largest = sorted(fetched, key=lambda x: -x[1])[:5]
    return {
        "query": query,
        "bytes": total,
        "kb": round(total / 1e3, 1),
        "requests": len(fetched),
        "bytes_on_load": sum(s for _, s in fetched[:before]),
        "results_shown": results,
        "status": status,
        "seconds_to_results": round(shown, 2),
        "largest": [{"path": p, "kb": round(s / 1e3, 1)} for p, s in largest],
    }


# -- showing the heaviest pages ---------------------------------------------------------------------------

PHONE = {"width": 390, "height": 844}
SLOWDOWN = 4  # the CPU slowed this many times (DevTools protocol), for a phone's slower processor


def heaviest_pages(site: Path) -> list[str]:
    """The largest page of each kind (see :func:`_page_kind`), largest first."""
    largest: dict[str, tuple[int, str]] = {}
    for path in site.rglob("index.html"):
        rel = path.relative_to(site).as_posix()
        if rel.split("/", 1)[0] in ("search", "assets"):
            continue
        kind, size = _page_kind(rel), path.stat().st_size
        if size > largest.get(kind, (-1, ""))[0]:
            largest[kind] = (size, rel)
    return [rel for _, rel in sorted(largest.values(), reverse=True)]


def page_show_times(site: Path, pages: list[str], runs: int = 3, timeout_s: float = 120) -> dict:
    """For each page: the median over ``runs`` fresh loads, as on a phone, of the time until its ``load`` event."""
    out = []
    with _browser_on(site) as (browser, base):
        # one load not counted: the first page a new browser shows also pays for the browser's own start
        # (in one run the first page measured took 1.6 s, and 0.9-1.1 s when measured again)
        for rel in [None, *pages] if pages else []:
            times, elements = [], 0
            for _ in range(runs if rel else 1):
                context = browser.new_context(viewport=PHONE, is_mobile=True)
                try:
                    page = context.new_page()
                    page.set_default_timeout(timeout_s * 1000)
                    context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": SLOWDOWN})
                    page.goto(base + (rel or pages[0])[: -len("index.html")], wait_until="load")
                    times.append(page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd"))
                    elements = page.evaluate("document.getElementsByTagName('*').length")
                finally:
                    context.close()
            if rel is None:
                continue
            out.append(
                {
                    "page": rel,
                    "kb": round((site / rel).stat().st_size / 1e3, 1),
                    "load_ms": round(statistics.median(times)),
                    "elements": elements,
                }
            )
    slowest = max(out, key=lambda r: r["load_ms"]) if out else None
    return {"viewport": PHONE, "cpu_slowdown": SLOWDOWN, "runs": runs, "pages": out, "slowest": slowest}


# -- mkdocs serve ------------------------------------------------------------------------------------


def _edit_target(proj: Path, site: Path) -> tuple[Path, str, str]:
    """A unit with a page and no note, and the file it is in."""
    import yaml

    for path in sorted((proj / "data" / "units").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for unit in data.get("units", []):
            if "note" not in unit and (site / "units" / unit["id"] / "index.html").exists():
                return path, unit["id"], f"units/{unit['id']}/"
    raise RuntimeError("找不到可以修改的单位。")


def serve_rebuild(proj: Path, site: Path, log_path: Path, timeout_s: float, log, quiet_wait: float = 0) -> dict:
    """Start ``mkdocs serve``, wait for it, edit one YAML file and time the rebuild."""
    path, unit_id, url_path = _edit_target(proj, site)
    port = _free_port()
    env = os.environ | {"NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    out = open(log_path, "wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}", "-f", str(proj / "mkdocs.yml")],
        cwd=proj,
        stdout=out,
        stderr=subprocess.STDOUT,
        env=env,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        start = time.perf_counter()
        while True:  # ready: the first build is done and the server answers
            if proc.poll() is not None:
                raise RuntimeError(f"mkdocs serve 退出了（见 {log_path}）。")
            if time.perf_counter() - start > timeout_s:
                raise TimeoutError("mkdocs serve 没有在时限内启动。")
            if "Serving on" in log_path.read_text(errors="replace") and _get(base + url_path) is not None:
                break
            time.sleep(0.5)
        first = time.perf_counter() - start
        quiet = wait_quiet(quiet_wait) if quiet_wait else {}
        builds_before = log_path.read_text(errors="replace").count("Documentation built in")
        marker = f"{MARK}{int(time.time())}"
        text = path.read_text(encoding="utf-8")
        m = re.search(rf'(?m)^(\s*)- id: "?{re.escape(unit_id)}"?\s*$', text)
        if m is None:
            raise RuntimeError(f"{path} 中找不到 {unit_id}。")
        indent = " " * (len(m.group(1)) + 2)
        log(f"  serve：修改 {path.relative_to(proj)}（单位 {unit_id} 的 note）")
        edited = time.perf_counter()
        path.write_text(text[: m.end()] + f"\n{indent}note: {marker}" + text[m.end() :], encoding="utf-8")
        started = logged = shown = None
        while time.perf_counter() - edited < timeout_s and (logged is None or shown is None):
            if proc.poll() is not None:
                raise RuntimeError(f"mkdocs serve 退出了（见 {log_path}）。")
            now = time.perf_counter() - edited
            text = log_path.read_text(errors="replace")
            if started is None and text.count("Building documentation") > builds_before:
                started = now
            if logged is None and text.count("Documentation built in") > builds_before:
                logged = now
            if shown is None and started is not None:
                body = _get(base + url_path)  # the server holds requests while it rebuilds
                if body is not None and marker in body:
                    shown = time.perf_counter() - edited
            time.sleep(0.2)
        built = re.findall(r"Documentation built in ([\d.]+) seconds", log_path.read_text(errors="replace"))
        return {
            "first_build_s": round(first, 2),
            "edited": f"{path.relative_to(proj).as_posix()} ({unit_id})",
            "rebuild_started_s": round(started, 2) if started is not None else None,
            "rebuild_logged_s": round(logged, 2) if logged is not None else None,
            "page_updated_s": round(shown, 2) if shown is not None else None,
            "mkdocs_reported_s": float(built[-1]) if len(built) > builds_before else None,
            **quiet,
        }
    finally:
        _stop_group(proc)
        out.close()


def _get(url: str, timeout: float = 900) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return resp.read().decode("utf-8", "replace")
    except (OSError, ValueError):
        return None


# -- plain MkDocs --------------------------------------------------------------------------------------


def plain_project(proj: Path, log_dir: Path, timeout_s: float) -> Path:
    """The same pages as Markdown on disk (content/ + the rendered pages) and a config without the hook."""
    docs = proj / "plain-docs"
    shutil.copytree(proj / "content", docs)
    env = os.environ | {"PYTHONPATH": str(proj / "hooks")}
    with open(log_dir / "render.log", "wb") as out:
        subprocess.run(
            [sys.executable, "-m", "plansite", "--root", str(proj), "render", "--out", str(docs)],
            cwd=proj,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            timeout=timeout_s,
            check=True,
        )
    lines, skip = [], False
    for line in (proj / "mkdocs.yml").read_text(encoding="utf-8").splitlines():
        if re.match(r"^hooks:\s*$", line):
            skip = True
            continue
        if skip and re.match(r"^\s+-\s", line):
            continue
        skip = False
        lines.append("docs_dir: plain-docs" if re.match(r"^docs_dir:", line) else line)
    config = proj / "mkdocs-plain.yml"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return config


# -- one size ------------------------------------------------------------------------------------------


def _median_run(runs: list[dict]) -> dict:
    """The run with the median wall time (the lower middle one), with every run's wall and CPU time."""
    chosen = dict(sorted(runs, key=lambda r: r["wall_s"])[(len(runs) - 1) // 2])
    chosen["runs_wall_s"] = [r["wall_s"] for r in runs]
    chosen["runs_cpu_s"] = [round(r["user_s"] + r["sys_s"], 2) for r in runs]
    return chosen


def bench_size(size: str, out: Path, args, log) -> dict:
    log(f"== {size} ==")
    work = Path(tempfile.mkdtemp(prefix=f"plansite-bench-{size}-"))
    logs = out / "logs" / size
    logs.mkdir(parents=True, exist_ok=True)
    result: dict = {"size": size}
    try:
        proj, result["data"] = make_project(size, work, log, Path(args.hooks) if args.hooks else None)
        # the timing hook goes first, so that it wraps the library's steps before any build event
        shutil.copy(Path(__file__).with_name("bench_timing_hook.py"), proj / "hooks" / "_bench_timing.py")
        config = (
            (proj / "mkdocs.yml")
            .read_text(encoding="utf-8")
            .replace("\nhooks:\n", "\nhooks:\n  - hooks/_bench_timing.py\n", 1)
        )
        (proj / "mkdocs-bench.yml").write_text(config, encoding="utf-8")
        site, plain_site = work / "site", work / "plain-site"
        plain_config = None if "plain" in args.skip else plain_project(proj, logs, args.timeout)
        builds, plains = [], []
        for run in range(1, args.repeat + 1):  # with and without the hook, alternately
            timings = logs / f"hook-timings-{run}.json"
            log(f"  完整构建（mkdocs build，第 {run} 次）……")
            build = run_measured(
                [sys.executable, "-m", "mkdocs", "build", "-f", str(proj / "mkdocs-bench.yml"), "-d", str(site)],
                proj,
                logs / f"build-{run}.log",
                args.timeout,
                env={"PLANSITE_BENCH_TIMINGS": str(timings)},
                quiet_wait=args.quiet_wait,
            )
            if build["returncode"] != 0:
                raise RuntimeError(f"构建失败（见 {logs / f'build-{run}.log'}）")
            build["hook_s"] = read_timings(timings)
            builds.append(build)
            log(
                f"  构建 {build['wall_s']} s（CPU {build['user_s'] + build['sys_s']:.1f} s），峰值内存 "
                f"{build['peak_rss_mb']} MB（各进程之和：PSS {build['peak_pss_sum_mb']} MB，RSS {build['peak_rss_sum_mb']} MB）"
            )
            if plain_config is not None:
                log(f"  不带钩子的 MkDocs 构建（第 {run} 次）……")
                plain = run_measured(
                    [sys.executable, "-m", "mkdocs", "build", "-f", str(plain_config), "-d", str(plain_site)],
                    proj,
                    logs / f"plain-build-{run}.log",
                    args.timeout,
                    quiet_wait=args.quiet_wait,
                )
                plains.append(plain)
                log(f"  不带钩子 {plain['wall_s']} s（CPU {plain['user_s'] + plain['sys_s']:.1f} s）")
        build = _median_run(builds)
        result["build"] = build
        result["site"] = site_stats(site)
        log(f"  网站 {result['site']['total_mb']} MB，{result['site']['html_pages']} 个页面")
        if plains:
            plain = _median_run(plains)
            plain["site"] = site_stats(plain_site)
            plain["site"].pop("page_bytes")
            result["plain"] = plain
            cpu, plain_cpu = build["user_s"] + build["sys_s"], plain["user_s"] + plain["sys_s"]
            result["overhead"] = {
                # wall time of the whole build with the hook (validation, pages, open data, search index)
                # over the plain MkDocs build of the same pages
                "whole_hook": round(build["wall_s"] / plain["wall_s"], 3),
                # the same with CPU time (user + system, of the build and the processes it waited for: the
                # worker and its forks): the work done, wherever it ran
                "whole_hook_cpu": round(cpu / plain_cpu, 3),
            }
            log(f"  钩子：×{result['overhead']['whole_hook']}（CPU ×{result['overhead']['whole_hook_cpu']}）")
            shutil.rmtree(plain_site, ignore_errors=True)
        if "search" not in args.skip:
            log("  搜索（Chromium）……")
            try:
                result["search"] = search_payload(site, args.query)
                log(f"  首次搜索 {result['search']['kb']} kB，{result['search']['requests']} 个请求")
            except Exception as exc:  # noqa: BLE001 - reported, the other measurements go on
                result["search"] = {"error": f"{type(exc).__name__}: {exc}"}
                log(f"  搜索测量失败：{exc}")
        if "pages" not in args.skip:
            log("  显示最大的页面（Chromium，手机尺寸，CPU 减速 4 倍）……")
            try:
                result["pages"] = page_show_times(site, heaviest_pages(site))
                s = result["pages"]["slowest"]
                log(f"  最慢 {s['load_ms']} ms：{s['page']}（{s['kb']} kB，{s['elements']} 个元素）")
            except Exception as exc:  # noqa: BLE001
                result["pages"] = {"error": f"{type(exc).__name__}: {exc}"}
                log(f"  页面显示测量失败：{exc}")
        if "serve" not in args.skip:
            log("  mkdocs serve……")
            try:
                result["serve"] = serve_rebuild(proj, site, logs / "serve.log", args.timeout, log, args.quiet_wait)
                log(
                    f"  serve：修改后 {result['serve']['rebuild_logged_s']} s 重建完成，"
                    f"{result['serve']['page_updated_s']} s 页面更新"
                )
            except Exception as exc:  # noqa: BLE001
                result["serve"] = {"error": f"{type(exc).__name__}: {exc}"}
                log(f"  serve 测量失败：{exc}")
    finally:
        if args.keep:
            log(f"  保留临时项目：{work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return result


def read_timings(path: Path) -> dict:
    """The steps timed by tools/bench_timing_hook.py: seconds per step, summed over its lines."""
    out: dict = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            for step, seconds in json.loads(line).items():
                out[step] = round(out.get(step, 0.0) + seconds, 2)
    return out


# -- report ----------------------------------------------------------------------------------------------

COLUMNS = [
    ("工作要点", lambda r: r["data"]["points"]),
    ("文件", lambda r: r["data"]["documents"]),
    ("构建 s", lambda r: r["build"]["wall_s"]),
    ("构建 CPU s", lambda r: round(r["build"]["user_s"] + r["build"]["sys_s"], 1)),
    ("峰值内存 MB", lambda r: r["build"]["peak_rss_mb"]),
    ("内存之和 MB", lambda r: r["build"].get("peak_pss_sum_mb", r["build"]["peak_rss_sum_mb"])),
    ("网站 MB", lambda r: r["site"]["total_mb"]),
    ("页面数", lambda r: r["site"]["html_pages"]),
    ("页面中位数 kB", lambda r: r["site"]["median_page_kb"]),
    ("最大页面 kB", lambda r: r["site"]["largest_page_kb"]),
    ("首次搜索 kB", lambda r: r.get("search", {}).get("kb", "—")),
    ("最慢页面显示 ms", lambda r: r["pages"]["slowest"]["load_ms"]),
    ("serve 重建 s", lambda r: r.get("serve", {}).get("rebuild_logged_s", "—")),
    ("纯 MkDocs s", lambda r: r.get("plain", {}).get("wall_s", "—")),
    ("纯 MkDocs CPU s", lambda r: round(r["plain"]["user_s"] + r["plain"]["sys_s"], 1)),
    ("钩子倍数", lambda r: r.get("overhead", {}).get("whole_hook", "—")),
    ("钩子倍数（CPU）", lambda r: r.get("overhead", {}).get("whole_hook_cpu", "—")),
]


def table(results: list[dict]) -> str:
    rows = [[name for name, _ in COLUMNS]]
    for r in results:
        row = []
        for _, get in COLUMNS:
            try:
                row.append(str(get(r)))
            except (KeyError, TypeError):
                row.append("—")
        rows.append(row)
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
    lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
    return "\n".join(lines)


def targets(results: list[dict], goals: dict) -> list[str]:
    """The figures held against ``goals`` (tools/bench_targets.yml or --targets): one line per goal."""
    by = {r["size"]: r for r in results if "build" in r}
    out = []

    def check(label: str, value, ok: bool) -> None:
        out.append(f"{label}：{value}：{'达到' if ok else '未达到'}")

    for size, g in goals.get("sizes", {}).items():
        r = by.get(str(size))
        if not r:
            continue
        b = r["build"]
        if "build_s" in g:
            check(f"{size} 条：构建（目标 ≤ {g['build_s']} s）", f"{b['wall_s']} s", b["wall_s"] <= g["build_s"])
        if "memory_mb" in g:
            mem = b.get("peak_pss_sum_mb", b["peak_rss_sum_mb"])
            check(f"{size} 条：峰值内存，各进程之和（目标 ≤ {g['memory_mb']} MB）", f"{mem} MB", mem <= g["memory_mb"])
        if "hook_ratio" in g and "overhead" in r:
            o = r["overhead"]
            check(
                f"{size} 条：钩子倍数（目标 ≤ ×{g['hook_ratio']}）",
                f"×{o['whole_hook']}（CPU ×{o['whole_hook_cpu']}）",
                o["whole_hook"] <= g["hook_ratio"],
            )
        if "first_search_kb" in g and "kb" in r.get("search", {}):
            check(
                f"{size} 条：首次搜索（目标 ≤ {g['first_search_kb']} kB）",
                f"{r['search']['kb']} kB",
                r["search"]["kb"] <= g["first_search_kb"],
            )
    growth = goals.get("growth")
    if growth:
        small, big = by.get(str(growth["from"])), by.get(str(growth["to"]))
        if small and big:
            n = big["data"]["points"] / small["data"]["points"]
            t = big["build"]["wall_s"] / small["build"]["wall_s"]
            m = big["build"].get("peak_pss_sum_mb", big["build"]["peak_rss_sum_mb"]) / small["build"].get(
                "peak_pss_sum_mb", small["build"]["peak_rss_sum_mb"]
            )
            limit = n * growth.get("slack", 1.0)
            check(
                f"工作要点 ×{n:.2f}：构建时间与峰值内存至多同样增长（×{limit:.2f}）",
                f"×{t:.2f}、×{m:.2f}",
                t <= limit and m <= limit,
            )
            same = big.get(f"same_pages_as_{growth['from']}")
            if same and same["pages"]:
                kinds = same["by_kind"]
                out.append(
                    f"同一页面在两种规模下变大的倍数：中位数 ×{same['median_growth']}；"
                    + "，".join(f"{k} ×{kinds[k]['median_growth']}" for k in kinds if kinds[k]["pages"] >= 10)
                )
    return out


def _without_page_bytes(result: dict) -> dict:
    if "page_bytes" not in result.get("site", {}):
        return result
    return {**result, "site": {k: v for k, v in result["site"].items() if k != "page_bytes"}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog=".venv/bin/python -m tools.bench", description="网站性能测量（真实数据和合成数据）"
    )
    parser.add_argument(
        "--sizes", default="real,1500,10000", help="逗号分隔：real 或工作要点条数（默认 real,1500,10000）"
    )
    parser.add_argument("--out", default=str(ROOT / "bench" / "out"), help="结果目录（默认 bench/out）")
    parser.add_argument("--query", default=DEFAULT_QUERY, help=f"搜索测量用的查询（默认 {DEFAULT_QUERY}）")
    parser.add_argument("--skip", default="", help="逗号分隔，跳过：search、pages、serve、plain")
    parser.add_argument("--timeout", type=float, default=1800, help="每一步的时限（秒，默认 1800）")
    parser.add_argument("--keep", action="store_true", help="保留临时项目和网站")
    parser.add_argument(
        "--repeat", type=int, default=1, help="带钩子和不带钩子的构建各做几次（交替进行），报告耗时居中的一次（默认 1）"
    )
    parser.add_argument("--hooks", default=None, help="用另一个 hooks/ 目录构建（比较修改前后；默认本项目的 hooks/）")
    parser.add_argument(
        "--targets",
        default=str(Path(__file__).with_name("bench_targets.yml")),
        help="目标文件（默认 tools/bench_targets.yml；空字符串则不比较）",
    )
    parser.add_argument(
        "--quiet-wait",
        type=float,
        default=300,
        help="每次构建前最多等待多少秒，直到其他进程让出 CPU（默认 300；0 不等待）",
    )
    args = parser.parse_args(argv)
    args.skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    command = ".venv/bin/python -m tools.bench " + " ".join(argv if argv is not None else sys.argv[1:])

    def log(msg: str) -> None:
        print(msg, flush=True)

    started = dt.datetime.now(dt.UTC)
    info = machine()
    log(f"机器：{info['nproc']} 核 {info['cpu']}，内存 {info['memory_gb']} GB；Python {info['python']}")
    results = []
    for size in [s.strip() for s in args.sizes.split(",") if s.strip()]:
        try:
            results.append(bench_size(size, out, args, log))
        except Exception as exc:  # noqa: BLE001 - the other sizes are still measured
            log(f"  {size} 失败：{type(exc).__name__}: {exc}")
            results.append({"size": size, "error": f"{type(exc).__name__}: {exc}"})
        (out / "results.json").write_text(
            json.dumps(
                {
                    "command": command,
                    "started": started.isoformat(timespec="seconds"),
                    "machine": info,
                    "results": [_without_page_bytes(r) for r in results],
                },
                ensure_ascii=False,
                indent=1,
            ),
            encoding="utf-8",
        )
    sized = {r["size"]: r for r in results if "site" in r}
    ordered = sorted((s for s in sized if s.isdigit()), key=int)
    for small, big in itertools.pairwise(ordered):  # a larger synthetic size contains the smaller one's pages
        sized[big][f"same_pages_as_{small}"] = same_pages(
            sized[small]["site"]["page_bytes"], sized[big]["site"]["page_bytes"]
        )
    for r in sized.values():
        r["site"].pop("page_bytes", None)
    report = table([r for r in results if "build" in r])
    goals = yaml.safe_load(Path(args.targets).read_text(encoding="utf-8")) if args.targets else {}
    checks = targets(results, goals or {})
    finished = dt.datetime.now(dt.UTC)
    summary = {
        "command": command,
        "started": started.isoformat(timespec="seconds"),
        "finished": finished.isoformat(timespec="seconds"),
        "machine": info,
        "results": results,
        "targets": checks,
    }
    (out / "results.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    (out / "results.md").write_text(report + "\n\n" + "\n".join(f"- {c}" for c in checks) + "\n", encoding="utf-8")
    print()
    print(report)
    print()
    for c in checks:
        print("- " + c)
    print(f"\n结果：{out / 'results.json'}")
    return 0 if all("error" not in r for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
