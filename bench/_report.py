"""docs/PERFORMANCE.md and docs/performance.png from the bench results."""

from __future__ import annotations

import json
import os
import platform
import shutil
from pathlib import Path
from typing import Any


def machine() -> str:
    """This machine in a line: system, cores, Python."""
    return (
        f"{platform.system()} {platform.release()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )


def report_head(title: str, script: str, res: dict[str, Any]) -> list[str]:
    """The first lines of a compared-runs report: its title, who writes it, the commit, the
    machine and its load before and after."""
    return [
        f"# {title}",
        "",
        f"Written by `bench/{script}` (rerun it; do not edit by hand).",
        "",
        f"- Commit {res['commit']}; {res['machine']}",
        f"- Load (1, 5, 15 min) before {res['load_before']}, after {res['load_after']}",
    ]


def finish_run(res: dict[str, Any], text: str, out: Path | None, work: Path, keep: bool) -> int:
    """End a bench that compares runs: print its report ``text``, write it to ``out`` with
    ``res`` as JSON beside it, remove ``work`` unless ``keep``; 0 if every run gave the same
    files as the reference (``same``), else 1."""
    print(text)
    if out:
        out.write_text(text, encoding="utf-8")
        out.with_suffix(".json").write_text(json.dumps(res, indent=2) + "\n", "utf-8")
    if not keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if all(r.get("same", True) for r in res["runs"]) else 1


def _ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}" if a and b else "n/a"


def _tp_rows(tp: dict[str, Any]) -> list[str]:
    rows = []
    for mode in ("raw", "raw_fast", "raw_pages", "raw_paragraphs", "geokg"):
        m = tp.get(mode)
        if m:
            cpu_wps = tp["words"] / m["cpu_s"] if m.get("cpu_s") else 0
            load = (
                f"{m['load_before']} → {m['load_after']}" if "load_before" in m else "not recorded"
            )
            rows.append(
                f"| `{mode}` | {m['wall_s']} | {m['words_per_s']:,.0f} | {m['cpu_s']} "
                f"| {cpu_wps:,.0f} | {load} |"
            )
    return rows


_CORPUS = {
    "whitehouse": "the White House file of ../shared/data/news, its first documents in file order",
    "mixed": "../shared/data/news, round-robin over the White House, Reuters and BBC files",
}


def write_report(res: dict[str, Any], md: Path, png: Path) -> None:
    """Write the Markdown report and the plot."""
    lines = [
        "# geokg performance",
        "",
        "Written by `bench/run.py` (do not edit by hand; rerun the bench).",
        "",
        f"- Date: {res['date']}; commit {res.get('commit', 'not recorded')}",
        f"- Machine: {res['machine']}",
        f"- Load (1, 5, 15 min averages): {res.get('load_at_start', 'not recorded')} at the "
        f"start, {res.get('load_at_end', 'not recorded')} at the end",
        f"- Command: `{res['command']}`",
        f"- Mode: {'full' if res['full'] else 'quick'}; bench wall time {res.get('bench_wall_s')} s",
        "- Corpus: ../shared/data/news; the throughput runs name theirs, the memory runs take "
        "the three files round-robin.",
        "- Words = whitespace-separated words of the input texts (the same count for every row).",
        "- Each measurement runs in a fresh process; peak RSS is that process's `ru_maxrss` (the "
        "memory runs add the build's parsing process, below).",
        "  The machine is shared with other jobs, so wall times are noisy; CPU times are given too.",
        "",
    ]
    kept = res.get("kept") or []
    for group in [kept] if isinstance(kept, dict) else kept:
        lines += [
            f"Not rerun this time, kept from the run of {group.get('date')} (commit "
            f"{group.get('commit')}; {group.get('machine')}): {', '.join(group['parts'])}.",
            "",
        ]
    tp = res.get("throughput") or {}
    if tp and "error" not in tp:

        def vs(a: str, b: str, what: str) -> str:
            if a not in tp or b not in tp:
                return f"- {b}/{a}: not measured"
            return (
                f"- {b}/{a} words per second: {what}{_ratio(tp[a]['cpu_s'], tp[b]['cpu_s'])}"
                f"{what} (CPU), {_ratio(tp[a]['wall_s'], tp[b]['wall_s'])} (wall)"
            )

        lines += [
            f"## Throughput: {tp['docs']:,} documents, {tp['words']:,} words, 1 process",
            "",
            f"Corpus: {_CORPUS.get(tp.get('corpus', 'mixed'))}. "
            "`raw`: spaCy's own pipeline, the build's model with the same components "
            f"({', '.join(tp.get('components', [])) or 'not recorded'}), "
            "`nlp.pipe(texts, batch_size=64)` over the document texts, consuming the Docs: the "
            "floor. `raw_fast`: the same with the pipeline as the build loads and runs it (geokg's "
            "table-driven attribute ruler and caching lemmatizer, numpy's matrix products on one "
            "thread and no transparent huge pages: `geokg/nlp_fast.py`, the same token "
            "attributes), in the bench's process, without the allocator settings of the build's "
            "parsing process (`geokg.parse.PARSER_ENVIRONMENT`). `raw_pages`: spaCy's own pipeline with numpy's huge pages off, as the "
            "build has them (what that setting alone buys). `raw_paragraphs`: spaCy's pipeline "
            "over the paragraphs geokg "
            "parses. `geokg`: the whole `geokg.pipeline.build` from the JSONL file to every "
            "export. The raw runs use a model loaded before timing; the `geokg` build parses in a "
            "process of its own, which loads its own copy, and that load is counted (`model_load` "
            "below). CPU time is user + system of the process and its children; load is the "
            "1-minute load average before → after the run.",
            "",
            "| run | wall s | words/s (wall) | CPU s | words/s (CPU) | load |",
            "| --- | ---: | ---: | ---: | ---: | --- |",
            *_tp_rows(tp),
            "",
            vs("raw", "geokg", "**") + ". Target ≥ 1.15 (CPU).",
            vs("raw_fast", "geokg", ""),
            vs("raw_pages", "geokg", ""),
            vs("raw_paragraphs", "geokg", ""),
            f"- geokg build timings: `{tp.get('geokg_report', {}).get('timings_s')}`; "
            f"relations kept: {tp.get('geokg_report', {}).get('relations', {}).get('kept')}.",
            "",
        ]
    elif tp:
        lines += ["## Throughput", "", f"Failed: {tp['error']}", ""]
    pr = res.get("processes") or {}
    if pr and "error" not in pr and tp and "error" not in tp:
        lines += [
            f"## Processes: N=2 against N=1 ({pr['docs']:,} documents, "
            f"{pr.get('corpus', 'mixed')} corpus)",
            "",
            "| run | N=1 wall s | N=2 wall s | speedup |",
            "| --- | ---: | ---: | ---: |",
        ]
        # N=1 comes from this report's throughput runs only where they read the same corpus.
        same = (pr.get("corpus", "mixed"), pr["docs"]) == (tp.get("corpus", "mixed"), tp["docs"])
        for mode in ("raw_paragraphs", "geokg", "geokg_pool"):
            if mode not in pr:
                continue
            one = tp.get("geokg" if mode == "geokg_pool" else mode) if same else None
            a, b = (one or {}).get("wall_s"), pr[mode]["wall_s"]
            lines.append(f"| `{mode}` | {a if a else 'n/a'} | {b} | {_ratio(a, b)} |")
        lines += [
            "",
            "`geokg` at N=2 is `--processes 2` (spaCy `n_process=2`: two parser processes, "
            "extraction on the main process). `geokg_pool` is "
            "`geokg build --process-pool --workers 2` (`geokg.distributed.build_process_pool`, "
            "no Dask): each "
            "worker parses and extracts a partition of 16 documents, the main process merges "
            "(its N=1 column is the one-process `geokg` build).",
            "",
        ]
    mem = [m for m in res.get("memory") or [] if "error" not in m]
    if mem:
        lines += [
            "## Peak memory against corpus size (whole `geokg build`)",
            "",
            "`geokg build` parses in a process of its own and assembles and exports the graph in "
            "the main one, which waits while the parser runs. *Peak RSS* is the larger of the main "
            "process's peak and the sum of its RSS before the build, the parsing process's peak and "
            "the RSS of multiprocessing's resource tracker (an upper bound on what they held at "
            "once), or *sampled*, their summed RSS read every 10 ms, where that is larger.",
            "",
            "| documents | words | relations | edges | wall s | words/s | peak RSS MB "
            "| main MB | parser MB | sampled MB |",
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for m in mem:
            lines.append(
                f"| {m['docs']:,} | {m['words']:,} | {m['relations']:,} | {m['edges']:,} | {m['wall_s']} | "
                f"{m['words_per_s']:,.0f} | {m['peak_rss_mb']:,.0f} | {m.get('main_rss_mb', 0):,.0f} "
                f"| {m.get('parser_rss_mb', 0):,.0f} | {m.get('sampled_tree_mb', 0):,.0f} |"
            )
        lines += [
            "",
            f"Peak RSS at {mem[-1]['docs']:,} / at {mem[0]['docs']:,} documents: "
            f"**{_ratio(mem[-1]['peak_rss_mb'], mem[0]['peak_rss_mb'])}** (target ≤ 1.2 for 20k / 1k).",
            "",
            f"![throughput and memory against corpus size]({png.name})",
            "",
        ]
    for m in res.get("memory") or []:
        if "error" in m:
            lines += [f"- memory run failed: {m['error']}", ""]
    ex = res.get("exports") or []
    if ex:
        rel = next((e.get("relations") for e in ex if "relations" in e), None)
        lines += [
            f"## Export cost on a synthetic graph of {rel:,} relations"
            if rel
            else "## Export cost",
            "",
            "Graph made by `bench/_synth.py` (seeded; ~2 provenance records per edge). Time is the "
            "writer alone; `graph RSS` is the process after building the graph, `peak RSS` the "
            "whole process. `rdflib-turtle`: the same triples in an rdflib Graph (built with "
            "`geokg.exports.rdf.to_rdflib_graph`, build time listed apart) and rdflib's own "
            "Turtle serializer.",
            "",
            "| exporter | edges | wall s | output MB | graph RSS MB | peak RSS MB | note |",
            "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
        ]
        by = {e.get("exporter"): e for e in ex}
        for e in ex:
            if "error" in e:
                lines.append(f"| {e.get('exporter', '?')} | | | | | | {e['error']} |")
                continue
            note = ""
            if e["exporter"] == "rdflib-turtle":
                note = f"rdflib Graph build {e.get('build_graph_s')} s, {e.get('triples', 0):,} triples"
            if e["exporter"] == "html":
                note = "reduced to the top 300 actors (write_html max_nodes)"
            lines.append(
                f"| {e['exporter']} | {e['edges']:,} | {e['wall_s']} | {e['bytes'] / 2**20:,.1f} | "
                f"{e['graph_rss_mb']:,.0f} | {e['peak_rss_mb']:,.0f} | {note} |"
            )
        ours, theirs = by.get("turtle"), by.get("rdflib-turtle")
        if ours and theirs and "error" not in ours and "error" not in theirs:
            lines += [
                "",
                f"geokg Turtle / rdflib serializer time: **{_ratio(ours['wall_s'], theirs['wall_s'])}** "
                "(target < 2; geokg's writer streams blocks, no in-memory RDF graph). Including "
                "rdflib's graph build: "
                f"{_ratio(ours['wall_s'], theirs['wall_s'] + theirs.get('build_graph_s', 0))}.",
            ]
        lines.append("")
    sp = res.get("sparql") or {}
    if sp:
        lines += [
            f"## SPARQL: docs/queries on the synthetic graph of {sp['relations']:,} relations "
            f"(Turtle {((sp.get('ttl_bytes') or 0) / 2**20):,.0f} MB)",
            "",
            "Each engine loads the file once (`geokg.query.load_dataset`, time in the last row), "
            "then runs every query on that store (`geokg.query.query_dataset`).",
            "",
        ]
        engines = ("oxigraph", "rdflib")
        names: set[str] = set()
        for eng in engines:
            r = sp.get(eng) or {}
            names |= set((r.get("queries") or (r.get("partial") or {}).get("queries") or {}).keys())
        lines += ["| query | oxigraph s | rdflib s | rows |", "| --- | ---: | ---: | ---: |"]
        for q in sorted(names):
            cells = []
            rows = ""
            for eng in engines:
                r = sp.get(eng) or {}
                qs = r.get("queries") or (r.get("partial") or {}).get("queries") or {}
                if q in qs:
                    cells.append(str(qs[q]["wall_s"]))
                    rows = str(qs[q]["rows"])
                else:
                    cells.append(f"> {r['error']}" if "error" in r else "n/a")
            lines.append(f"| {q} | {cells[0]} | {cells[1]} | {rows} |")
        loads = []
        for eng in engines:
            r = sp.get(eng) or {}
            load = r.get("load_s", (r.get("partial") or {}).get("load_s"))
            loads.append(str(load) if load is not None else "did not finish")
        lines.append(f"| (load the file) | {loads[0]} | {loads[1]} | |")
        for eng in engines:
            r = sp.get(eng) or {}
            if "error" in r:
                lines.append(f"\n{eng}: {r['error']} (queries without a time did not finish).")
            elif r:
                lines.append(f"\n{eng}: peak RSS {r.get('peak_rss_mb')} MB.")
        lines.append("")
    md.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")
    if mem:
        _plot(mem, png)


def _plot(mem: list[dict[str, Any]], png: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    docs = [m["docs"] for m in mem]
    fig, ax1 = plt.subplots(figsize=(7, 4), dpi=100)
    ax1.plot(docs, [m["words_per_s"] for m in mem], "o-", color="tab:blue", label="words/s")
    ax1.set_xlabel("documents")
    ax1.set_ylabel("words per second (wall)", color="tab:blue")
    ax1.set_xscale("log")
    ax1.set_ylim(bottom=0)
    ax2 = ax1.twinx()
    ax2.plot(docs, [m["peak_rss_mb"] for m in mem], "s--", color="tab:red", label="peak RSS")
    ax2.set_ylabel("peak RSS (MB)", color="tab:red")
    ax2.set_ylim(bottom=0)
    ax1.set_title("geokg build: throughput and peak memory against corpus size")
    fig.tight_layout()
    fig.savefig(png, metadata={"Software": None})
    plt.close(fig)
