"""geokg benchmarks: throughput against the spaCy floor, memory, exports, SPARQL, processes.

Usage (from the repository root)::

    .venv/bin/python bench/run.py            # quick run (1,000 documents, 100k relations; ~45 min)
    .venv/bin/python bench/run.py --full     # all documents, 1k/5k/20k memory, 1M relations
    .venv/bin/python bench/run.py --docs 300 --mem-docs 50,100,300 --relations 20000

Every measurement runs in a fresh child process (``bench/run.py child ...``) so that peak RSS
(``ru_maxrss``) belongs to that measurement alone. Results go to docs/PERFORMANCE.md and
docs/performance.png (``--out`` names another report; its plot takes the same stem). Corpus: ../shared/data/news (see its README), sampled round-robin over its
three files so every size mixes White House, Reuters and BBC texts.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import resource
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

QUERIES = ROOT / "docs" / "queries"


# ----------------------------------------------------------------------------------------------
# Child measurements (each in its own process)


def _peak_rss_mb() -> float:
    self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(self_kb / 1024, 1)


def _children_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)


def _cpu() -> float:
    r, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime + c.ru_utime + c.ru_stime


def child_throughput(
    docs: int, processes: int, modes: list[str], corpus: str = "mixed"
) -> dict[str, Any]:
    """The spaCy floor and the whole geokg build on the same texts, wall and CPU time.

    ``raw``: spaCy's own pipeline (the build's model and components, with spaCy's attribute
    ruler and lemmatizer), ``nlp.pipe(texts, batch_size=64)`` over the document texts.
    ``raw_fast``: the same with the pipeline as the build loads and runs it (geokg's
    table-driven attribute ruler and caching lemmatizer, numpy's matrix products on one thread
    and no transparent huge pages: :mod:`geokg.nlp_fast`), in this process, so without the
    allocator settings the build's parsing process starts with
    (``geokg.parse.PARSER_ENVIRONMENT``). ``raw_pages``: spaCy's own pipeline
    with numpy's huge pages off as the build has them (``numpy_for_parsing``), to show what that
    setting alone buys. ``raw_paragraphs``: spaCy's
    pipeline over the paragraphs geokg parses. ``geokg``: ``geokg.pipeline.build``.
    """
    from _corpus import read_texts, write_subset

    from geokg.nlp import load_model
    from geokg.pipeline import BuildOptions, build

    try:
        from geokg.nlp_fast import numpy_for_parsing
    except ImportError:  # a checkout before it: one BLAS thread, or nothing to limit
        try:
            from geokg.nlp_fast import one_blas_thread as numpy_for_parsing
        except ImportError:
            numpy_for_parsing = contextlib.nullcontext  # type: ignore[assignment]
    try:
        from geokg.parse import UNUSED_COMPONENTS, _paragraphs
    except ImportError:  # a checkout before the parse loop had its own module
        from geokg.pipeline import UNUSED_COMPONENTS, _paragraphs  # type: ignore[attr-defined,no-redef]

    tmp = Path(tempfile.mkdtemp(prefix="geokg-bench-"))
    subset = tmp / "news.jsonl"
    n_docs, words = write_subset(docs, subset, corpus)
    t = time.perf_counter()
    stock = load_model(None, exclude=UNUSED_COMPONENTS, cached=False, fast=False)
    load_s = time.perf_counter() - t
    fast = load_model(None, exclude=UNUSED_COMPONENTS, cached=False)
    for nlp in (stock, fast):
        for _ in nlp.pipe(["Warm up the pipeline before timing it."] * 8):
            pass
    out: dict[str, Any] = {
        "docs": n_docs,
        "words": words,
        "corpus": corpus,
        "processes": processes,
        "model_load_s": round(load_s, 2),
        "components": stock.pipe_names,
        "build_components": [f"{name}:{type(p).__name__}" for name, p in fast.pipeline],
    }
    texts = read_texts(subset)
    for mode in modes:
        load0 = os.getloadavg()[0]
        w0, c0 = time.perf_counter(), _cpu()
        if mode == "raw":
            for _ in stock.pipe(texts, n_process=processes, batch_size=64):
                pass
        elif mode == "raw_fast":
            with numpy_for_parsing():
                for _ in fast.pipe(texts, n_process=processes, batch_size=64):
                    pass
        elif mode == "raw_pages":
            with numpy_for_parsing():
                for _ in stock.pipe(texts, n_process=processes, batch_size=64):
                    pass
        elif mode == "raw_paragraphs":
            paras = (p for text in texts for _, p in _paragraphs(text))
            for _ in stock.pipe(paras, n_process=processes, batch_size=64):
                pass
        elif mode == "geokg_pool":
            from geokg.distributed import build_process_pool

            build_process_pool(
                [subset],
                tmp / "out_pool",
                options=BuildOptions(progress=False),
                n_workers=processes,
                partition_size=16,
            )
        elif mode == "geokg":
            res = build(
                [subset],
                tmp / "out",
                options=BuildOptions(processes=processes, progress=False, release_model=True),
            )
            out["geokg_report"] = {
                k: res.report[k] for k in ("documents", "words", "relations", "graph", "timings_s")
            }
        wall, cpu = time.perf_counter() - w0, _cpu() - c0
        out[mode] = {
            "wall_s": round(wall, 2),
            "cpu_s": round(cpu, 2),
            "words_per_s": round(words / wall, 1),
            "words_per_cpu_s": round(words / cpu, 1) if cpu else None,
            "load_before": round(load0, 2),
            "load_after": round(os.getloadavg()[0], 2),
        }
        print(json.dumps({"partial": out}), flush=True)
    out["peak_rss_mb"] = _peak_rss_mb()
    return out


def _rss_mb() -> float:
    import psutil

    return float(psutil.Process().memory_info().rss) / 2**20


class _TreeSampler:
    """Sample the summed RSS of this process and its descendants every 10 ms (a cross-check)."""

    def __init__(self) -> None:
        import threading

        import psutil

        self._me = psutil.Process()
        self.peak_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import contextlib

        import psutil

        while not self._stop.wait(0.01):
            total = self._me.memory_info().rss
            for proc in self._me.children(recursive=True):
                with contextlib.suppress(psutil.Error):  # it ended since the listing
                    total += proc.memory_info().rss
            self.peak_mb = max(self.peak_mb, total / 2**20)

    def __enter__(self) -> _TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()


def child_memory(docs: int) -> dict[str, Any]:
    """One whole ``geokg build`` of ``docs`` documents; peak RSS of its processes.

    ``geokg build`` parses in a process of its own (``release_model``) and assembles and exports
    the graph in the main one, which only waits while the parser runs. Python's multiprocessing
    also starts a small resource-tracker process, alive until this one exits. The peak is the
    larger of the main process's own peak and its RSS before the build plus the parsing
    process's peak plus the helpers still alive at the end: an upper bound on what they held at
    once. A 10 ms sampler of their summed RSS is the cross-check (the larger of the two counts).
    """
    import psutil
    from _corpus import write_subset

    from geokg.pipeline import BuildOptions, build

    tmp = Path(tempfile.mkdtemp(prefix="geokg-bench-"))
    subset = tmp / "news.jsonl"
    n_docs, words = write_subset(docs, subset)
    before = _rss_mb()
    t = time.perf_counter()
    # The same options as `geokg build` on the command line.
    with _TreeSampler() as sampler:
        res = build([subset], tmp / "out", options=BuildOptions(progress=False, release_model=True))
    wall = time.perf_counter() - t
    main, parser = _peak_rss_mb(), _children_rss_mb()
    helpers = sum(p.memory_info().rss for p in psutil.Process().children(recursive=True)) / 2**20
    return {
        "docs": n_docs,
        "words": words,
        "wall_s": round(wall, 2),
        "words_per_s": round(words / wall, 1),
        "relations": res.report["relations"]["kept"],
        "edges": res.report["graph"]["edges"],
        "peak_rss_mb": round(max(main, before + parser + helpers, sampler.peak_mb), 1),
        "main_rss_mb": main,
        "main_before_mb": round(before, 1),
        "parser_rss_mb": parser,
        "helpers_rss_mb": round(helpers, 1),
        "sampled_tree_mb": round(sampler.peak_mb, 1),
    }


def _cap_memory() -> int:
    """Cap this process's address space for rdflib, which holds every triple in memory (about
    50 KB per relation here), so a graph that does not fit fails with MemoryError instead of
    swapping the machine. ``GEOKG_BENCH_RDFLIB_GB`` (default 12) sets the cap."""
    cap = int(float(os.environ.get("GEOKG_BENCH_RDFLIB_GB", "12")) * 2**30)
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    return cap


def child_export(name: str, relations: int) -> dict[str, Any]:
    """Time one exporter on the synthetic graph of ``relations`` relations."""
    from _synth import synthetic_graph

    g = synthetic_graph(relations)
    base = _peak_rss_mb()
    tmp = Path(tempfile.mkdtemp(prefix="geokg-bench-"))
    t = time.perf_counter()
    extra: dict[str, Any] = {}
    if name == "turtle":
        from geokg.exports.rdf import write_turtle

        path = write_turtle(g, tmp / "graph.ttl")
    elif name == "rdflib-turtle":
        import rdflib

        from geokg.exports.rdf import to_rdflib_graph

        cap = _cap_memory()
        merged = rdflib.Graph()
        stage = "building its graph"
        try:
            ds = to_rdflib_graph(g)
            for ctx in ds.graphs():
                for triple in ctx:
                    merged.add(triple)
            for prefix, ns in ds.namespaces():
                merged.bind(prefix, ns)
            built = time.perf_counter()
            extra["build_graph_s"] = round(built - t, 2)
            extra["triples"] = len(merged)
            t = built
            stage = "serializing"
            path = tmp / "graph.ttl"
            merged.serialize(destination=str(path), format="turtle")
        except MemoryError:
            failed = round(time.perf_counter() - t, 2)
            del merged
            return {
                "exporter": name,
                "relations": relations,
                "error": f"rdflib ran out of its {cap / 2**30:.1f} GiB memory cap while {stage}, "
                f"after {failed} s (GEOKG_BENCH_RDFLIB_GB sets the cap)",
            }
    elif name == "nquads":
        from geokg.exports.rdf import write_nquads

        path = write_nquads(g, tmp / "graph.nq")
    elif name == "graphml":
        from geokg.exports.graphfiles import write_graphml

        path = write_graphml(g, tmp / "graph.graphml")
    elif name == "neo4j":
        from geokg.exports.neo4j import write_neo4j

        path = write_neo4j(g, tmp / "neo4j")[0].parent
    elif name == "html":
        from geokg.exports.html import write_html

        path = write_html(g, tmp / "graph.html")
    else:
        raise SystemExit(f"unknown exporter {name!r}")
    wall = time.perf_counter() - t
    size = sum(p.stat().st_size for p in ([path] if path.is_file() else path.rglob("*")))
    return {
        "exporter": name,
        "relations": relations,
        "edges": g.number_of_edges(),
        "wall_s": round(wall, 2),
        "bytes": size,
        "graph_rss_mb": base,
        "peak_rss_mb": _peak_rss_mb(),
        **extra,
    }


def child_sparql(engine: str, ttl: str) -> dict[str, Any]:
    """Load ``ttl`` once into one engine, then time every docs/queries/*.rq on it."""
    from geokg.query import load_dataset, query_dataset

    out: dict[str, Any] = {"engine": engine, "queries": {}}
    if engine == "rdflib":
        _cap_memory()
    t = time.perf_counter()
    try:
        store = load_dataset(ttl, engine=engine)  # type: ignore[arg-type]
    except MemoryError:
        cap = resource.getrlimit(resource.RLIMIT_AS)[0] / 2**30
        out["error"] = (
            f"rdflib ran out of its {cap:.1f} GiB memory cap while loading the file, after "
            f"{time.perf_counter() - t:.0f} s (GEOKG_BENCH_RDFLIB_GB sets the cap)"
        )
        return out
    out["load_s"] = round(time.perf_counter() - t, 2)
    print(json.dumps({"partial": out}), flush=True)
    for q in sorted(QUERIES.glob("*.rq")):
        t = time.perf_counter()
        res = query_dataset(store, q.read_text(encoding="utf-8"))
        out["queries"][q.stem] = {
            "wall_s": round(time.perf_counter() - t, 2),
            "rows": len(res.rows),
        }
        print(json.dumps({"partial": out}), flush=True)
    out["peak_rss_mb"] = _peak_rss_mb()
    return out


def child_make_ttl(relations: int, path: str) -> dict[str, Any]:
    from _synth import synthetic_graph

    from geokg.exports.rdf import write_turtle

    write_turtle(synthetic_graph(relations), path)
    return {"path": path, "bytes": Path(path).stat().st_size}


# ----------------------------------------------------------------------------------------------
# Orchestration


def kept_from(old: dict[str, Any], parts: list[str]) -> list[dict[str, Any]]:
    """Where each of ``parts``, kept from the report ``old``, was measured: ``old``'s own run,
    or (a part ``old`` had kept too) the run it was kept from. One group per run, with its
    date, commit and machine, in the order of ``parts``."""
    earlier = old.get("kept") or []
    if isinstance(earlier, dict):  # a report of before the groups: one run
        earlier = [earlier]
    own = {"date": old.get("date"), "commit": old.get("commit", "not recorded")}
    own["machine"] = old.get("machine")
    groups: list[dict[str, Any]] = []
    for part in parts:
        run = next((g for g in earlier if part in g.get("parts", ())), own)
        source = {k: run.get(k) for k in ("date", "commit", "machine")}
        group = next((g for g in groups if {k: g[k] for k in source} == source), None)
        if group is None:
            group = {**source, "parts": []}
            groups.append(group)
        group["parts"].append(part)
    return groups


def _run_child(args: list[str], timeout: float) -> dict[str, Any]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "child", *args]
    print("bench:", " ".join(args), flush=True)
    t = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        partial = None
        raw = exc.stdout or ""
        text = raw.decode() if isinstance(raw, bytes) else raw
        for line in text.splitlines():
            if line.startswith("{"):
                partial = json.loads(line).get("partial", partial)
        return {"error": f"timed out after {timeout:.0f} s", "partial": partial}
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr or "").strip().splitlines()[-3:]
        return {"error": f"exit {proc.returncode}: {' | '.join(tail)}"}
    result: dict[str, Any] = json.loads(lines[-1])
    print(f"bench:   done in {time.perf_counter() - t:.0f} s", flush=True)
    return result


def _machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    from importlib.metadata import version

    return (
        f"{platform.system()} {platform.release()}, {os.cpu_count()} cores ({cpu}), {mem:.0f} GiB RAM, "
        f"Python {platform.python_version()}, spaCy {version('spacy')}"
    )


def _commit() -> str:
    """The checkout's commit, ``+dirty`` when tracked files differ from it."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short=12", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    return head + ("+dirty" if dirty else "")


def _uptime() -> str:
    """Load averages over 1, 5 and 15 minutes, as ``uptime`` prints them."""
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f}, {five:.2f}, {fifteen:.2f} on {os.cpu_count()} cores"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "child":
        return _child(argv[1:])
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--full", action="store_true", help="all documents, 1k/5k/20k memory, 1M relations"
    )
    ap.add_argument(
        "--docs", type=int, help="documents for the throughput runs (quick: 1,000; full: all)"
    )
    ap.add_argument("--mem-docs", help="comma-separated corpus sizes for the memory runs")
    ap.add_argument(
        "--relations", type=int, help="relations of the synthetic graph (quick: 100k; full: 1M)"
    )
    ap.add_argument(
        "--sparql-timeout", type=float, default=1800.0, help="seconds per engine (load + queries)"
    )
    ap.add_argument(
        "--skip",
        default="",
        help="comma-separated parts to skip: throughput,processes,memory,exports,sparql",
    )
    ap.add_argument(
        "--corpus",
        choices=("whitehouse", "mixed"),
        default="whitehouse",
        help="throughput corpus: the White House file (default) or the three files round-robin",
    )
    ap.add_argument(
        "--modes",
        default="raw,raw_fast,raw_paragraphs,geokg",
        help="comma-separated throughput runs: raw,raw_fast,raw_pages,raw_paragraphs,geokg",
    )
    ap.add_argument("--out", default=str(ROOT / "docs" / "PERFORMANCE.md"))
    ns = ap.parse_args(argv)
    from _corpus import news_dir

    news_dir()
    full = ns.full
    docs = ns.docs or (0 if full else 1000)
    mem_sizes = (
        [int(x) for x in ns.mem_docs.split(",")]
        if ns.mem_docs
        else ([1000, 5000, 20000] if full else [250, 500, 1000])
    )
    relations = ns.relations or (1_000_000 if full else 100_000)
    skip = set(filter(None, ns.skip.split(",")))
    command = " ".join(["python bench/run.py", *argv])
    results: dict[str, Any] = {
        "command": command,
        "machine": _machine(),
        "commit": _commit(),
        "load_at_start": _uptime(),
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "full": full,
    }
    started = time.perf_counter()
    out = Path(ns.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    # Parts skipped this time keep their figures from the previous report, marked as such.
    previous = out.with_suffix(".json")
    if skip and previous.is_file():
        old = json.loads(previous.read_text(encoding="utf-8"))
        kept = {
            part: old[part]
            for part in ("throughput", "processes", "memory", "exports", "sparql")
            if part in skip and part in old
        }
        if kept:
            results.update(kept)
            results["kept"] = kept_from(old, sorted(kept))

    def save() -> None:
        """Write the report after every step, so an interrupted run still leaves its figures."""
        from _report import write_report

        results["bench_wall_s"] = round(time.perf_counter() - started, 1)
        results["load_at_end"] = _uptime()
        out.with_suffix(".json").write_text(
            json.dumps(results, indent=1, sort_keys=True) + "\n", encoding="utf-8"
        )
        # PERFORMANCE.md -> performance.png, PERFORMANCE-memory.md -> performance-memory.png
        write_report(results, out, out.with_name(out.stem.lower() + ".png"))

    doc_arg = str(docs or 10**9)
    if "throughput" not in skip:
        results["throughput"] = _run_child(
            ["throughput", doc_arg, "1", ns.modes, ns.corpus], 4 * 3600
        )
        save()
    if "processes" not in skip:
        results["processes"] = _run_child(
            ["throughput", doc_arg, "2", "raw_paragraphs,geokg,geokg_pool", ns.corpus], 4 * 3600
        )
        save()
    if "memory" not in skip:
        results["memory"] = []
        for n in mem_sizes:
            results["memory"].append(_run_child(["memory", str(n)], 4 * 3600))
            save()
    if "exports" not in skip:
        results["exports"] = []
        for name in ("turtle", "rdflib-turtle", "nquads", "graphml", "neo4j", "html"):
            results["exports"].append(_run_child(["export", name, str(relations)], 3600))
            save()
    if "sparql" not in skip:
        with tempfile.TemporaryDirectory(prefix="geokg-bench-") as tmp:
            ttl = str(Path(tmp) / "graph.ttl")
            made = _run_child(["make-ttl", str(relations), ttl], 3600)
            results["sparql"] = {"relations": relations, "ttl_bytes": made.get("bytes")}
            for engine in ("oxigraph", "rdflib"):
                results["sparql"][engine] = _run_child(["sparql", engine, ttl], ns.sparql_timeout)
                save()
    save()
    print(f"bench: wrote {out}")
    return 0


def _child(args: list[str]) -> int:
    kind, rest = args[0], args[1:]
    if kind == "throughput":
        res = child_throughput(int(rest[0]), int(rest[1]), rest[2].split(","), *rest[3:4])
    elif kind == "memory":
        res = child_memory(int(rest[0]))
    elif kind == "export":
        res = child_export(rest[0], int(rest[1]))
    elif kind == "sparql":
        res = child_sparql(rest[0], rest[1])
    elif kind == "make-ttl":
        res = child_make_ttl(int(rest[0]), rest[1])
    else:
        raise SystemExit(f"unknown child {kind!r}")
    print(json.dumps(res), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
