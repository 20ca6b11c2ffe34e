"""A distributed build's derivation: on the client, or shuffled over N local worker processes.

A ``--dask`` or ``--process-pool`` build derives its graph from its partitions' facts. It used to
run the whole derivation in the client (:func:`geokg.tables.stored_graph`, one DuckDB group-by
over every partition's file); it now shuffles the facts into buckets, by relation id then by
edge id, and runs each bucket's group-by as a task on the workers
(:func:`geokg._shuffle.derive_on_workers`). This bench measures both on the same partitions:

``client``
    ``stored_graph`` over the partition files, in the client;
``shuffle, N workers``
    ``derive_on_workers`` with N buckets on a local process pool of N workers.

Each run is a fresh spawned client process, whose own CPU seconds and peak RSS (sampled every
50 ms) are reported beside the wall time; the workers' CPU is not the client's. Every run's
derived files (provenance in both orders, edges, nodes) are compared with the client run's,
row for row and in order, and its graph's node and edge counts with the client's.

The facts are ``bench/tenm.py``'s synthetic, hub-heavy relations (``--relations``), cut into
``--partitions`` files as a distributed build's workers write them.

    python bench/derive_parallel.py --relations 1000000 --partitions 64 --workers 1,2 --out docs/PERFORMANCE-derive-parallel.md
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import multiprocessing
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

_DERIVED = ("provenance.parquet", "provenance-by-edge.parquet", "edges.parquet", "nodes.parquet")


def _partitions(source: Path, parts: int, root: Path) -> list[Path]:
    """``source``'s rows (in ``ord`` order) cut into ``parts`` consecutive files."""
    import pyarrow.parquet as pq

    src = pq.ParquetFile(source)
    per = -(-src.metadata.num_rows // parts)
    files: list[Path] = []
    writer: Any = None
    left = 0
    for batch in src.iter_batches(batch_size=10_000):
        at = 0
        while at < batch.num_rows:
            if left == 0:
                if writer is not None:
                    writer.close()
                files.append(root / f"part-{len(files):06d}.relations.parquet")
                writer = pq.ParquetWriter(files[-1], src.schema_arrow, compression="zstd")
                left = per
            take = min(left, batch.num_rows - at)
            writer.write_batch(batch.slice(at, take))
            at += take
            left -= take
    if writer is not None:
        writer.close()
    return files


def _run(kind: str, workers: int, parts: list[str], docs: str, out: str) -> dict[str, Any]:
    """One run, in a fresh client process: wall and this process's CPU and peak RSS."""
    from tenm import Sampler

    from geokg._shuffle import derive_on_workers
    from geokg.distributed import _pool_executor, _run_all
    from geokg.tables import stored_graph

    sampler = Sampler()
    paths = [Path(p) for p in parts]
    if kind == "client":
        sampler.reset()
        t0, c0 = time.perf_counter(), time.process_time()
        g = stored_graph(paths, out, documents=[Path(docs)])
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    else:
        with _pool_executor(workers) as (futures, _, _):
            for fut in [futures.submit(int, 0) for _ in range(workers)]:
                fut.result()  # the workers started
            sampler.reset()
            t0, c0 = time.perf_counter(), time.process_time()

            def run(calls: Any) -> list[Any]:
                return _run_all(futures, calls)

            g, _ = derive_on_workers(run, paths, [Path(docs)], Path(out), workers)
            wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    sampler.stop()
    return {
        "wall_s": round(wall, 2),
        "client_cpu_s": round(cpu, 2),
        "client_peak_mb": round(sampler.peak / 2**20),
        "edges": g.number_of_edges(),
        "nodes": g.number_of_nodes(),
    }


def _same(a: Path, b: Path) -> bool:
    import pyarrow.parquet as pq

    return all(pq.read_table(a / n).equals(pq.read_table(b / n)) for n in _DERIVED)


def _report(res: dict[str, Any]) -> str:
    from _report import report_head

    base = res["runs"][0]["wall_s"]
    lines = [
        *report_head(
            "A distributed build's derivation: on the client, or shuffled over the workers",
            "derive_parallel.py",
            res,
        ),
        f"- Facts: `bench/tenm.py`'s synthetic relations, {res['relations']:,} of them in "
        f"{res['partitions']} partition files; graph: {res['edges']:,} edges, "
        f"{res['nodes']:,} actors",
        "- Each run in a fresh client process; client CPU and peak RSS are that process's "
        "(the workers' are not counted); `same`: every derived file equals the client run's, "
        "row for row and in order.",
        "",
        "| run | wall s | speed-up | client CPU s | client peak RSS MB | same |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in res["runs"]:
        same = "reference" if r["run"] == "client" else ("yes" if r["same"] else "**no**")
        lines.append(
            f"| {r['run']} | {r['wall_s']:.1f} | {base / r['wall_s']:.2f} | "
            f"{r['client_cpu_s']:.1f} | {r['client_peak_mb']:,} | {same} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--relations", type=int, default=1_000_000)
    ap.add_argument("--partitions", type=int, default=64)
    ap.add_argument("--workers", default="1,2", help="comma-separated pool sizes (default 1,2)")
    ap.add_argument("--workdir", type=Path, default=None)
    ap.add_argument("--out", type=Path, default=None, help="a Markdown report (JSON beside it)")
    args = ap.parse_args(argv)

    from _report import finish_run, machine
    from tenm import _commit, generate

    work = Path(args.workdir or tempfile.mkdtemp(prefix="geokg-derpar-"))
    (work / "source").mkdir(parents=True, exist_ok=True)
    (work / "parts").mkdir(parents=True, exist_ok=True)
    generate(args.relations, work / "source" / "relations.parquet")
    parts = [
        str(p)
        for p in _partitions(work / "source" / "relations.parquet", args.partitions, work / "parts")
    ]
    docs = str(work / "source" / "documents.parquet")
    res: dict[str, Any] = {
        "commit": _commit(),
        "machine": machine(),
        "relations": args.relations,
        "partitions": len(parts),
        "load_before": [round(x, 2) for x in os.getloadavg()],
        "runs": [],
    }
    ctx = multiprocessing.get_context("spawn")
    runs = [("client", 1)] + [("shuffle", int(n)) for n in args.workers.split(",") if n.strip()]
    for kind, n in runs:
        name = "client" if kind == "client" else f"shuffle, {n} worker{'s' if n > 1 else ''}"
        out = work / name.replace(", ", "-").replace(" ", "-")
        out.mkdir()
        with cf.ProcessPoolExecutor(1, mp_context=ctx) as client:  # its children may spawn
            row = client.submit(_run, kind, n, parts, docs, str(out)).result()
        row["run"] = name
        if kind != "client":
            row["same"] = _same(work / "client", out) and (row["edges"], row["nodes"]) == (
                res["edges"],
                res["nodes"],
            )
        else:
            res["edges"], res["nodes"] = row["edges"], row["nodes"]
        res["runs"].append(row)
        print(row, flush=True)
    res["load_after"] = [round(x, 2) for x in os.getloadavg()]

    return finish_run(res, _report(res), args.out, work, keep=bool(args.workdir))


if __name__ == "__main__":
    raise SystemExit(main())
