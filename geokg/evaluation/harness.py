"""Run every benchmark against the pipeline's callables and collect the figures.

The pipeline side supplies two plain callables (no spaCy objects cross this boundary):

* ``predict_rows(texts)``: ``texts`` is a sequence of ``(doc_id, text, date or None)``; returns
  ``{doc_id: [triples.jsonl rows]}`` (DESIGN.md section 4) for every document, using ``doc_id``
  as the rows' ``doc_id``.
* ``open_extract(sentences)``: ``sentences`` is a sequence of CaRB sentences (PTB tokenised);
  returns :class:`~geokg.evaluation.carb.CarbTuple` predictions whose ``sentence`` is the input
  sentence string.

Either may be ``None`` to skip the benchmarks that need it.
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geokg.errors import InputError
from geokg.evaluation.carb import CarbScore, CarbTuple, score_carb
from geokg.evaluation.events import (
    EventGold,
    EventScore,
    load_event_sets,
    majority_predictor,
    score_events,
)
from geokg.evaluation.gold import (
    AgreementScore,
    NewsScore,
    agreement,
    gold_texts,
    read_gold,
    score_news,
    select_split,
)
from geokg.evaluation.seeds import SeedScore, score_seeds

if TYPE_CHECKING:
    from spacy.language import Language

    from geokg.evaluation.parsers import NerScore, ParserScore

__all__ = [
    "UD_TEST_FILES",
    "EvalResults",
    "OpenExtract",
    "PipelineFigures",
    "PredictRows",
    "measure_pipeline",
    "run_evaluation",
]

PredictRows = Callable[[Sequence[tuple[str, str, str | None]]], Mapping[str, list[dict[str, Any]]]]
OpenExtract = Callable[[Sequence[str]], Iterable[CarbTuple]]
PredictRecords = Callable[[Sequence[Mapping[str, Any]]], list[dict[str, Any]]]


#: The UD test files of ``../shared/data/training/ud/test`` the parser is scored on, news first.
UD_TEST_FILES: tuple[str, ...] = (
    "pud_test",
    "gum_test_news",
    "gum_test",
    "ewt_test",
    "gentle_test",
)


@dataclass(frozen=True, slots=True, kw_only=True)
class PipelineFigures:
    """One spaCy pipeline's figures for the side-by-side table.

    Attributes:
        model: Pipeline name and version.
        results: Everything ``geokg eval`` measures, run with this pipeline.
        parser: UAS/LAS by UD test file stem (empty when the files are absent).
        ner: CoNLL-2003 test NER, or ``None`` when the file is absent.
    """

    model: str
    results: EvalResults
    parser: Mapping[str, ParserScore] = field(default_factory=dict)
    ner: NerScore | None = None


def measure_pipeline(
    nlp: Language, training_dir: str | os.PathLike[str]
) -> tuple[dict[str, ParserScore], NerScore | None]:
    """UAS/LAS on each of :data:`UD_TEST_FILES` and NER on CoNLL-2003 test, where present."""
    from geokg.evaluation.parsers import score_ner, score_parser

    base = Path(training_dir)
    parser = {
        stem: score_parser(nlp, base / "ud" / "test" / f"{stem}.spacy")
        for stem in UD_TEST_FILES
        if (base / "ud" / "test" / f"{stem}.spacy").is_file()
    }
    conll = base / "ner" / "conll2003_test.spacy"
    return parser, score_ner(nlp, conll) if conll.is_file() else None


@dataclass(frozen=True, slots=True, kw_only=True)
class EvalResults:
    """Everything the report shows.

    Attributes:
        date: ISO date of the run.
        model: spaCy pipeline name and version used.
        seeds: Seed-gold score, when run.
        carb: CaRB dev score, when run.
        events: Event scores by gold set name.
        baselines: Majority-class floor by gold set name.
        news: News-gold scores by split (``dev``, ``test``).
        agreement: Agreement of the two annotation passes of the news gold, when asked.
        show_rules: Show the news gold's per-rule table.
        pipelines: Figures of several pipelines side by side (``geokg eval --compare``).
        notes: Free lines shown under the tables.
    """

    date: str
    model: str = ""
    seeds: SeedScore | None = None
    carb: CarbScore | None = None
    events: Mapping[str, EventScore] = field(default_factory=dict)
    baselines: Mapping[str, EventScore] = field(default_factory=dict)
    news: Mapping[str, NewsScore] = field(default_factory=dict)
    agreement: AgreementScore | None = None
    show_rules: bool = False
    pipelines: tuple[PipelineFigures, ...] = ()
    notes: tuple[str, ...] = ()


def run_evaluation(
    *,
    data_dir: str | os.PathLike[str],
    seeds_dir: str | os.PathLike[str],
    seed_gold: str | os.PathLike[str],
    predict_rows: PredictRows | None,
    open_extract: OpenExtract | None,
    model: str = "",
    date: str | None = None,
    nodes: Callable[[list[dict[str, Any]]], list[dict[str, Any]]] | None = None,
    news_gold: str | os.PathLike[str] | None = None,
    splits: Sequence[str] = ("dev",),
    predict_records: PredictRecords | None = None,
    second_pass: str | os.PathLike[str] | None = None,
    show_rules: bool = False,
) -> EvalResults:
    """Score the seed gold, CaRB dev and the event sets.

    Args:
        data_dir: The shared data directory (``../shared/data``).
        seeds_dir: The seed articles (``../shared/seeds``).
        seed_gold: ``eval/gold/seeds_gold.tsv``.
        predict_rows: Pipeline callable for contract rows (module docstring), or ``None``.
        open_extract: Open-IE callable for CaRB, or ``None``.
        model: Model name and version, shown in the report.
        date: ISO date shown in the report (default: today).
        nodes: Builds graph nodes from the seed rows for the duplicate count (default: the
            distinct subject/object actors of the rows).
        news_gold: ``eval/gold/news_gold.jsonl``, scored on each of ``splits`` with
            ``predict_records`` (texts from ``data_dir/news``), or ``None`` to skip it.
        splits: Sides of the news gold to score: ``dev``, ``test`` (only when asked for).
        predict_records: Pipeline callable for corpus records: their ``triples.jsonl`` rows.
        second_pass: The independent second annotation, for the agreement figure.
        show_rules: Show the per-rule table of the news gold.

    Raises:
        InputError: A data directory or gold file is missing.
    """
    data = Path(data_dir)
    if not data.is_dir():
        raise InputError(str(data), "the shared data directory is missing; pass --data-dir")
    seeds_result: SeedScore | None = None
    carb_result: CarbScore | None = None
    events: dict[str, EventScore] = {}
    if predict_rows is not None:
        seed_paths = sorted(Path(seeds_dir).glob("*.txt"))
        if not seed_paths:
            raise InputError(str(seeds_dir), "no seed articles (*.txt) found; pass --seeds-dir")
        texts = [(p.stem, p.read_text(encoding="utf-8"), None) for p in seed_paths]
        by_doc = predict_rows(texts)
        # The mapping key is authoritative: rows are scored under the id we passed in.
        rows = [{**r, "doc_id": doc} for doc in sorted(by_doc) for r in by_doc[doc]]
        seeds_result = score_seeds(
            seed_gold, rows, nodes=nodes(rows) if nodes is not None else None
        )
    if open_extract is not None:
        sentences = (data / "carb" / "dev_sentences.txt").read_text(encoding="utf-8").splitlines()
        sentences = [s for s in sentences if s.strip()]
        carb_result = score_carb(data / "carb" / "dev_gold.tsv", list(open_extract(sentences)))
    sets = load_event_sets(data)
    if predict_rows is not None:
        rows_fn = predict_rows

        def predict(golds: Sequence[EventGold]) -> Mapping[str, list[dict[str, Any]]]:
            return rows_fn([(g.id, g.text, g.date) for g in golds])

        events = {name: score_events(golds, predict) for name, golds in sorted(sets.items())}
    baselines = {
        name: score_events(golds, majority_predictor(golds)) for name, golds in sorted(sets.items())
    }
    news: dict[str, NewsScore] = {}
    agreed: AgreementScore | None = None
    if news_gold is not None:
        gold = read_gold(news_gold)
        if predict_records is not None:
            for split in splits:
                docs = select_split(gold, split)
                records = gold_texts(docs, data / "news")
                rows = predict_records([records[d.doc_id] for d in docs])
                news[split] = score_news(docs, rows, split=split)
        if second_pass is not None:
            agreed = agreement(gold, read_gold(second_pass))
    return EvalResults(
        date=date or _dt.date.today().isoformat(),
        model=model,
        seeds=seeds_result,
        carb=carb_result,
        events=events,
        baselines=baselines,
        news=news,
        agreement=agreed,
        show_rules=show_rules,
    )
