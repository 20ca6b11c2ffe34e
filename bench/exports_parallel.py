"""Wall time of a distributed build's exports on 1 and on N local worker processes.

A ``--dask`` or ``--process-pool`` build, once it has derived its graph into ``tables/``, writes
its exports as tasks on the workers (``geokg.distributed._export_on_workers``: the exporters
and ``graph.geokg.json`` shared out into at most one task a worker, the longest first, each
task reading the graph back from the tables once; N-Quads and Neo4j cut into parts where one
alone would hold the others up, the edges' parts reading only their edges). This bench measures what that
buys on this machine (``--exports`` picks some exporters, ``--skip-costs`` skips the costs):

``serial``
    one worker process that reads the graph back once and writes every export after the other
    (what the client of a single-process build does, but in a worker, so that both runs pay the
    same process start and read);
``tasks, N workers``
    ``_export_on_workers`` on a local process pool of N workers (the exporters of a real
    build, default options).

First, in this process, each export's CPU seconds on the graph read back once (and the read's):
the costs ``geokg.distributed._EXPORT_COST`` shares the exports out by.

Each run writes into a fresh folder; the files of every run are compared with the serial
run's, byte for byte. The graph is ``bench/tenm.py``'s synthetic, hub-heavy one
(``--relations``), derived once with :func:`geokg.tables.stored_graph`.

    python bench/exports_parallel.py --relations 100000 --workers 2 --out docs/PERFORMANCE-exports-parallel.md
    python bench/exports_parallel.py --relations 100000 --workers 1,2 --exports nquads --skip-costs --out docs/PERFORMANCE-nquads-parts.md
    python bench/exports_parallel.py --relations 100000 --workers 1,2 --exports neo4j --skip-costs --out docs/PERFORMANCE-neo4j-parts.md
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))


def _files(folder: Path) -> dict[str, Path]:
    return {str(p.relative_to(folder)): p for p in sorted(folder.rglob("*")) if p.is_file()}


def _same(a: Path, b: Path) -> bool:
    fa, fb = _files(a), _files(b)
    return fa.keys() == fb.keys() and all(filecmp.cmp(fa[k], fb[k], shallow=False) for k in fa)


def _all_in_one(tables: str, out_dir: str, names: list[str]) -> list[tuple[str, list[str]]]:
    """The serial run, in a worker: every export of ``names`` (and the graph file) one after
    the other."""
    from geokg.distributed import _GRAPH_TASK, _export_part
    from geokg.options import BuildOptions

    return _export_part(tables, out_dir, [_GRAPH_TASK, *names], BuildOptions())


def _costs(tables: Path, out: Path) -> dict[str, float]:
    """CPU seconds of reading the graph back, and of each export of it, in this process."""
    from geokg.distributed import _GRAPH_TASK, _export_part
    from geokg.exports import EXPORTERS
    from geokg.options import BuildOptions
    from geokg.tables import open_stored_graph

    c0 = time.process_time()
    open_stored_graph(tables)
    costs = {"(read the graph)": time.process_time() - c0}
    for name in [_GRAPH_TASK, *EXPORTERS.names()]:
        c0 = time.process_time()
        _export_part(str(tables), str(out / name.strip("<>")), [name], BuildOptions())
        costs[name] = time.process_time() - c0 - costs["(read the graph)"]
    return costs


def _report(res: dict[str, Any]) -> str:
    from _report import report_head

    base = res["runs"][0]["wall_s"]
    lines = [
        *report_head(
            "Exports of a distributed build: tasks on the workers", "exports_parallel.py", res
        ),
        f"- Graph: `bench/tenm.py`'s synthetic relations, {res['relations']:,} of them: "
        f"{res['edges']:,} edges, {res['nodes']:,} actors",
        f"- Exports: {', '.join(res['exports'])} (and `graph.geokg.json`), each run into a "
        "fresh folder; `same`: every file equals the serial run's, byte for byte.",
        "",
        "| run | wall s | speed-up | same files |",
        "| --- | ---: | ---: | --- |",
    ]
    for r in res["runs"]:
        same = "reference" if r["run"] == "serial" else ("yes" if r["same"] else "**no**")
        lines.append(f"| {r['run']} | {r['wall_s']:.1f} | {base / r['wall_s']:.2f} | {same} |")
    if not res["costs_cpu_s"]:
        return "\n".join(lines) + "\n"
    lines += [
        "",
        "Each export's CPU seconds in one process, the graph read back once (the read apart):",
        "",
        "| export | CPU s |",
        "| --- | ---: |",
        *(f"| `{k}` | {v:.2f} |" for k, v in res["costs_cpu_s"].items()),
    ]
    return "\n".join(lines) + "\n"


def _task_runs(tables: Path, work: Path, serial: Path, names: list[str], n: int) -> list[Any]:
    """The exports as tasks on a pool of ``n`` workers; where an export is cut into parts
    (N-Quads, Neo4j), the same run again with every export in one task, to compare."""
    from geokg import distributed
    from geokg.distributed import _export_on_workers, _pool_executor
    from geokg.options import BuildOptions

    runs = []
    cut = distributed._cut_parts
    cuts = cut([distributed._GRAPH_TASK, *names], n)
    for in_one in (False, True) if cuts else (False,):
        out = work / f"tasks-{n}{'-whole' if in_one else ''}"
        out.mkdir()
        distributed._cut_parts = (lambda tasks, workers: {}) if in_one else cut  # type: ignore[assignment]
        try:
            with _pool_executor(n) as (futures, _, _):
                for fut in [futures.submit(int, 0) for _ in range(n)]:
                    fut.result()
                t0 = time.perf_counter()
                _export_on_workers(futures, tables, out, BuildOptions(exports=tuple(names)), n)
                wall = time.perf_counter() - t0
        finally:
            distributed._cut_parts = cut  # type: ignore[assignment]
        label = f"tasks, {n} worker{'s' if n > 1 else ''}"
        if cuts:
            shown = ", ".join(f"{e} in {k} parts" for e, k in cuts.items())
            label += ", each export in one task" if in_one else f", {shown}"
        runs.append({"run": label, "workers": n, "wall_s": wall, "same": _same(serial, out)})
    return runs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--relations", type=int, default=100_000)
    ap.add_argument("--workers", default="2", help="comma-separated pool sizes (default 2)")
    ap.add_argument(
        "--exports", default=None, help="comma-separated exporters (default: every one)"
    )
    ap.add_argument("--skip-costs", action="store_true", help="no per-export CPU costs")
    ap.add_argument("--workdir", type=Path, default=None)
    ap.add_argument("--out", type=Path, default=None, help="a Markdown report (JSON beside it)")
    args = ap.parse_args(argv)

    import concurrent.futures as cf
    import multiprocessing

    from _report import finish_run, machine
    from tenm import _commit, generate

    from geokg.tables import stored_graph

    work = Path(args.workdir or tempfile.mkdtemp(prefix="geokg-expar-"))
    work.mkdir(parents=True, exist_ok=True)
    tables = work / "tables"
    tables.mkdir(parents=True, exist_ok=True)
    generate(args.relations, tables / "relations.parquet")
    g = stored_graph(tables / "relations.parquet", tables)
    edges, nodes = g.number_of_edges(), g.number_of_nodes()
    del g
    from geokg.exports import EXPORTERS

    names = args.exports.split(",") if args.exports else list(EXPORTERS.names())
    costs = {} if args.skip_costs else _costs(tables, work / "costs")
    shutil.rmtree(work / "costs", ignore_errors=True)
    res: dict[str, Any] = {
        "costs_cpu_s": {k: round(v, 2) for k, v in costs.items()},
        "commit": _commit(),
        "machine": machine(),
        "relations": args.relations,
        "exports": names,
        "edges": edges,
        "nodes": nodes,
        "load_before": [round(x, 2) for x in os.getloadavg()],
        "runs": [],
    }
    serial = work / "serial"
    ctx = multiprocessing.get_context("spawn")
    with cf.ProcessPoolExecutor(max_workers=1, mp_context=ctx) as pool:
        pool.submit(int, 0).result()  # the worker started, as the pools below
        t0 = time.perf_counter()
        pool.submit(_all_in_one, str(tables), str(serial), names).result()
        res["runs"].append({"run": "serial", "workers": 1, "wall_s": time.perf_counter() - t0})
    for n in [int(x) for x in args.workers.split(",") if x.strip()]:
        res["runs"].extend(_task_runs(tables, work, serial, names, n))
    res["load_after"] = [round(x, 2) for x in os.getloadavg()]

    return finish_run(res, _report(res), args.out, work, keep=bool(args.workdir))


if __name__ == "__main__":
    raise SystemExit(main())
