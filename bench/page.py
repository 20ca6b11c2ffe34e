"""How long the HTML page takes to open in chromium, at the size analysts use and at the sample.

Usage (from the repository root)::

    .venv/bin/python bench/page.py                     # writes docs/PERFORMANCE-page.md
    .venv/bin/python bench/page.py --screenshot docs/screenshots/page-2000-after.png

Two pages: the synthetic 2,000-actor / 10,000-relation graph of bench/_pagegraph.py (seeded) and
the page of the bundled sample articles (``geokg build --demo``'s five articles, built here with
the default pipeline when ``--sample`` names no graph.geokg.json). Each page is opened ``--runs``
times in a fresh browser context of Debian's chromium (Playwright, offline); the opening time runs
from navigation start to the page's own ``geokg.readyAt`` (``performance.now()`` at its first
drawing after the layout settles). The median goes into the report; these are figures, never a test's pass mark.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


def _open_seconds(
    browser: Any, path: Path, screenshot: Path | None = None, hood: Path | None = None
) -> tuple[float, float]:
    """(the page's own opening time, the wall clock from before navigation to seeing it ready)"""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        start = time.perf_counter()
        page.goto(path.as_uri())
        deadline = start + 180
        while not page.evaluate("() => Boolean(window.geokg && window.geokg.ready)"):
            if time.perf_counter() > deadline:
                raise SystemExit(f"{path}: the page was not ready after 180 s")
            page.wait_for_timeout(10)
        # the page's own clock: navigation start to its first drawing after the layout (pages
        # from before bench/page.py have no readyAt: the wall clock from before navigation)
        wall = time.perf_counter() - start
        ready_at = page.evaluate("geokg.readyAt")
        seconds = ready_at / 1000 if ready_at is not None else wall
        if errors:
            raise SystemExit(f"{path}: console errors: {errors[:3]}")
        if screenshot is not None:
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            page.wait_for_timeout(300)
            page.screenshot(path=str(screenshot))
            _shrink(screenshot)
        if hood is not None:
            # the neighbourhood (one hop) of the 13th actor by weighted degree
            page.evaluate(
                "geokg.focusOn(geokg.nodes.get().sort((a, b) => a.geokg.rank - b.geokg.rank)"
                "[12].id, 1)"
            )
            page.wait_for_timeout(300)
            page.screenshot(path=str(hood))
            _shrink(hood)
        return seconds, wall
    finally:
        context.close()


def _shrink(png: Path) -> None:
    """Quantise a screenshot to 256 colours (a quarter of the bytes; it goes into docs/)."""
    try:
        from PIL import Image
    except ImportError:
        return
    with Image.open(png) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    small.save(png, optimize=True)


def _sample_graph(explicit: str | None, work: Path) -> Path:
    if explicit:
        return Path(explicit)
    out = work / "demo"
    subprocess.run(
        [sys.executable, "-m", "geokg", "build", "--demo", "-o", str(out)],
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    return out / "graph.geokg.json"


def _machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        chromium = subprocess.run(
            [str(CHROMIUM), "--version"], capture_output=True, text=True, check=False
        ).stdout.strip()
    except OSError:
        chromium = "chromium missing"
    cores = os.cpu_count()
    return (
        f"{platform.system()} {platform.release()}, {cores} cores ({cpu}), "
        f"Python {platform.python_version()}, {chromium}"
    )


def _commit() -> str:
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],
        check=False,
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout.strip()
    return head + (" (with uncommitted changes)" if dirty else "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actors", type=int, default=2000)
    parser.add_argument("--relations", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sample", help="graph.geokg.json of the sample build (default: build it)")
    parser.add_argument("--skip-sample", action="store_true", help="time the big page only")
    parser.add_argument("--screenshot", type=Path, help="save a screenshot of the big page")
    parser.add_argument("--hood-screenshot", type=Path, help="and one of a neighbourhood view")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "PERFORMANCE-page.md")
    parser.add_argument("--no-report", action="store_true", help="print the figures only")
    args = parser.parse_args(argv)

    from _pagegraph import page_graph
    from playwright.sync_api import sync_playwright

    from geokg.exports.html import write_html
    from geokg.graph.assemble import load_graph

    results: dict[str, Any] = {"commit": _commit()}  # before the screenshots change the tree
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        work = Path(tmp)
        graph = page_graph(args.actors, args.relations)
        t0 = time.perf_counter()
        big = write_html(graph, work / "big.html", max_nodes=args.actors, title="geokg synthetic")
        export_s = time.perf_counter() - t0
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            runs = [_open_seconds(browser, big) for _ in range(args.runs)]
            times = [t for t, _ in runs]
            if args.screenshot or args.hood_screenshot:
                _open_seconds(browser, big, args.screenshot, args.hood_screenshot)
            results["big"] = {
                "actors": graph.number_of_nodes(),
                "relations": graph.number_of_edges(),
                "bytes": big.stat().st_size,
                "export_s": round(export_s, 2),
                "open_s": [round(t, 2) for t in times],
                "median_s": round(statistics.median(times), 2),
                "wall_median_s": round(statistics.median(w for _, w in runs), 2),
            }
            if not args.skip_sample:
                sample = load_graph(_sample_graph(args.sample, work))
                small = write_html(sample, work / "sample.html", title="geokg sample")
                runs = [_open_seconds(browser, small) for _ in range(args.runs)]
                times = [t for t, _ in runs]
                results["sample"] = {
                    "actors": sample.number_of_nodes(),
                    "relations": sample.number_of_edges(),
                    "bytes": small.stat().st_size,
                    "open_s": [round(t, 2) for t in times],
                    "median_s": round(statistics.median(times), 2),
                    "wall_median_s": round(statistics.median(w for _, w in runs), 2),
                }
        finally:
            browser.close()
    print(json.dumps(results, indent=2))
    if not args.no_report:
        _report(results, args)
    return 0


def _report(results: dict[str, Any], args: argparse.Namespace) -> None:
    command = "python bench/page.py " + " ".join(sys.argv[1:])
    big = results["big"]
    lines = [
        "# geokg page: opening time",
        "",
        "Written by `bench/page.py` (do not edit by hand; rerun the bench).",
        "",
        f"- Date: {datetime.now(UTC).date().isoformat()}",
        f"- Commit: {results['commit']}",
        f"- Machine: {_machine()}",
        f"- Command: `{command.strip()}`",
        f"- Runs per page: {args.runs}, each in a fresh browser context (1280 × 800), headless, "
        "no GPU. Time: from navigation start to the page's `geokg.readyAt` (first drawing after "
        "the layout, by the page's own clock); *wall s* adds Playwright's navigation and "
        "polling, from just before navigation. The machine is shared, so times are noisy; the "
        "median is given.",
        "",
        "| page | actors | relations | HTML bytes | export s | opening s (median) | runs s "
        "| wall s (median) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |",
        f"| synthetic (bench/_pagegraph.py, seed 7) | {big['actors']:,} | {big['relations']:,} | "
        f"{big['bytes']:,} | {big['export_s']} | **{big['median_s']}** | "
        f"{', '.join(map(str, big['open_s']))} | {big['wall_median_s']} |",
    ]
    if "sample" in results:
        s = results["sample"]
        lines.append(
            f"| the five sample articles (`geokg build --demo`) | {s['actors']:,} | "
            f"{s['relations']:,} | {s['bytes']:,} | | **{s['median_s']}** | "
            f"{', '.join(map(str, s['open_s']))} | {s['wall_median_s']} |"
        )
    lines += [
        "",
        f"Goal: the 2,000-actor page opens in under 3 s: "
        f"{'met' if big['median_s'] < 3 else 'not met'} ({big['median_s']} s).",
        "",
    ]
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    raise SystemExit(main())
