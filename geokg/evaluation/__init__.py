"""Evaluation harness: CaRB open-IE scoring, the seed and news golds, and PLOVER/CAMEO/PETRARCH
event sets; parser and NER figures for comparing pipelines (:mod:`geokg.evaluation.parsers`).

Scorers take plain data (contract rows, :class:`CarbTuple`), never spaCy objects, so they run
without a model. :func:`run_evaluation` drives them with the pipeline's callables and
:func:`render_markdown` / :func:`render_table` present the results.
"""

from __future__ import annotations

from geokg.evaluation.carb import CarbScore, CarbTuple, read_openie5, read_tabbed, score_carb
from geokg.evaluation.events import (
    EventCoding,
    EventGold,
    EventScore,
    load_event_sets,
    majority_predictor,
    score_events,
)
from geokg.evaluation.gold import NewsScore, agreement, read_gold, score_news
from geokg.evaluation.harness import EvalResults, OpenExtract, PredictRows, run_evaluation
from geokg.evaluation.report import TARGETS, render_markdown, render_table
from geokg.evaluation.seeds import SeedScore, count_duplicate_actors, score_seeds

__all__ = [
    "TARGETS",
    "CarbScore",
    "CarbTuple",
    "EvalResults",
    "EventCoding",
    "EventGold",
    "EventScore",
    "NewsScore",
    "OpenExtract",
    "PredictRows",
    "SeedScore",
    "agreement",
    "count_duplicate_actors",
    "load_event_sets",
    "majority_predictor",
    "read_gold",
    "read_openie5",
    "read_tabbed",
    "render_markdown",
    "render_table",
    "run_evaluation",
    "score_carb",
    "score_events",
    "score_news",
    "score_seeds",
]
