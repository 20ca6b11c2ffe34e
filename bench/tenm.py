"""Ten million relations on disk: generated, derived (geokg.tables) and exported, with the peak
RSS of every stage.

Stages, in one process (the graph ``derive`` makes is the one the exporters take):

``generate``
    N seeded, hub-heavy synthetic fact rows (bench/assembly.py's actors: five hub countries on
    half the relations, a tail of 50,000 people, lone surnames and organisations drawn Zipf-like
    with exponent :data:`ZIPF`, so that 10M relations make about 0.6 distinct edges each as
    real builds do; ten facts a document; sentences of :data:`_synth.WORDS`) written straight
    to ``relations.parquet`` and ``documents.parquet`` as Arrow batches (numpy, no Python loop
    over rows).
``derive``
    :func:`geokg.tables.stored_graph` (DuckDB, ``--memory-limit``, spilling to the workdir).
``turtle``, ``nquads``, ``neo4j``, ``html``
    ``geokg.report.write_exports(g, out, [name])``; the page keeps its top ``--max-actors``.

For each stage: wall and CPU time, the process's peak RSS during the stage (sampled every
50 ms by a psutil thread, the maximum reset per stage), the RSS after it, the output size, and
``g.reads`` (row groups of the provenance files decoded). Exports are deleted once measured unless
``--keep``; the workdir (default under /tmp) is removed at the end.

    python bench/tenm.py --relations 10000000 --out docs/PERFORMANCE-10M.md
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from _synth import WORDS
from assembly import _HUB_WEIGHTS, _HUBS, _RELATIONS, PER_DOC, TAIL, _hub_actor, _tail_actor

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

BATCH = 500_000  # rows a batch; a multiple of PER_DOC, so documents never straddle two
ZIPF = 0.75  # the tail's Zipf exponent: ~0.6 distinct edges a relation at 10M (0.72 at 1M)
EXPORTS = ("turtle", "nquads", "neo4j", "html")
STAGES = ("generate", "derive", *EXPORTS)
_GB = 1024**3


# ----------------------------------------------------------------------------- generation


def _actor_table() -> Any:
    """The 5 hubs then the 50,000 tail actors, one Arrow column per actor attribute."""
    import pyarrow as pa

    actors = [_hub_actor(h) for h in range(len(_HUBS))] + [_tail_actor(i) for i in range(TAIL)]
    columns = {
        key: [a[key] for a in actors]
        for key in ("id", "label", "type", "country", "roles", "aliases", "wikidata")
    }
    return pa.table(columns)


def _sentences(rng: Any, n: int) -> tuple[Any, Any]:
    """``n`` sentences of 15 to 30 words of WORDS, capitalised, ending in a full stop, as an
    Arrow string array built from its buffers, and their lengths."""
    import numpy as np
    import pyarrow as pa

    vocab = [w.encode() + b" " for w in WORDS]
    word_len = np.array([len(w) for w in vocab], dtype=np.int64)
    word_at = np.concatenate([[0], np.cumsum(word_len)[:-1]])
    alphabet = np.frombuffer(b"".join(vocab), dtype=np.uint8)
    words = rng.integers(15, 31, n)
    tokens = rng.integers(0, len(vocab), int(words.sum()))
    tok_len = word_len[tokens]
    row_of_token = np.repeat(np.arange(n), words)
    lengths = np.bincount(row_of_token, weights=tok_len, minlength=n).astype(np.int64)
    total = int(lengths.sum())
    tok_out = np.concatenate([[0], np.cumsum(tok_len)[:-1]])
    chars = np.repeat(word_at[tokens] - tok_out, tok_len) + np.arange(total)
    data = alphabet[chars].copy()
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    data[offsets[1:] - 1] = ord(".")  # the last word's space
    first = data[offsets[:-1]]
    data[offsets[:-1]] = np.where((first >= 97) & (first <= 122), first - 32, first)
    array = pa.LargeStringArray.from_buffers(
        n, pa.py_buffer(offsets.tobytes()), pa.py_buffer(data.tobytes())
    ).cast(pa.string())
    return array, lengths


def _zeros(n: int) -> Any:
    import numpy as np
    import pyarrow as pa

    return pa.array(np.zeros(n, dtype=np.int32))


class _Lookups:
    """What every batch picks from: the actors, the draw distributions, the relations' events."""

    def __init__(self) -> None:
        import numpy as np
        import pyarrow as pa

        self.actors = _actor_table()
        self.hub_cdf = np.cumsum(_HUB_WEIGHTS) / sum(_HUB_WEIGHTS)
        tail_cdf = np.cumsum(1.0 / np.arange(1, TAIL + 1) ** ZIPF)
        self.tail_cdf = tail_cdf / tail_cdf[-1]
        events = [e or {} for _, e in _RELATIONS]
        self.relation = {
            "relation": pa.array([r for r, _ in _RELATIONS]),
            "plover": pa.array([e.get("plover") for e in events], pa.string()),
            "cameo": pa.array([e.get("cameo") for e in events], pa.string()),
            "quad_class": pa.array([e.get("quad_class") for e in events], pa.int64()),
            "goldstein": pa.array([e.get("goldstein") for e in events], pa.float64()),
        }

    def hub(self, rng: Any, size: int) -> Any:
        import numpy as np

        return np.searchsorted(self.hub_cdf, rng.random(size))

    def tail(self, rng: Any, size: int) -> Any:
        import numpy as np

        return len(_HUBS) + np.searchsorted(self.tail_cdf, rng.random(size))


def _draw(rng: Any, row: Any, look: _Lookups) -> dict[str, Any]:
    """The random choices of the rows ``row`` (numpy arrays; actors as rows of the table)."""
    import numpy as np

    n = len(row)
    with_hub = rng.random(n) < 0.5
    a = np.where(with_hub, look.hub(rng, n), look.tail(rng, n))
    b = np.where(with_hub & (rng.random(n) < 0.3), look.hub(rng, n), look.tail(rng, n))
    swap = rng.random(n) < 0.5
    a, b = np.where(swap, b, a), np.where(swap, a, b)
    same = a == b
    b[same] = len(_HUBS) + (TAIL - 1) - row[same] % 1000
    d: dict[str, Any] = {"subject": a, "object": b}
    d["relation"] = np.minimum(rng.exponential(1 / 0.6, n).astype(np.int64), len(_RELATIONS) - 1)
    d["negated"] = rng.random(n) < 0.05
    d["reported"] = rng.random(n) < 0.1
    d["speaker"] = np.where(d["reported"], look.tail(rng, n), -1)
    d["dated"] = rng.random(n) < 0.8
    d["sentence"], d["length"] = _sentences(rng, n)
    d["span_start"] = rng.integers(0, 4001, n)
    d["confidence"] = np.round(rng.uniform(0.3, 0.95, n), 3)
    d["aliased"] = rng.random(n) < 0.2
    return d


def _days(doc: Any) -> Any:
    """Each document's date (its ``published``) as Arrow strings."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    return pc.cast(
        pa.array(np.datetime64("2021-01-01") + (doc % 1800).astype("timedelta64[D]")), pa.string()
    )


def _doc_ids(doc: Any) -> Any:
    import pyarrow as pa
    import pyarrow.compute as pc

    return pc.binary_join_element_wise(
        "doc-", pc.utf8_lpad(pc.cast(pa.array(doc), pa.string()), 8, "0"), ""
    )


def _relations_table(d: dict[str, Any], row: Any, look: _Lookups) -> Any:
    import pyarrow as pa
    import pyarrow.compute as pc

    from geokg.tables import FACT_ORDER, relation_schema

    n, doc = len(row), row // PER_DOC
    zeros = _zeros(n)
    none = pa.nulls(n, pa.string())

    def const(value: str) -> Any:
        return pa.array([value]).take(zeros)

    dated = pa.array(d["dated"])
    ids = pc.utf8_lpad(pc.cast(pa.array(row), pa.string()), 9, "0")
    columns: dict[str, Any] = {
        "ord": pa.array(doc * FACT_ORDER + row % PER_DOC),
        "doc_id": _doc_ids(doc),
        "relation_id": pc.binary_join_element_wise("r-", ids, ""),
        "sentence": d["sentence"],
        "span_start": pa.array(d["span_start"]),
        "span_end": pa.array(d["span_start"] + d["length"]),
        "date": pc.if_else(dated, _days(doc), none),
        "date_source": pc.if_else(dated, const("article"), none),
        "speaker": look.actors["id"].take(pa.array(d["speaker"], mask=d["speaker"] < 0)),
        "confidence": pa.array(d["confidence"]),
        "extractor": const("svo.v2"),
        "rule": const("svo"),
        "model": const("en_core_web_sm-3.8.0"),
        "negated": pa.array(d["negated"]),
        "modality": pc.if_else(pa.array(d["reported"]), const("reported"), const("asserted")),
    }
    for name, values in look.relation.items():
        columns[name] = values.take(d["relation"])
    for role in ("subject", "object"):
        taken = look.actors.take(pa.array(d[role]))
        for key in ("id", "label", "type", "country", "roles", "aliases", "wikidata"):
            columns[role if key == "id" else f"{role}_{key}"] = taken[key]
        columns[f"{role}_alias"] = (
            pc.if_else(pa.array(d["aliased"]), taken["label"], none) if role == "subject" else none
        )
    schema = relation_schema()
    return pa.table([columns[name] for name in schema.names], schema=schema)


def _documents_table(row: Any) -> Any:
    """The documents whose first fact is in ``row`` (every PER_DOC-th row starts one)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    k = row[row % PER_DOC == 0] // PER_DOC
    return pa.table(
        {
            "doc_id": _doc_ids(k),
            "k": pa.array(k),
            "title": pc.binary_join_element_wise("Title ", pc.cast(pa.array(k), pa.string()), ""),
            "published": _days(k),
            "source": pa.array(["bench"]).take(_zeros(len(k))),
            "url": pa.nulls(len(k), pa.string()),
        }
    )


def batches(relations: int, seed: int = 19) -> Iterator[tuple[Any, Any]]:
    """The rows of ``relations`` facts, a batch at a time: (relations table, documents table).
    Batch ``b`` is seeded by ``(seed, b)``, so a longer run repeats every whole batch."""
    import numpy as np

    look = _Lookups()
    for b, start in enumerate(range(0, relations, BATCH)):
        rng = np.random.default_rng([seed, b])
        row = np.arange(start, min(start + BATCH, relations), dtype=np.int64)
        yield _relations_table(_draw(rng, row, look), row, look), _documents_table(row)


def generate(relations: int, path: Path) -> dict[str, Any]:
    from geokg.tables import RelationWriter

    with RelationWriter(path) as writer:
        for table, documents in batches(relations):
            writer.write_table(table)
            writer.write_documents(documents)
        rows = writer.rows
    return {
        "rows": rows,
        "bytes": path.stat().st_size + path.with_name("documents.parquet").stat().st_size,
    }


# ----------------------------------------------------------------------------- measuring


class Sampler:
    """The process's RSS every ``every`` seconds on a thread; ``peak`` since the last reset."""

    def __init__(self, every: float = 0.05) -> None:
        import psutil

        self._proc = psutil.Process()
        self._every = every
        self._stop = threading.Event()
        self.peak = 0
        self.samples = 0
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def rss(self) -> int:
        return int(self._proc.memory_info().rss)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.rss())
            self.samples += 1
            self._stop.wait(self._every)

    def reset(self) -> None:
        self.peak = self.rss()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def _size(paths: list[Path]) -> int:
    total = 0
    for p in paths:
        if p.is_dir():
            total += sum(f.stat().st_size for f in p.rglob("*") if f.is_file())
        elif p.exists():
            total += p.stat().st_size
    return total


def _mb(n: float) -> float:
    return round(n / 1024**2, 1)


def _stage(stage: str, args: argparse.Namespace, work: Path, g: Any) -> tuple[dict[str, Any], Any]:
    """Run one stage; its figures (output size, graph size) and the graph after it."""
    relations = work / "relations.parquet"
    row: dict[str, Any] = {}
    if stage == "generate":
        row.update(generate(args.relations, relations))
    elif stage == "derive":
        from geokg.tables import stored_graph

        g = stored_graph(relations, work / "derive", memory_limit=args.memory_limit)
        row["bytes"] = _size([work / "derive"])
        row["edges"] = g.number_of_edges()
        row["nodes"] = g.number_of_nodes()
    else:
        from geokg.report import write_exports

        options = {"html": {"max_nodes": args.max_actors}} if stage == "html" else None
        files = write_exports(g, work / "out" / stage, [stage], options=options)
        row["bytes"] = _size(files)
        row["files"] = len(files)
    return row, g


def _graph_figures(results: dict[str, Any], row: dict[str, Any], g: Any) -> None:
    results["edges"] = row["edges"]
    results["nodes"] = row["nodes"]
    results["documents"] = len(g.graph["documents"])
    grown = (row["rss_after_mb"] - results["rss_before_derive_mb"]) * 1024**2
    results["graph_bytes_per_edge"] = round(grown / max(1, row["edges"]))


def run(args: argparse.Namespace, results: dict[str, Any], save: Callable[[str], None]) -> None:
    """Run the stages into ``results``; ``save(line)`` after each (the report so far)."""
    import gc

    stages = [s.strip() for s in args.stages.split(",") if s.strip()]
    unknown = sorted(set(stages) - set(STAGES))
    if unknown:
        raise SystemExit(f"tenm.py: unknown stage(s) {', '.join(unknown)}; known: {STAGES}")
    work = Path(args.workdir or tempfile.mkdtemp(prefix="geokg-tenm-"))
    work.mkdir(parents=True, exist_ok=True)
    relations = work / "relations.parquet"
    sampler = Sampler()
    results["stages"] = {}
    g: Any = None
    try:
        for stage in stages:
            if stage != "generate" and not relations.exists():
                raise SystemExit(f"tenm.py: {relations}: missing (run the generate stage)")
            if stage in EXPORTS and g is None and "derive" not in stages:
                raise SystemExit(f"tenm.py: stage {stage} needs the derive stage")
            gc.collect()
            sampler.reset()
            scans0 = g.reads if g is not None else 0
            t0, c0 = time.perf_counter(), time.process_time()
            if stage == "derive":
                results["rss_before_derive_mb"] = _mb(sampler.rss())
            row, g = _stage(stage, args, work, g)
            row["wall_s"] = round(time.perf_counter() - t0, 2)
            row["cpu_s"] = round(time.process_time() - c0, 2)
            gc.collect()
            row["peak_rss_mb"] = _mb(max(sampler.peak, sampler.rss()))
            row["rss_after_mb"] = _mb(sampler.rss())
            if g is not None:
                row["scans"] = g.reads - scans0
            results["stages"][stage] = row
            if stage == "derive":
                _graph_figures(results, row, g)
            results["ru_maxrss_mb"] = _mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
            save(json.dumps({"stage": stage, **row}))
            if stage in EXPORTS and not args.keep:
                shutil.rmtree(work / "out" / stage, ignore_errors=True)
    finally:
        sampler.stop()
        results["ru_maxrss_mb"] = _mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
        results["samples"] = sampler.samples
        if not args.workdir or args.clean:
            shutil.rmtree(work, ignore_errors=True)


# ----------------------------------------------------------------------------- the report


def _machine() -> dict[str, Any]:
    import psutil

    return {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cores": os.cpu_count(),
        "ram_gb": round(psutil.virtual_memory().total / _GB, 1),
        "cpu": next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")
            ),
            platform.processor(),
        ),
    }


def _commit() -> str:
    done = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--", "geokg", "bench"],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    return done.stdout.strip() + (" (with uncommitted changes)" if dirty.stdout.strip() else "")


def report(res: dict[str, Any]) -> str:
    m = res["machine"]
    stages = res["stages"]
    limit = res["limit_gb"]
    peak = max((s["peak_rss_mb"] for s in stages.values()), default=0.0)
    peak = max(peak, res.get("ru_maxrss_mb", 0.0))
    lines = [
        f"# geokg: {res['relations']:,} synthetic relations on disk, derived and exported",
        "",
        "Written by `bench/tenm.py` (rerun the bench; do not edit by hand).",
        "",
        f"- Commit: {res['commit']}; {m['platform']}, Python {m['python']}",
        f"- Machine: {m['cores']} cores ({m['cpu']}), {m['ram_gb']} GiB RAM; load average "
        f"{res['load_start']} at the start, {res['load_end']} at the end (the machine is "
        "shared: wall times are noisy, CPU times are given too)",
        f"- Command: `{res['command']}`",
        f"- Date: {res['date']}; bench wall time {res['wall_s']:,.0f} s",
        "- Rows: bench/tenm.py's generator (bench/assembly.py's hub-heavy actors: five hubs on "
        f"half the relations, a tail of 50,000 (Zipf exponent {ZIPF}); ten facts a document; sentences of 15-30 "
        "words of bench/_synth.py's WORDS; 10% reported with a speaker, 80% dated).",
        "- One process runs every stage; peak RSS is that process's resident memory sampled every "
        "50 ms (psutil), the maximum reset at each stage; DuckDB runs inside it with "
        f"`memory_limit={res['memory_limit']}` and spills to the workdir. "
        "Exports are written to the workdir, measured, then deleted.",
        "",
        "| stage | wall s | CPU s | peak RSS MB | RSS after MB | output MB | provenance groups read |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, s in stages.items():
        lines.append(
            f"| {name} | {s['wall_s']:,.1f} | {s['cpu_s']:,.1f} | {s['peak_rss_mb']:,.0f} | "
            f"{s['rss_after_mb']:,.0f} | {s.get('bytes', 0) / 1e6:,.1f} | {s.get('scans', '')} |"
        )
    lines.append("")
    if not res.get("done"):
        lines += [
            f"**Partial**: the stages above are those that had finished {res['wall_s']:,.0f} s "
            "into the run, when it was last saved.",
            "",
        ]
    if "edges" in res:
        lines.append(
            f"Graph: {res['edges']:,} edges ({res['edges'] / res['relations']:.2f} per "
            f"relation), {res['nodes']:,} actors, {res['documents']:,} documents; resident "
            f"{stages['derive']['rss_after_mb']:,.0f} MB after derive, "
            f"{res['graph_bytes_per_edge']:,} bytes per edge over the process before it."
        )
        lines.append("")
    verdict = "under" if peak < limit * 1024 else "**over**"
    lines.append(
        f"Peak RSS of the whole run: {peak:,.0f} MB (ru_maxrss "
        f"{res.get('ru_maxrss_mb', 0):,.0f} MB), "
        f"{verdict} the {limit} GB target."
    )
    for other in res.get("compare", []):
        lines += ["", *_compare(res, other)]
    if res.get("notes"):
        lines += ["", res["notes"].rstrip()]
    return "\n".join(lines) + "\n"


def _compare(res: dict[str, Any], other: dict[str, Any]) -> list[str]:
    """``other``'s stages beside this run's, and this run's figure extrapolated from them."""
    scale = res["relations"] / other["relations"]
    lines = [
        f"### The same stages at {other['relations']:,} relations ({other['command']}, "
        f"{other['date']}, commit {other['commit']}; {other.get('edges', 0):,} edges)",
        "",
        f"| stage | wall s | CPU s | peak RSS MB | output MB | CPU s x {scale:g} | "
        f"CPU s at {res['relations']:,} | ratio |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, s in other["stages"].items():
        here = res["stages"].get(name)
        got = f"{here['cpu_s']:,.1f}" if here else "not run"
        ratio = f"{here['cpu_s'] / s['cpu_s']:.1f}" if here and s["cpu_s"] else ""
        lines.append(
            f"| {name} | {s['wall_s']:,.1f} | {s['cpu_s']:,.1f} | {s['peak_rss_mb']:,.0f} | "
            f"{s.get('bytes', 0) / 1e6:,.1f} | {s['cpu_s'] * scale:,.0f} | {got} | {ratio} |"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--relations", type=int, default=10_000_000)
    parser.add_argument("--stages", default=",".join(STAGES), help="comma-separated")
    parser.add_argument("--workdir", type=Path, default=None, help="default: a /tmp folder")
    parser.add_argument("--clean", action="store_true", help="remove a given --workdir after")
    parser.add_argument("--keep", action="store_true", help="keep the exports")
    parser.add_argument("--memory-limit", default="2GB", help="DuckDB's (default 2GB)")
    parser.add_argument("--max-actors", type=int, default=300, help="the page's (default 300)")
    parser.add_argument("--limit-gb", type=float, default=6.0, help="the peak RSS target")
    parser.add_argument("--out", type=Path, default=None, help="the .md (a .json beside it)")
    parser.add_argument(
        "--render", type=Path, default=None, help="write --out from this .json, run nothing"
    )
    parser.add_argument("--compare", type=Path, action="append", default=[], help="a run's .json")
    parser.add_argument("--notes", type=Path, default=None, help="markdown to end the report")
    args = parser.parse_args(argv)
    if args.render:
        res = json.loads(args.render.read_text("utf-8"))
        res["compare"] = [json.loads(p.read_text("utf-8")) for p in args.compare]
        res["notes"] = args.notes.read_text("utf-8") if args.notes else ""
        (args.out or args.render.with_suffix(".md")).write_text(report(res), "utf-8")
        return 0

    t0 = time.perf_counter()
    load_start = [round(x, 2) for x in os.getloadavg()]
    res: dict[str, Any] = {
        "relations": args.relations,
        "commit": _commit(),
        "machine": _machine(),
        "command": "python bench/tenm.py " + " ".join(sys.argv[1:] if argv is None else argv),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "memory_limit": args.memory_limit,
        "limit_gb": args.limit_gb,
        "load_start": load_start,
    }

    def save(line: str) -> None:
        print(line, flush=True)
        res["load_end"] = [round(x, 2) for x in os.getloadavg()]
        res["wall_s"] = round(time.perf_counter() - t0, 1)
        if args.out:
            args.out.write_text(report(res), encoding="utf-8")
            args.out.with_suffix(".json").write_text(json.dumps(res, indent=2) + "\n", "utf-8")

    run(args, res, save)
    res["done"] = True
    save(f"wrote {args.out}" if args.out else "done")
    print(report(res))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
