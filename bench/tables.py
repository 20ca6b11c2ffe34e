"""Relations on disk: Parquet through pyarrow against DuckDB, for issue 19's choice.

Writes N synthetic relation rows (hub-heavy, as bench/assembly.py: half touch one of five hub
countries, the rest Zipf-like over 50,000 actors; one provenance record a row, with its
sentence) as Parquet partitions of 100,000 rows, then derives the edges (one per subject,
relation, object: count, top confidence, first and last date) with each engine. Every stage
runs in a fresh process, which reports its wall and CPU time and its own peak RSS.

    python bench/tables.py --rows 1000000,10000000 --out docs/PERFORMANCE-tables.md
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

PART_ROWS = 100_000
EDGE_KEYS = ["subject", "relation", "object"]


def _rows(start: int, n: int) -> Any:
    """One partition's rows as a pyarrow table (seeded by its start)."""
    import numpy as np
    import pyarrow as pa

    rng = np.random.default_rng(start)
    hubs = np.array(["USA", "RUS", "CHN", "UKR", "ISR"])
    actors = np.array([f"actor:{i}" for i in range(50_000)])
    zipf = np.minimum(rng.zipf(1.3, size=(n, 2)) - 1, 49_999)
    hub = rng.random(n) < 0.5
    subject = np.where(hub, hubs[rng.integers(0, 5, n)], actors[zipf[:, 0]])
    obj = actors[zipf[:, 1]]
    verbs = np.array(["accuse", "meet", "sanction", "attack", "support", "urge", "criticise"])
    days = rng.integers(0, 730, n)
    dates = (np.datetime64("2025-01-01") + days).astype(str)
    ids = np.char.add("rel:", np.arange(start, start + n).astype(str))
    sentence = np.char.add(
        "The ministers of the two countries met again on the border talks, officials said ",
        days.astype(str),
    )
    return pa.table(
        {
            "id": ids,
            "doc_id": np.char.add("doc:", (np.arange(start, start + n) // 8).astype(str)),
            "subject": subject,
            "relation": verbs[rng.integers(0, len(verbs), n)],
            "object": obj,
            "confidence": rng.random(n).astype(np.float32),
            "goldstein": rng.normal(0, 4, n).astype(np.float32),
            "date": dates,
            "sentence": sentence,
            "char_start": rng.integers(0, 5000, n).astype(np.int32),
        }
    )


def _write(folder: Path, total: int) -> dict[str, Any]:
    import pyarrow.parquet as pq

    folder.mkdir(parents=True, exist_ok=True)
    for start in range(0, total, PART_ROWS):
        table = _rows(start, min(PART_ROWS, total - start))
        pq.write_table(table, folder / f"part-{start // PART_ROWS:05d}.parquet")
    size = sum(p.stat().st_size for p in folder.glob("*.parquet"))
    return {"bytes": size}


def _pyarrow_edges(folder: Path) -> dict[str, Any]:
    import pyarrow.dataset as ds

    table = ds.dataset(folder, format="parquet").to_table(
        columns=[*EDGE_KEYS, "id", "confidence", "date"]
    )
    edges = table.group_by(EDGE_KEYS).aggregate(
        [("id", "count"), ("confidence", "max"), ("date", "min"), ("date", "max")]
    )
    import pyarrow.parquet as pq

    pq.write_table(edges, folder.parent / f"{folder.name}-edges-pyarrow.parquet")
    return {"edges": edges.num_rows}


def _duckdb_edges(folder: Path) -> dict[str, Any]:
    import duckdb

    con = duckdb.connect()
    con.execute("SET threads TO 1")
    target = folder.parent / f"{folder.name}-edges-duckdb.parquet"
    con.execute(
        f"""COPY (SELECT subject, relation, object, count(id) AS n, max(confidence) AS confidence,
                   min(date) AS first, max(date) AS last
              FROM read_parquet('{folder}/*.parquet') GROUP BY subject, relation, object)
            TO '{target}' (FORMAT parquet)"""
    )
    (n,) = con.execute(f"SELECT count(*) FROM read_parquet('{target}')").fetchone()
    return {"edges": int(n)}


STAGES = {"pyarrow": _pyarrow_edges, "duckdb": _duckdb_edges}


def child(stage: str, folder: str, total: int) -> None:
    t0, c0 = time.perf_counter(), time.process_time()
    out = _write(Path(folder), total) if stage == "write" else STAGES[stage](Path(folder))
    out.update(
        {
            "wall_s": round(time.perf_counter() - t0, 2),
            "cpu_s": round(time.process_time() - c0, 2),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        }
    )
    print(json.dumps(out))


def _run(stage: str, folder: Path, total: int) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "child", stage, str(folder), str(total)],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "child":
        child(sys.argv[2], sys.argv[3], int(sys.argv[4]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="1000000", help="comma-separated row counts")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    import duckdb
    import pyarrow

    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    results = []
    for total in (int(n) for n in args.rows.split(",")):
        tmp = Path(tempfile.mkdtemp(prefix="geokg-tables-"))
        try:
            parts = tmp / "parts"
            row = {"rows": total, "write": _run("write", parts, total)}
            for engine in ("pyarrow", "duckdb"):
                row[engine] = _run(engine, parts, total)
            results.append(row)
            print(json.dumps(row), flush=True)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    lines = [
        "# geokg: relations on disk, Parquet through pyarrow against DuckDB",
        "",
        "Written by `bench/tables.py` (rerun the bench; do not edit the table by hand).",
        "",
        f"- Commit: {commit}; pyarrow {pyarrow.__version__}, duckdb {duckdb.__version__} "
        f"(one thread); {platform.platform()}, Python {platform.python_version()}",
        f"- Command: `python bench/tables.py --rows {args.rows}`",
        "- Rows: synthetic relations with their provenance (bench/assembly.py's hub-heavy "
        "actors), Parquet partitions of 100,000 rows; edges = one per (subject, relation, "
        "object) with count, top confidence, first and last date, written to a Parquet file. Each stage "
        "is a fresh process; "
        "peak RSS is that process's own.",
        "",
        "| rows | Parquet MB | write s (CPU) | write peak MB | edges | pyarrow s (CPU) | pyarrow "
        "peak MB | DuckDB s (CPU) | DuckDB peak MB |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        w, pa_, dk = r["write"], r["pyarrow"], r["duckdb"]
        lines.append(
            f"| {r['rows']:,} | {w['bytes'] / 1e6:,.0f} | {w['wall_s']} ({w['cpu_s']}) | "
            f"{w['peak_rss_mb']:,} | {pa_['edges']:,} | {pa_['wall_s']} ({pa_['cpu_s']}) | "
            f"{pa_['peak_rss_mb']:,} | {dk['wall_s']} ({dk['cpu_s']}) | {dk['peak_rss_mb']:,} |"
        )
    if args.out:
        args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
