"""The pipeline side of the evaluation harness: plain callables over a loaded spaCy pipeline."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geokg.evaluation.carb import CarbTuple
from geokg.extractors import DEFAULT_EXTRACTOR
from geokg.graph.assemble import merge_graphs
from geokg.ingest import iter_documents
from geokg.model import Document
from geokg.pipeline import BuildOptions, build_graph

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = ["open_extract_fn", "predict_records_fn", "predict_rows_fn"]

Rows = dict[str, list[dict[str, Any]]]


def predict_rows_fn(
    nlp: Language, *, extractor: str = DEFAULT_EXTRACTOR, event_typer: str = "dictionary"
) -> tuple[
    Callable[[Sequence[tuple[str, str, str | None]]], Rows],
    Callable[[list[dict[str, Any]]], list[dict[str, Any]]],
]:
    """``predict_rows`` for the harness, and a ``nodes`` callable giving the seed graph's nodes.

    Articles (several lines) go through ingest, like ``geokg build``, so web debris is removed;
    single event sentences become documents directly. ``event_typer`` is
    :attr:`~geokg.pipeline.BuildOptions.event_typer`.
    """
    last_nodes: list[dict[str, Any]] = []

    def predict(texts: Sequence[tuple[str, str, str | None]]) -> Rows:
        docs: list[Document] = []
        with tempfile.TemporaryDirectory(prefix="geokg-eval-") as tmp:
            for doc_id, text, date in texts:
                if "\n" in text.strip():
                    path = Path(tmp) / f"{doc_id}.txt"
                    path.write_text(text, encoding="utf-8")
                    docs.extend(iter_documents([path]))
                else:
                    docs.append(Document(id=doc_id, text=text, published=date))
        out: Rows = {doc_id: [] for doc_id, _, _ in texts}
        rows: list[dict[str, Any]] = []
        graph = merge_graphs(
            build_graph(
                docs,
                nlp=nlp,
                options=BuildOptions(extractor=extractor, event_typer=event_typer),
                on_rows=rows.extend,
            )
        )
        for row in rows:
            out.setdefault(row["doc_id"], []).append(row)
        last_nodes[:] = [{"id": n, **d} for n, d in graph.nodes(data=True)]
        return out

    def nodes(_rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return list(last_nodes)

    return predict, nodes


def predict_records_fn(
    nlp: Language, *, extractor: str = DEFAULT_EXTRACTOR, event_typer: str = "dictionary"
) -> Callable[[Sequence[Mapping[str, Any]]], list[dict[str, Any]]]:
    """``triples.jsonl`` rows for corpus records (``id``, ``title``, ``date``, ``text``).

    The records go through a JSON Lines file and ingest, exactly as ``geokg build news.jsonl``
    reads them, so the news gold is scored on what a user gets.
    """

    def predict(records: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        with tempfile.TemporaryDirectory(prefix="geokg-eval-") as tmp:
            path = Path(tmp) / "gold.jsonl"
            path.write_text(
                "".join(
                    json.dumps({k: r.get(k) for k in ("id", "title", "date", "text")}) + "\n"
                    for r in records
                ),
                encoding="utf-8",
            )
            build_graph(
                iter_documents([path]),
                nlp=nlp,
                options=BuildOptions(extractor=extractor, event_typer=event_typer),
                on_rows=rows.extend,
            )
        return rows

    return predict


def open_extract_fn(nlp: Language) -> Callable[[Sequence[str]], Iterable[CarbTuple]]:
    """``open_extract`` for the harness: the open extractor's tuples as CaRB tuples."""
    from geokg.extractors.openie import OpenExtractor

    def run(sentences: Sequence[str]) -> Iterable[CarbTuple]:
        for tuples in OpenExtractor().extract_texts(nlp, sentences):
            for t in tuples:
                yield CarbTuple(
                    sentence=t.sentence, relation=t.relation, args=t.args, confidence=t.confidence
                )

    return run
