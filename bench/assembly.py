"""Graph assembly at scale: hub-heavy relations through the path ``geokg build`` takes.

``geokg build`` assembles the graph from its checkpoint, one document's fact records at a time
(``geokg.graph.policy.apply_facts``, the records decoded from JSON), then consolidates people and sorts the graph. This bench feeds
N synthetic, seeded relations through that same path: half of them touch one of five hub
actors (as the US, Russia and China are in news), the rest fall Zipf-like over 50,000 actors,
and the few relations of the hub pairs repeat the same facts on the same edges over and over.
It times each tenth of the relations, then ``finish`` (the sort), ``consolidate_people`` and
``normalise_graph``, and writes docs/PERFORMANCE-assembly.md.

Every measurement runs in a fresh process (``child``). ``--before TREE`` runs the scaling rows
with the geokg of another checkout too (its ``_apply_facts`` onto a plain graph when it has no
``GraphAssembler``), e.g. the commit before issue 19, made with ``git archive``::

    python bench/assembly.py --relations 1000000 --out docs/PERFORMANCE-assembly.md \\
        --before /tmp/geokg-before
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import gc
import json
import os
import platform
import random
import resource
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from _synth import WORDS

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

_WORDS = WORDS[:36]  # the words of the runs in docs/PERFORMANCE-assembly.md
_RELATIONS = (
    ("accuse", {"plover": "ACCUSE", "cameo": "112", "quad_class": 3, "goldstein": -2.0}),
    ("meet", {"plover": "CONSULT", "cameo": "040", "quad_class": 1, "goldstein": 1.0}),
    ("criticize", {"plover": "ACCUSE", "cameo": "111", "quad_class": 3, "goldstein": -2.0}),
    ("sanction", {"plover": "SANCTION", "cameo": "163", "quad_class": 4, "goldstein": -8.0}),
    ("support", {"plover": "SUPPORT", "cameo": "051", "quad_class": 1, "goldstein": 3.4}),
    ("visit", {"plover": "CONSULT", "cameo": "042", "quad_class": 1, "goldstein": 1.9}),
    ("threaten", {"plover": "THREATEN", "cameo": "130", "quad_class": 3, "goldstein": -4.4}),
    ("warn", None),
)
_HUBS = (
    ("USA", "United States", "Q30"),
    ("RUS", "Russia", "Q159"),
    ("CHN", "China", "Q148"),
    ("UKR", "Ukraine", "Q212"),
    ("GBR", "United Kingdom", "Q145"),
)
_HUB_WEIGHTS = (0.35, 0.25, 0.2, 0.12, 0.08)
TAIL = 50_000
PER_DOC = 10


def _tail_actor(i: int) -> dict[str, Any]:
    """Actor ``i`` of the long tail: people (one in twenty also seen by surname alone, a node
    consolidate_people merges), organisations and groups."""
    kind = i % 5
    if kind in (0, 1):
        return {
            "id": f"person:first{i}-surname{i}",
            "label": f"First{i} Surname{i}",
            "type": "person",
            "country": _HUBS[i % 5][0],
            "roles": ["minister"] if i % 7 == 0 else [],
            "aliases": [],
            "wikidata": None,
        }
    if kind == 2 and i % 20 == 2:
        j = i - 2  # the surname of person j
        return {
            "id": f"person:surname{j}",
            "label": f"Surname{j}",
            "type": "person",
            "country": None,
            "roles": [],
            "aliases": [],
            "wikidata": None,
        }
    return {
        "id": f"org:o{i}",
        "label": f"Organisation {i}",
        "type": "organisation" if kind != 4 else "group",
        "country": _HUBS[i % 5][0] if i % 3 else None,
        "roles": [],
        "aliases": [f"O{i}"] if i % 4 == 0 else [],
        "wikidata": f"Q{1000 + i}" if i % 9 == 0 else None,
    }


def _hub_actor(h: int) -> dict[str, Any]:
    iso, label, qid = _HUBS[h]
    return {
        "id": iso,
        "label": label,
        "type": "country",
        "country": iso,
        "roles": [],
        "aliases": [],
        "wikidata": qid,
    }


def documents(relations: int, seed: int = 19) -> Iterator[tuple[str, dict[str, Any], list[Any]]]:
    """``relations`` relations in documents of ten: (doc id, metadata, fact records), the
    records ``geokg build`` keeps in its checkpoint. Seeded: every run is the same."""
    rng = random.Random(seed)
    cum: list[float] = []
    total = 0.0
    for r in range(1, TAIL + 1):  # Zipf, s = 1
        total += 1.0 / r
        cum.append(total)

    def tail() -> dict[str, Any]:
        return _tail_actor(bisect.bisect_left(cum, rng.random() * total))

    def hub() -> dict[str, Any]:
        return _hub_actor(rng.choices(range(5), weights=_HUB_WEIGHTS)[0])

    n = 0
    d = 0
    while n < relations:
        doc_id = f"doc-{d:07d}"
        date = (dt.date(2021, 1, 1) + dt.timedelta(days=d % 1800)).isoformat()
        facts = []
        for _ in range(min(PER_DOC, relations - n)):
            if rng.random() < 0.5:
                a, b = hub(), (hub() if rng.random() < 0.3 else tail())
            else:
                a, b = tail(), tail()
            if rng.random() < 0.5:
                a, b = b, a
            if a["id"] == b["id"]:
                b = _tail_actor((TAIL - 1) - n % 1000)
            relation, event = _RELATIONS[min(int(rng.expovariate(0.6)), 7)]
            start = rng.randint(0, 4000)
            sentence = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(15, 30)))
            speaker = rng.random() < 0.1
            facts.append(
                {
                    "subject": a,
                    "object": b,
                    "relation": relation,
                    "negated": rng.random() < 0.05,
                    "modality": "reported" if speaker else "asserted",
                    "event": event,
                    "subject_alias": a["label"] if rng.random() < 0.2 else None,
                    "object_alias": None,
                    "provenance": {
                        "relation_id": f"r-{n:08d}",
                        "doc_id": doc_id,
                        "sentence": sentence,
                        "span": [start, start + len(sentence)],
                        "date": date,
                        "date_source": "article",
                        "speaker": tail()["id"] if speaker else None,
                        "confidence": round(rng.uniform(0.3, 0.95), 3),
                        "extractor": "svo.v2",
                        "rule": "svo",
                        "model": "en_core_web_sm-3.8.0",
                    },
                }
            )
            n += 1
        meta = {"title": f"Title {d}", "published": date, "source": "bench", "url": None}
        yield doc_id, meta, facts
        d += 1


def _rss_mb() -> float:
    with Path("/proc/self/status").open() as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def child(relations: int) -> dict[str, Any]:
    """Assemble ``relations`` relations as ``geokg build`` does; time each tenth."""
    from geokg.graph import assemble

    try:
        from geokg.graph.policy import apply_facts
        from geokg.model import DocMeta, Fact

        def apply(target: Any, doc_id: str, meta: dict[str, Any], facts: list[Any]) -> None:
            # the typed records a build decodes from its checkpoint, decoded here too
            apply_facts(target, doc_id, DocMeta.from_json(meta), map(Fact.from_json, facts))
    except ImportError:  # a checkout before the stages had their own modules (JSON records)
        from geokg.pipeline import _apply_facts as apply  # type: ignore[attr-defined,no-redef]

    linear = hasattr(assemble, "GraphAssembler")
    target: Any = assemble.GraphAssembler() if linear else assemble.new_graph()
    gc_s = [0.0] * 10
    gc_start = 0.0
    tenth = 0

    def on_gc(phase: str, info: dict[str, Any]) -> None:
        nonlocal gc_start
        if phase == "start":
            gc_start = time.perf_counter()
        else:
            gc_s[tenth] += time.perf_counter() - gc_start

    gc.callbacks.append(on_gc)
    rss0 = _rss_mb()
    step = relations // 10
    tenth_s = [0.0] * 10
    tenth_cpu = [0.0] * 10
    done = 0
    for doc_id, meta, facts in documents(relations):
        tenth = min(done // step, 9)
        t, c = time.perf_counter(), time.process_time()
        apply(target, doc_id, meta, facts)
        tenth_cpu[tenth] += time.process_time() - c
        tenth_s[tenth] += time.perf_counter() - t
        done += len(facts)
    gc.callbacks.remove(on_gc)
    t = time.perf_counter()
    g = target.finish() if linear else target
    finish_s = time.perf_counter() - t
    t = time.perf_counter()
    merged = assemble.consolidate_people(g)
    consolidate_s = time.perf_counter() - t
    t = time.perf_counter()
    g = assemble.normalise_graph(g)
    normalise_s = time.perf_counter() - t
    weights = sorted((d["weight"] for _, _, d in g.edges(data=True)), reverse=True)
    degrees = sorted((deg for _, deg in g.degree()), reverse=True)
    us = [round(s / step * 1e6, 2) for s in tenth_s]
    cpu_us = [round(s / step * 1e6, 2) for s in tenth_cpu]
    return {
        "relations": relations,
        "path": "GraphAssembler" if linear else "add_fact onto the graph",
        "tenth_us_per_relation": us,
        "tenth_cpu_us_per_relation": cpu_us,
        "tenth_gc_s": [round(s, 3) for s in gc_s],
        "last_over_first": round(us[-1] / us[0], 3),
        "last_over_first_cpu": round(cpu_us[-1] / cpu_us[0], 3),
        "add_cpu_s": round(sum(tenth_cpu), 2),
        "add_s": round(sum(tenth_s), 2),
        "finish_s": round(finish_s, 2),
        "consolidate_s": round(consolidate_s, 2),
        "people_merged": len(merged),
        "normalise_s": round(normalise_s, 2),
        "total_s": round(sum(tenth_s) + finish_s + consolidate_s + normalise_s, 2),
        "actors": g.number_of_nodes(),
        "edges": g.number_of_edges(),
        "top_edge_weights": weights[:3],
        "top_degrees": degrees[:5],
        "rss_before_mb": rss0,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def _run_child(tree: Path, relations: int, timeout: float) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    print(f"bench: {relations:,} relations with {tree}", file=sys.stderr, flush=True)
    try:
        out = subprocess.run(
            [sys.executable, __file__, "child", str(relations)],
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=True,
        )
    except subprocess.TimeoutExpired:
        return {"relations": relations, "error": f"did not finish in {timeout:.0f} s"}
    except subprocess.CalledProcessError as exc:
        return {"relations": relations, "error": exc.stderr.strip().splitlines()[-1]}
    result: dict[str, Any] = json.loads(out.stdout.splitlines()[-1])
    return result


def _machine() -> str:
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{platform.system()} {platform.release()}, {os.cpu_count()} cores ({cpu}), "
        f"{mem:.0f} GiB RAM, Python {platform.python_version()}"
    )


def _commit(tree: Path) -> str:
    try:
        return subprocess.run(
            ["git", "-C", str(tree), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def _scaling_rows(label: str, rows: list[dict[str, Any]]) -> list[str]:
    out = []
    for r in rows:
        if "error" in r:
            out.append(f"| {label} | {r['relations']:,} | {r['error']} | | | | | |")
            continue
        cpu = r["tenth_cpu_us_per_relation"]
        out.append(
            f"| {label} | {r['relations']:,} | {r['add_cpu_s'] / r['relations'] * 1e6:,.1f} | "
            f"{cpu[0]:,.1f} | {cpu[-1]:,.1f} | {r['last_over_first_cpu']:.2f} | "
            f"{r['last_over_first']:.2f} | {r['total_s']:,.2f} |"
        )
    return out


def report(res: dict[str, Any]) -> str:
    main = res["main"]
    lines = [
        "# Graph assembly at scale",
        "",
        "Written by `bench/assembly.py` (do not edit by hand; rerun the bench).",
        "",
        f"- Date: {res['date']}; commit {res['commit']}",
        f"- Machine: {res['machine']}; load average {res['load']} when the bench started",
        f"- Command: `{res['command']}`",
        "- Relations: seeded, in documents of ten; half touch one of five hub countries (the "
        "US in 35% of those), the rest fall Zipf-like (s = 1) over 50,000 actors, one in twenty "
        "people also seen by surname alone. Each is a fact record of `geokg build`'s checkpoint "
        "and goes through `geokg.graph.policy.apply_facts`, the path `geokg build` assembles by.",
        "- Each run is a fresh process. Per-relation times are the CPU time of the process "
        "(`time.process_time`) spent adding, with the wall time beside it: the machine is shared "
        "with other jobs, which stretches wall times unevenly; CPU time is what the code costs. "
        "GC is on (as in a build); its wall time per tenth is listed.",
        "",
    ]
    if "error" in main:
        lines += [f"**{main['relations']:,} relations: {main['error']}**", ""]
    else:
        cpu, wall = main["tenth_cpu_us_per_relation"], main["tenth_us_per_relation"]
        ok = "met" if main["last_over_first_cpu"] <= 1.5 else "NOT met"
        lines += [
            f"## {main['relations']:,} relations ({main['path']})",
            "",
            "- Time per relation, last tenth over first tenth: "
            f"**{main['last_over_first_cpu']:.2f}** in CPU time (target at most 1.5: {ok}), "
            f"{main['last_over_first']:.2f} in wall time.",
            f"- Adding: {main['add_cpu_s']:,.1f} s CPU ({main['add_s']:,.1f} s wall); then, in "
            f"wall time, `finish` (sorting once) {main['finish_s']:,.1f} s, "
            f"`consolidate_people` {main['consolidate_s']:,.1f} s ({main['people_merged']:,} "
            f"surnames merged), `normalise_graph` {main['normalise_s']:,.1f} s; total "
            f"{main['total_s']:,.1f} s wall.",
            f"- Graph: {main['actors']:,} actors, {main['edges']:,} edges; the heaviest edges "
            f"hold {', '.join(f'{w:,}' for w in main['top_edge_weights'])} relations, the hubs "
            f"have {', '.join(f'{d:,}' for d in main['top_degrees'])} edges.",
            f"- Memory: {main['rss_before_mb']:,.0f} MB before (Python, networkx, geokg.pipeline "
            f"imported), peak RSS {main['peak_rss_mb']:,.0f} MB.",
            "",
            "| tenth | CPU µs per relation | wall µs per relation | of which GC s (wall) |",
            "| ---: | ---: | ---: | ---: |",
            *(
                f"| {i + 1} | {c:,.1f} | {w:,.1f} | {g:,.2f} |"
                for i, (c, w, g) in enumerate(zip(cpu, wall, main["tenth_gc_s"], strict=True))
            ),
            "",
        ]
    lines += [
        "## Before and after",
        "",
        "The same relations at small sizes. `before` is the assembly this replaced (commit "
        f"{res.get('before_commit', 'n/a')}: `add_fact` onto the graph, every attribute final "
        "after each relation); `after` is this commit. Per-relation times in CPU µs; the ratio "
        "is the last tenth's time per relation over the first tenth's.",
        "",
        "| code | relations | per relation | first tenth | last tenth | last / first (CPU) | "
        "last / first (wall) | total s (wall) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        *_scaling_rows("after", res["scaling"]),
        *_scaling_rows("before", res.get("before", [])),
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "child":
        print(json.dumps(child(int(argv[1]))))
        return 0
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--relations", type=int, default=1_000_000)
    ap.add_argument("--scaling", default="1000,8000", help="relation counts of the small rows")
    ap.add_argument("--before", type=Path, help="a checkout of the code to compare with")
    ap.add_argument("--before-commit", help="its commit, when --before is no git checkout")
    ap.add_argument("--timeout", type=float, default=1800.0, help="seconds per run")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "PERFORMANCE-assembly.md")
    args = ap.parse_args(argv)
    if args.relations % 100:
        ap.error("--relations must be a multiple of 100 (ten tenths of whole documents)")
    sizes = [int(s) for s in args.scaling.split(",") if s]
    res: dict[str, Any] = {
        "date": dt.date.today().isoformat(),
        "commit": _commit(ROOT),
        "machine": _machine(),
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "command": "python bench/assembly.py " + " ".join(argv),
    }
    res["scaling"] = [_run_child(ROOT, n, args.timeout) for n in sizes]
    if args.before:
        res["before_commit"] = args.before_commit or _commit(args.before)
        res["before"] = [_run_child(args.before, n, args.timeout) for n in sizes]
    res["main"] = _run_child(ROOT, args.relations, args.timeout)
    args.out.write_text(report(res), encoding="utf-8")
    args.out.with_suffix(".json").write_text(json.dumps(res, indent=1) + "\n", encoding="utf-8")
    print(f"bench: wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
