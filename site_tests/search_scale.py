"""Search at scale: a synthetic site of N work points, built for real, and cold first queries in Chromium.

    .venv/bin/python site_tests/search_scale.py --points 10000 --out /tmp/scale10k [--repeat 5]

1. ``python -m tools.synth`` writes OUT/data (recombined from the real documents);
2. the project (templates, content, overrides, hooks, mkdocs.yml) is copied to OUT and built with
   ``mkdocs build`` into OUT/site (skipped with ``--no-build`` when OUT/site exists);
3. for each query, ``search_eval.first_query`` opens search/ in a fresh browser context with the cache
   off, types the query and waits for the results, served on 127.0.0.1 with gzip for text files as a
   static host would (``--no-gzip`` to serve everything uncompressed); the median of ``--repeat`` runs;
   for each link (``search/?q=…&区=…``), ``search_eval.first_link`` opens it and waits for the results.

Prints one JSON line per query and writes OUT/search_scale.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
QUERIES = [
    "泽普",
    "区人社局",
    "百县百品",
    "5000万元",
    "闵府办发〔2022〕15号",
    "minhang",
    # readers' words, pinyin that finds work points, a slip that finds nothing (suggestions), many results
    "援藏",
    "baoshan",
    "泽谱",
    "闵行",
]
# Searches opened from a link (shared or bookmarked), with a filter: the filters file comes with the first search.
LINKS = ["q=泽普&区=闵行区"]


def build(points: int, out: Path) -> dict:
    env = os.environ | {"NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT / "hooks")}
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "tools.synth", "--points", str(points), "--out", str(out)],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    for name in ("templates", "content", "overrides", "hooks"):
        shutil.rmtree(out / name, ignore_errors=True)
        shutil.copytree(ROOT / name, out / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", out / "mkdocs.yml")
    t1 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(out / "mkdocs.yml"), "-d", str(out / "site")],
        check=True,
        env=env,
        cwd=out,
    )
    return {"synth_s": round(t1 - t0, 1), "build_s": round(time.perf_counter() - t1, 1)}


def main(argv: list[str] | None = None) -> int:
    sys.path.insert(0, str(HERE))
    from playwright.sync_api import sync_playwright

    from browser import CHROMIUM_ARGS, chromium_path
    from search_eval import first_link, first_query, serve_counting

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--points", type=int, default=10000)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--no-build", action="store_true", help="measure OUT/site as it is")
    ap.add_argument("--no-gzip", action="store_true")
    ap.add_argument("--query", action="append", help="a query to measure (default: a fixed set)")
    ap.add_argument("--link", action="append", help="a search link's query string to measure (default: a fixed set)")
    args = ap.parse_args(argv)

    report: dict = {"points": args.points, "gzip": not args.no_gzip}
    if not args.no_build:
        report.update(build(args.points, args.out))
    site = args.out / "site"
    report["records"] = json.loads((site / "searchindex" / "meta.json").read_text(encoding="utf-8"))["records"]
    url, server = serve_counting(site, gzip_text=not args.no_gzip)
    report["queries"] = []
    try:
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            for q in args.query or QUERIES:
                runs = sorted(
                    (first_query(b, url, q, server=server) for _ in range(args.repeat)),
                    key=lambda r: r["ms_keystroke_to_results"],
                )
                med = {k: v for k, v in runs[len(runs) // 2].items() if k != "files"}
                med["ms_runs"] = [r["ms_keystroke_to_results"] for r in runs]
                report["queries"].append(med)
                print(json.dumps(med, ensure_ascii=False), flush=True)
            for link in [] if args.query and not args.link else args.link or LINKS:
                runs = sorted(
                    (first_link(b, url, link, server=server) for _ in range(args.repeat)),
                    key=lambda r: r["ms_keystroke_to_results"],
                )
                med = dict(runs[len(runs) // 2], ms_runs=[r["ms_keystroke_to_results"] for r in runs])
                report["queries"].append(med)
                print(json.dumps(med, ensure_ascii=False), flush=True)
            b.close()
    finally:
        server.shutdown()
    (args.out / "search_scale.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
