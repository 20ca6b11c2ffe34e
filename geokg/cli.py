"""The ``geokg`` command line: a thin layer over :mod:`geokg.pipeline` and the registries."""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path
from typing import Any

import click

from geokg import __version__
from geokg.errors import GeoKGError

__all__ = ["main"]


#: ``build`` options that --resume takes from the interrupted build instead.
_RESUME_FIXED = (
    "out_dir",
    "demo",
    "model",
    "processes",
    "batch_size",
    "update",
    "exports",
    "max_bytes",
    "max_sentence_chars",
    "extractor",
    "min_confidence",
    "event_typer",
    "neo4j_rel_type",
    "page_max_actors",
    "page_max_relations",
)

_EVENT_TYPER_HELP = (
    "How relations get their event type: dictionary (the verb dictionary), classifier (the "
    "learned classifier of the extra 'learned') or both (docs/EVALUATION-typing.md). Without "
    "the extra, one warning and the dictionary."
)


def _fail(message: str, code: int = 1) -> None:
    click.echo(f"geokg: error: {message}", err=True)
    sys.exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="geokg")
def cli() -> None:
    """Turn news articles into a knowledge graph of geopolitical actors and events."""


@cli.command()
@click.argument("inputs", nargs=-1)
@click.option(
    "-o",
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("out"),
    show_default=True,
    help="Output folder.",
)
@click.option("--demo", is_flag=True, help="Build the sample articles shipped with geokg.")
@click.option(
    "--model",
    "model",
    default=None,
    help="spaCy pipeline name or path (default: $GEOKG_MODEL, en_core_web_sm, ../shared/models).",
)
@click.option(
    "--extractor",
    default="svo.v2",
    show_default=True,
    help="Relation extractor: svo.v2 (constructions kept as data), or svo.v1 (the rules it "
    "replaced, kept for comparison).",
)
@click.option(
    "--min-confidence",
    type=click.FloatRange(0.0, 1.0),
    default=None,
    help="Hold back edges whose calibrated confidence is below this from the HTML page and the "
    "graph exports (triples.jsonl keeps every row). Default: the threshold chosen on the news "
    "gold's dev side for the extractor; 0 keeps every edge.",
)
@click.option(
    "--event-typer",
    type=click.Choice(["dictionary", "classifier", "both"]),
    default="dictionary",
    show_default=True,
    help=_EVENT_TYPER_HELP,
)
@click.option(
    "--neo4j-rel-type",
    type=click.Choice(["verb", "plover"]),
    default="verb",
    show_default=True,
    help="Relationship type of the actor relationships in neo4j/: verb (the relation lemma, "
    "ACCUSE) or plover (the PLOVER type, SANCTION, or RELATED_TO for an edge without one; the "
    "verb stays in the 'relation' property).",
)
@click.option(
    "--page-max-actors",
    default=300,
    show_default=True,
    type=click.IntRange(min=1),
    help="Actors drawn on graph.html, the top ones by degree (it stays readable at 2,000; the "
    "page says what it left out).",
)
@click.option(
    "--page-max-relations",
    default=10_000,
    show_default=True,
    type=click.IntRange(min=1),
    help="Relations drawn on graph.html among its actors, the heaviest (it stays readable at "
    "10,000; the page says what it left out).",
)
@click.option(
    "--processes",
    default=1,
    show_default=True,
    type=click.IntRange(min=1),
    help="Parser processes.",
)
@click.option(
    "--batch-size",
    default=64,
    show_default=True,
    type=click.IntRange(min=1),
    help="Paragraphs per parser batch.",
)
@click.option(
    "--update",
    is_flag=True,
    help="Merge INPUTS into the graph already in OUT (given with -o) instead of replacing it: "
    "geokg build -o OUT --update INPUT...",
)
@click.option(
    "--export", "exports", multiple=True, help="Only these exporters (repeatable); default: all."
)
@click.option(
    "--max-bytes", type=click.IntRange(min=1), default=None, help="Skip documents larger than this."
)
@click.option(
    "--max-sentence-chars",
    type=click.IntRange(min=1),
    default=None,
    help="Skip sentences longer than this.",
)
@click.option("--strict", is_flag=True, help="Exit non-zero when any input was skipped.")
@click.option(
    "--progress/--no-progress", default=None, help="Progress bar (default: on a terminal)."
)
@click.option(
    "--resume",
    "resume_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Continue the interrupted build in this folder, with its inputs and options.",
)
@click.option(
    "--dask",
    "dask_scheduler",
    default=None,
    metavar="ADDRESS",
    help="Run the extraction on Dask: a scheduler address (tcp://host:8786) or 'local' (a "
    "LocalCluster of --workers processes).",
)
@click.option(
    "--process-pool",
    "process_pool",
    is_flag=True,
    help="Parse and extract partitions of the input on a plain local pool of --workers "
    "processes (no Dask).",
)
@click.option(
    "--workers",
    default=2,
    show_default=True,
    type=click.IntRange(min=1),
    help="Workers of --dask local or --process-pool.",
)
@click.option(
    "--partition-size",
    default=64,
    show_default=True,
    type=click.IntRange(min=1),
    help="Documents per task of --dask or --process-pool. Each task's facts are split into "
    "a file a worker when the graph is derived: on many workers, larger partitions make "
    "fewer, larger files.",
)
def build(
    inputs: tuple[str, ...],
    out_dir: Path,
    demo: bool,
    model: str | None,
    extractor: str,
    min_confidence: float | None,
    event_typer: str,
    neo4j_rel_type: str,
    page_max_actors: int,
    page_max_relations: int,
    processes: int,
    batch_size: int,
    update: bool,
    exports: tuple[str, ...],
    max_bytes: int | None,
    max_sentence_chars: int | None,
    strict: bool,
    progress: bool | None,
    resume_dir: Path | None,
    dask_scheduler: str | None,
    process_pool: bool,
    workers: int,
    partition_size: int,
) -> None:
    """Build the graph of INPUTS (files, folders, globs, or - for standard input) into OUT.

    Add articles to an earlier build with 'geokg build -o OUT --update INPUT...'. Files inside
    OUT are never read as input.

    Writes triples.jsonl, graph.ttl, graph.trig, graph.nq, graph.jsonld, graph.html,
    graph.graphml, graph.gexf, graph.json, neo4j/, edges_table.csv and report.json.
    An interrupted build continues with 'geokg build --resume OUT'.
    """
    from dataclasses import replace

    from geokg.exports import EXPORTERS
    from geokg.ingest import IngestOptions
    from geokg.pipeline import BuildOptions, check_inputs, resume_build, sample_inputs
    from geokg.pipeline import build as run_build

    def ctx_source(name: str) -> Any:
        return click.get_current_context().get_parameter_source(name)

    if dask_scheduler is not None and process_pool:
        raise click.UsageError("--dask and --process-pool exclude each other; choose one")
    parallel = "--dask" if dask_scheduler is not None else "--process-pool" if process_pool else ""
    if resume_dir is not None and (parallel or update):
        raise click.UsageError(f"--resume cannot be combined with {parallel or '--update'}")
    if not parallel and ctx_source("partition_size") == click.core.ParameterSource.COMMANDLINE:
        raise click.UsageError("--partition-size is for --dask or --process-pool builds")
    if parallel and update:
        raise click.UsageError(f"{parallel} builds a new graph; --update is not supported with it")
    if parallel and event_typer != "dictionary":
        raise click.UsageError(
            f"{parallel} codes events with the dictionary; leave out --event-typer"
        )
    if resume_dir is not None:
        ctx = click.get_current_context()
        given = [
            f"--{name.replace('_', '-')}"
            for name in _RESUME_FIXED
            if ctx.get_parameter_source(name) == click.core.ParameterSource.COMMANDLINE
        ]
        if out_dir != resume_dir and "--out-dir" in given:
            given.remove("--out-dir")
            given.append("-o")
        elif "--out-dir" in given:
            given.remove("--out-dir")
        if inputs or given:
            what = ", ".join(["INPUT"] * bool(inputs) + given)
            raise click.UsageError(
                "--resume OUT continues with the inputs and options of the interrupted build "
                f"in OUT; leave out {what}"
            )
        out_dir = resume_dir
        try:
            result = resume_build(resume_dir, progress=progress, release_model=True)
        except GeoKGError as exc:
            _fail(str(exc))
            return
        _finish(result.report, out_dir, strict)
        return
    if demo:
        inputs = (*inputs, *(str(p) for p in sample_inputs()))
    if not inputs:
        raise click.UsageError("give at least one INPUT (file, folder, glob or -), or --demo")
    if update and ctx_source("out_dir") != click.core.ParameterSource.COMMANDLINE:
        raise click.UsageError(
            "--update merges into the graph of the folder given with -o: "
            "geokg build -o OUT --update INPUT..."
        )
    for name in exports:
        if name not in EXPORTERS.names():
            raise click.UsageError(
                f"unknown exporter {name!r}; available: {', '.join(EXPORTERS.names())}"
            )
    ingest = IngestOptions()
    if max_bytes is not None:
        ingest = replace(ingest, max_bytes=max_bytes)
    if max_sentence_chars is not None:
        ingest = replace(ingest, max_sentence_chars=max_sentence_chars)
    options = BuildOptions(
        model=model,
        processes=processes,
        batch_size=batch_size,
        ingest=ingest,
        exports=tuple(exports) or None,
        progress=progress,
        release_model=True,  # one build per process: free the parser before assembling
        extractor=extractor,
        min_confidence=min_confidence,
        event_typer=event_typer,
        neo4j_rel_type=neo4j_rel_type,
        page_max_actors=page_max_actors,
        page_max_relations=page_max_relations,
    )
    try:
        check_inputs(inputs)
        if dask_scheduler is not None:
            from geokg.distributed import build_distributed

            result = build_distributed(
                list(inputs),
                out_dir,
                scheduler=dask_scheduler,
                options=options,
                n_workers=workers,
                partition_size=partition_size,
            )
        elif process_pool:
            from geokg.distributed import build_process_pool

            result = build_process_pool(
                list(inputs),
                out_dir,
                options=options,
                n_workers=workers,
                partition_size=partition_size,
            )
        else:
            result = run_build(
                list(inputs), out_dir, options=options, update=update, stdin=sys.stdin
            )
    except GeoKGError as exc:
        _fail(str(exc))
        return
    _finish(result.report, out_dir, strict)


def _finish(rep: dict[str, Any], out_dir: Path, strict: bool) -> None:
    """Print the summary of a build and exit with its status."""
    docs = rep["documents"]
    not_built = docs["skipped"] + docs.get("failed", 0)
    rels = rep["relations"]
    untargeted = rels.get("untargeted_events", 0)
    click.echo(
        f"geokg: {docs['built']} documents built, {not_built} skipped; "
        f"{rels['kept'] - untargeted} relations, {untargeted} events without an actor target, "
        f"{rep['graph']['actors']} actors, {rep['graph']['edges']} edges in "
        f"{rep['timings_s']['total']:.1f}s"
    )
    html = out_dir / "graph.html"
    if html.exists():
        click.echo(f"geokg: open {html.resolve().as_uri()}")
    click.echo(f"geokg: report in {out_dir / 'report.json'}")
    if docs["built"] == 0:
        _fail("no document could be read; see the skipped inputs above", 1)
    if strict and not_built:
        _fail(f"{not_built} input(s) skipped and --strict is set", 3)


@cli.command()
@click.argument("graph", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.argument("sparql")
@click.option(
    "--engine", type=click.Choice(["oxigraph", "rdflib"]), default="oxigraph", show_default=True
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0),
    default=30.0,
    show_default=True,
    help="Stop the query after SECONDS, loading included (0: never).",
)
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=10_000,
    show_default=True,
    help="Print at most N rows (0: all); a note on stderr says when rows were left out.",
)
@click.option(
    "--max-memory",
    "max_memory_mb",
    type=click.IntRange(min=0),
    default=4096,
    show_default=True,
    help="Stop the query if its engine needs more than MIB of memory (0: no cap).",
)
def query(
    graph: tuple[str, ...],
    sparql: str,
    engine: str,
    fmt: str,
    timeout: float,
    limit: int,
    max_memory_mb: int,
) -> None:
    """Run SPARQL (text or a .rq file) over GRAPH files (.ttl, .trig, .nq, .jsonld).

    Only the GRAPH files are read: SERVICE, FROM, FROM NAMED and SPARQL Update are refused.
    """
    import os

    from geokg.query import read_query, stream_query, write_result

    try:
        with stream_query(
            list(graph),
            read_query(sparql),
            engine=engine,  # type: ignore[arg-type]
            timeout=timeout,
            limit=limit,
            max_memory_mb=max_memory_mb,
        ) as rows:
            write_result(rows.columns, rows, fmt, lambda text: click.echo(text, nl=False))
    except GeoKGError as exc:
        _fail(str(exc), 2)
        return
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly, and keep Python from flushing again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)
    except OSError as exc:
        _fail(f"the query could not run or write its rows: {exc}", 2)
        return
    if rows.truncated:
        click.echo(
            f"geokg: warning: stopped after {limit:,} rows (--limit {limit}); add LIMIT to the "
            "query or pass --limit 0 for every row",
            err=True,
        )


@cli.command()
@click.argument("file", type=click.File("r", encoding="utf-8"))
@click.option(
    "--open",
    "open_mode",
    is_flag=True,
    help="Open extraction: every clause, not only actor relations.",
)
@click.option(
    "--format", "fmt", type=click.Choice(["jsonl", "carb"]), default="jsonl", show_default=True
)
@click.option("--model", default=None, help="spaCy pipeline name or path.")
def extract(file: Any, open_mode: bool, fmt: str, model: str | None) -> None:
    """Extract relations from FILE, one sentence per line (- for standard input)."""
    from geokg.nlp import load_model

    lines = [line.rstrip("\n") for line in file]
    try:
        nlp = load_model(model)
    except GeoKGError as exc:
        _fail(str(exc))
        return
    if fmt == "carb" and not open_mode:
        raise click.UsageError("--format carb needs --open (CaRB scores open extraction)")
    if open_mode:
        from geokg.extractors.openie import OpenExtractor, to_carb_lines

        ext = OpenExtractor()
        for tuples in ext.extract_texts(nlp, lines):
            if fmt == "carb":
                for out in to_carb_lines(tuples):
                    click.echo(out)
            else:
                for t in tuples:
                    click.echo(
                        json.dumps(
                            {
                                "sentence": t.sentence,
                                "relation": t.relation,
                                "args": list(t.args),
                                "confidence": t.confidence,
                            },
                            ensure_ascii=False,
                        )
                    )
        return
    from geokg.model import Document
    from geokg.pipeline import build_graph

    docs = [
        Document(id=f"line-{k + 1}", text=line, source=f"{file.name}:{k + 1}")
        for k, line in enumerate(lines)
        if line.strip()
    ]
    rows: list[dict[str, Any]] = []
    build_graph(docs, nlp=nlp, on_rows=rows.extend)
    for row in rows:
        click.echo(json.dumps(row, ensure_ascii=False, sort_keys=True))


@cli.command()
@click.argument("out_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of tables.")
@click.option(
    "--top", default=10, show_default=True, type=click.IntRange(min=1), help="Actors per ranking."
)
def stats(out_dir: Path, as_json: bool, top: int) -> None:
    """Centrality, communities, cooperation/conflict balance and timeline of a build in OUT_DIR."""
    from geokg.graph.analytics import render_stats, stats_json
    from geokg.graph.analytics import stats as compute
    from geokg.graph.assemble import load_graph
    from geokg.report import GRAPH_FILE

    path = out_dir / GRAPH_FILE
    if not path.is_file():
        _fail(f"{path}: no graph here; run 'geokg build ... -o {out_dir}' first", 2)
    try:
        result = compute(load_graph(path), top=top)
    except GeoKGError as exc:
        _fail(str(exc), 2)
        return
    click.echo(stats_json(result) if as_json else render_stats(result), nl=not as_json)


@cli.command(name="eval")
@click.option(
    "--data-dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Benchmarks (default: ../shared/data).",
)
@click.option(
    "--seeds-dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Seed articles (default: ../shared/seeds).",
)
@click.option(
    "--gold",
    type=click.Path(path_type=Path),
    default=Path("eval/gold/seeds_gold.tsv"),
    show_default=True,
)
@click.option(
    "--out",
    "out_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("docs/EVALUATION.md"),
    show_default=True,
)
@click.option("--model", default=None, help="spaCy pipeline name or path.")
@click.option(
    "--extractor",
    default="svo.v2",
    show_default=True,
    help="Relation extractor to score: svo.v2 (constructions kept as data), or svo.v1.",
)
@click.option(
    "--event-typer",
    type=click.Choice(["dictionary", "classifier", "both"]),
    default="dictionary",
    show_default=True,
    help=_EVENT_TYPER_HELP,
)
@click.option(
    "--news-gold",
    type=click.Path(path_type=Path),
    default=Path("eval/gold/news_gold.jsonl"),
    show_default=True,
    help="The news gold standard (docs/ANNOTATION.md); skipped when the file is absent.",
)
@click.option(
    "--split",
    type=click.Choice(["dev", "test", "both"]),
    default="dev",
    show_default=True,
    help="Side of the news gold to score. The test side is for reporting only.",
)
@click.option("--by-rule", is_flag=True, help="Rows and precision of each extractor rule.")
@click.option(
    "--agreement",
    "second_pass",
    type=click.Path(path_type=Path),
    default=None,
    help="Second annotation pass (eval/gold/news_gold_pass2.jsonl): report agreement.",
)
@click.option(
    "--compare",
    "compare",
    multiple=True,
    help="Another spaCy pipeline (name or path) to measure beside --model: every benchmark, "
    "UAS/LAS on the UD test files and NER F on CoNLL-2003 test, in one side-by-side table. "
    "Repeatable.",
)
@click.option("--note", "notes", multiple=True, help="A line for the report's Notes. Repeatable.")
def evaluate(
    data_dir: Path | None,
    seeds_dir: Path | None,
    gold: Path,
    out_file: Path,
    model: str | None,
    extractor: str,
    event_typer: str,
    news_gold: Path,
    split: str,
    by_rule: bool,
    second_pass: Path | None,
    compare: tuple[str, ...],
    notes: tuple[str, ...],
) -> None:
    """Score the extractors on the seed gold, the news gold, CaRB dev and the event sets."""
    from geokg._io import atomic_write
    from geokg.evaluation.adapters import open_extract_fn, predict_records_fn, predict_rows_fn
    from geokg.evaluation.harness import PipelineFigures, measure_pipeline, run_evaluation
    from geokg.evaluation.report import render_markdown, render_table
    from geokg.nlp import load_model, model_label

    shared = Path.cwd().parent / "shared"
    data_dir = data_dir or shared / "data"
    seeds_dir = seeds_dir or shared / "seeds"
    for path in (data_dir, seeds_dir, gold, *([second_pass] if second_pass else [])):
        if not path.exists():
            _fail(f"{path}: not found; pass --data-dir, --seeds-dir, --gold or --agreement", 2)

    def run(name: str | None, *, main: bool) -> tuple[Any, Any]:
        nlp = load_model(name, cached=False)
        predict, nodes = predict_rows_fn(nlp, extractor=extractor, event_typer=event_typer)
        return nlp, run_evaluation(
            data_dir=data_dir,
            seeds_dir=seeds_dir,
            seed_gold=gold,
            predict_rows=predict,
            open_extract=open_extract_fn(nlp),
            model=model_label(nlp),
            nodes=nodes,
            news_gold=news_gold if news_gold.exists() else None,
            splits=("dev", "test") if split == "both" else (split,),
            predict_records=predict_records_fn(nlp, extractor=extractor, event_typer=event_typer),
            second_pass=second_pass if main else None,
            show_rules=by_rule and main,
        )

    try:
        nlp, results = run(model, main=True)
        if compare:
            training = data_dir / "training"
            figures = []
            for name in (None, *compare):
                pipe, res = (nlp, results) if name is None else run(name, main=False)
                parser, ner = measure_pipeline(pipe, training)
                figures.append(
                    PipelineFigures(model=res.model, results=res, parser=parser, ner=ner)
                )
            results = dataclasses.replace(results, pipelines=tuple(figures))
        results = dataclasses.replace(results, notes=(*results.notes, *notes))
    except GeoKGError as exc:
        _fail(str(exc))
        return
    click.echo(render_table(results))
    command = "geokg eval" + "".join(f" {a}" for a in sys.argv[2:])
    atomic_write(out_file, render_markdown(results, command))
    click.echo(f"geokg: wrote {out_file}")


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``geokg`` console script and ``python -m geokg``."""
    cli.main(args=argv, prog_name="geokg")


if __name__ == "__main__":  # pragma: no cover
    main()
