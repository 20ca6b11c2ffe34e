"""Render evaluation results: a Markdown page (``docs/EVALUATION.md``) and a terminal table.

Both are pure functions of :class:`~geokg.evaluation.harness.EvalResults` (and the command
line), so the same results always give the same text.

>>> from geokg.evaluation.harness import EvalResults
>>> print(render_table(EvalResults(date="2025-05-16")))
benchmark  metric  value  target  status
---------  ------  -----  ------  ------
(nothing was run)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from geokg.evaluation.events import EventScore
from geokg.evaluation.harness import EvalResults

__all__ = [
    "CARD_EXAMPLES",
    "RULE_MIN_PRECISION",
    "RULE_MIN_ROWS",
    "TARGETS",
    "Check",
    "card_examples_found",
    "checks",
    "render_markdown",
    "render_table",
]


@dataclass(frozen=True, slots=True)
class Check:
    """One figure against its target.

    Attributes:
        benchmark: Benchmark name.
        metric: Metric name.
        value: The measured value, or ``None`` when it could not be computed.
        target: The target, or ``None`` when the figure is informative only.
        higher_is_better: ``False`` for counts that must stay at or under the target.
    """

    benchmark: str
    metric: str
    value: float | None
    target: float | None
    higher_is_better: bool = True

    @property
    def status(self) -> str:
        """``pass``, ``MISS`` or ``-`` (no target or no value)."""
        if self.target is None or self.value is None:
            return "-"
        ok = self.value >= self.target if self.higher_is_better else self.value <= self.target
        return "pass" if ok else "MISS"


#: ``(benchmark, metric) -> (target, higher_is_better)``, from the issue.
TARGETS: dict[tuple[str, str], tuple[float, bool]] = {
    ("seed gold", "precision"): (0.85, True),
    ("seed gold", "recall"): (0.80, True),
    ("seed gold", "duplicate actor nodes"): (0.0, False),
    ("seed gold", "card examples found"): (2.0, True),
    ("CaRB dev", "F1"): (0.45, True),
    ("PLOVER dev", "event type accuracy"): (0.70, True),
    ("PLOVER dev", "source country accuracy"): (0.75, True),
    ("PLOVER dev", "target country accuracy"): (0.75, True),
    # issue 16, on the news gold's test side with the default pipeline
    ("news gold test", "precision (strict)"): (0.75, True),
    ("news gold test", "precision (lenient)"): (0.85, True),
    ("news gold test", "core recall (strict)"): (0.50, True),
    ("news gold test", "core recall (lenient)"): (0.65, True),
    ("news gold test", "event type accuracy"): (0.75, True),
    ("news gold test", "hedged stored as plain (share of matched rows)"): (0.02, False),
    ("news gold test", "duplicate nodes"): (0.0, False),
    ("news gold test", "merged nodes"): (0.0, False),
}

_EVENT_LABELS = {
    "plover_gsr": "PLOVER dev",
    "cameo_examples": "CAMEO examples dev",
    "petrarch2_gsr": "PETRARCH-2 GSR dev",
    "petrarch_functional": "PETRARCH functional dev",
}


def checks(results: EvalResults) -> list[Check]:
    """Return every headline figure with its target, in report order."""

    def check(bench: str, metric: str, value: float | None) -> Check:
        target = TARGETS.get((bench, metric))
        if target is None:
            return Check(bench, metric, value, None)
        return Check(bench, metric, value, target[0], target[1])

    out: list[Check] = []
    if results.seeds is not None:
        s = results.seeds
        out += [
            check("seed gold", "precision", s.precision),
            check("seed gold", "recall", s.recall),
            check("seed gold", "F1", s.f1),
            check("seed gold", "duplicate actor nodes", float(s.duplicate_actors)),
            check("seed gold", "card examples found", float(card_examples_found(results) or 0)),
        ]
    if results.carb is not None:
        c = results.carb
        out += [
            check("CaRB dev", "F1", c.f1),
            check("CaRB dev", "precision", c.precision),
            check("CaRB dev", "recall", c.recall),
            check("CaRB dev", "AUC", c.auc),
        ]
    for name in sorted(results.events, key=_set_order):
        e = results.events[name]
        bench = _EVENT_LABELS.get(name, name)
        out += [
            check(bench, "event type accuracy", e.plover),
            check(bench, "source country accuracy", e.source),
            check(bench, "target country accuracy", e.target),
        ]
    for split in sorted(results.news, key=_SPLIT_ORDER.index):
        n = results.news[split]
        bench = f"news gold {split}"
        out += [
            check(bench, "precision (lenient)", n.precision_lenient),
            check(bench, "precision (strict)", n.precision_strict),
            check(bench, "core recall (lenient)", n.recall_lenient),
            check(bench, "core recall (strict)", n.recall_strict),
            check(bench, "event type accuracy", n.event_type_accuracy if n.matched else None),
            check(bench, "modality accuracy", n.modality_accuracy if n.matched else None),
            check(bench, "hedged stored as plain (facts)", float(n.hedged_as_plain)),
            check(bench, "hedged stored as plain (share of matched rows)", n.hedged_plain_share),
            check(bench, "duplicate nodes", float(n.duplicate_nodes)),
            check(bench, "merged nodes", float(n.merged_nodes)),
        ]
    if results.agreement is not None:
        a = results.agreement
        out += [
            check("news gold agreement", "fact F1 (lenient)", a.f1()),
            check("news gold agreement", "fact F1 (strict)", a.f1(strict=True)),
        ]
    return out


def render_table(results: EvalResults) -> str:
    """Return the headline figures as an aligned plain-text table for the terminal."""
    rows = [
        (c.benchmark, c.metric, _fmt(c.value, c.metric), _target(c), c.status)
        for c in checks(results)
    ]
    header = ("benchmark", "metric", "value", "target", "status")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(cell.ljust(w) for cell, w in zip(cells, widths, strict=True)).rstrip()

    lines = [line(header), line(["-" * w for w in widths])]
    lines += [line(r) for r in rows] or ["(nothing was run)"]
    return "\n".join(lines)


def render_markdown(results: EvalResults, command: str) -> str:
    """Return ``docs/EVALUATION.md``: figures, targets, pass/miss marks, command, date, model."""
    out: list[str] = [
        "# Evaluation",
        "",
        f"Produced by `{command}` on {results.date} with model `{results.model or 'unknown'}`.",
        (
            "Figures are on development splits or samples unless a row says `test`: the news "
            "gold's test side is shown for reporting only, no rule was written while reading "
            "its errors, and none are listed here. "
            if "test" in results.news
            else "All figures are on development splits or samples; the test sides are held "
            "out and nothing was tuned on them. "
        )
        + "The extraction rules were written while reading errors on the development "
        "samples, so expect lower figures on unseen text. Scorers: `geokg.evaluation` "
        "(definitions in each module's docstring).",
        "",
        "## Targets",
        "",
    ]
    out += _md_table(
        ("benchmark", "metric", "value", "target", "status"),
        [
            (c.benchmark, c.metric, _fmt(c.value, c.metric), _target(c), c.status)
            for c in checks(results)
            if c.target is not None
        ],
    )
    if results.seeds is not None:
        s = results.seeds
        out += ["", "## Seed gold (`eval/gold/seeds_gold.tsv`)", ""]
        out += _md_table(
            (
                "precision",
                "recall",
                "F1",
                "TP",
                "FP",
                "FN",
                "predictions",
                "duplicates",
                "modality",
            ),
            [
                (
                    _f(s.precision),
                    _f(s.recall),
                    _f(s.f1),
                    str(s.tp),
                    str(s.fp),
                    str(s.fn),
                    str(s.predictions),
                    str(s.duplicate_actors),
                    _f(s.modality_agreement),
                )
            ],
        )
        missed = s.details.get("missed", [])
        if missed:
            out += ["", "Missed gold relations (gold line: subject, relation, object):", ""]
            out += [f"- line {m[0]} ({m[1]}): {m[2]} / {m[3]} / {m[4]}" for m in missed]
        wrong = s.details.get("false_positives", [])
        if wrong:
            out += [
                "",
                "Predictions matching no gold relation (document: subject, relation, object):",
                "",
            ]
            out += [f"- {k[0]}: {k[1]} / {k[2]} / {k[3]}" for k in wrong]
        dups = s.details.get("duplicates", [])
        if dups:
            out += ["", "Duplicate actor nodes:", ""]
            out += [f"- {key}: {', '.join(ids)}" for key, ids in dups]
    if results.carb is not None:
        c = results.carb
        out += ["", "## CaRB dev (open extraction, default CaRB scorer)", ""]
        out += _md_table(
            ("system", "AUC", "precision", "recall", "F1", "threshold", "sentences", "predictions"),
            [
                (
                    "geokg",
                    _f(c.auc),
                    _f(c.precision),
                    _f(c.recall),
                    _f(c.f1),
                    _f(c.threshold),
                    str(c.sentences),
                    str(c.predictions),
                ),
                (
                    "OpenIE-5 (reference, same scorer)",
                    "0.240",
                    "0.526",
                    "0.406",
                    "0.458",
                    "",
                    "",
                    "",
                ),
            ],
        )
    if results.events or results.baselines:
        out += ["", "## Event coding (accuracy of the one chosen row per record)", ""]
        rows: list[tuple[str, ...]] = []
        for label, scores in (("geokg", results.events), ("majority class", results.baselines)):
            for name in sorted(scores, key=_set_order):
                rows.append(_event_row(_EVENT_LABELS.get(name, name), label, scores[name]))
        out += _md_table(
            (
                "gold set",
                "system",
                "records",
                "coverage",
                "PLOVER",
                "CAMEO root",
                "source",
                "target",
                "joint",
                "no-event false alarms",
            ),
            rows,
        )
        out += [
            "",
            "The majority-class floor predicts the most frequent value of each field of the same "
            "set (so it has seen the labels it is scored on).",
        ]
    out += _news_markdown(results)
    out += _pipelines_markdown(results)
    if results.notes:
        out += ["", "## Notes", ""]
        out += [f"- {n}" for n in results.notes]
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- news gold

_SPLIT_ORDER = ["dev", "test", "all"]
#: Rows of a rule on the dev side from which its precision is judged (issue 15).
RULE_MIN_ROWS = 5
#: Strict precision under which a rule that fires that often is fixed or removed.
RULE_MIN_PRECISION = 0.5
_MAX_LISTED = 60


def _news_markdown(results: EvalResults) -> list[str]:
    out: list[str] = []
    if results.news:
        out += ["", "## News gold (`eval/gold/news_gold.jsonl`, docs/ANNOTATION.md)", ""]
        rows = []
        for split in sorted(results.news, key=_SPLIT_ORDER.index):
            n = results.news[split]
            rows.append(
                (
                    split,
                    str(n.documents),
                    str(n.rows),
                    f"{n.precision_lenient:.3f} ({n.rows_lenient}/{n.rows})",
                    f"{n.precision_strict:.3f} ({n.rows_strict}/{n.rows})",
                    f"{n.recall_lenient:.3f} ({n.core_lenient}/{n.core})",
                    f"{n.recall_strict:.3f} ({n.core_strict}/{n.core})",
                    f"{n.facts_lenient}/{n.facts}",
                    f"{n.event_type_accuracy:.3f} ({n.event_type_correct}/{n.matched})",
                    f"{n.modality_accuracy:.3f} ({n.modality_correct}/{n.matched})",
                    f"{n.hedged_as_plain}/{n.hedged_matched}",
                    f"{n.hedged_plain_share:.3f} ({n.hedged_plain_rows}/{n.rows_strict})",
                    str(n.duplicate_nodes),
                    str(n.merged_nodes),
                )
            )
        out += _md_table(
            (
                "split",
                "docs",
                "rows",
                "precision lenient",
                "precision strict",
                "core recall lenient",
                "core recall strict",
                "all facts found",
                "event type",
                "modality",
                "hedged as plain",
                "hedged plain rows",
                "duplicate nodes",
                "merged nodes",
            ),
            rows,
        )
        out += [
            "",
            "Lenient: the row's subject and object are the fact's actors (either way round for "
            "a symmetric fact). Strict: its PLOVER type or relation also fits. Event type and "
            "modality are judged on each matched fact's most confident row. "
            "`geokg.evaluation.gold` defines every figure.",
        ]
        if results.show_rules:
            for split in sorted(results.news, key=_SPLIT_ORDER.index):
                out += ["", f"### Rules on the {split} side", ""]
                out += _md_table(
                    ("rule", "rows", "precision strict", "precision lenient", "flag"),
                    [
                        (
                            r.rule,
                            str(r.rows),
                            f"{r.precision:.3f}",
                            f"{r.lenient_precision:.3f}",
                            "fix or remove"
                            if split == "dev"
                            and r.rows >= RULE_MIN_ROWS
                            and r.precision < RULE_MIN_PRECISION
                            else "",
                        )
                        for r in results.news[split].by_rule
                    ],
                )
        out += _calibration_markdown(results)
        dev = results.news.get("dev")
        if dev is not None:
            missed = dev.details.get("missed", [])
            out += ["", f"Dev core facts missed ({len(missed)}; first {_MAX_LISTED}):", ""]
            out += [
                f"- {doc}: {'/'.join(f.subject)} {f.relations[0]} {'/'.join(f.object)}"
                f" ({f.modality})"
                for doc, f in missed[:_MAX_LISTED]
            ]
            wrong = dev.details.get("false_positives", [])
            out += ["", f"Dev rows matching no fact ({len(wrong)}; first {_MAX_LISTED}):", ""]
            out += [
                f"- {r['doc_id']}: {r['subject']['label']} / {r['relation']} / "
                f"{r['object']['label']} ({r.get('rule') or '-'})"
                for r in wrong[:_MAX_LISTED]
            ]
            out += ["", "Errors are listed for the dev side only; the test side is for reporting."]
    if results.agreement is not None:
        a = results.agreement
        out += ["", "## News gold agreement (two independent passes)", ""]
        out += _md_table(
            (
                "documents",
                "facts pass 1",
                "facts pass 2",
                "F1 lenient",
                "F1 strict",
                "same modality (of strict pairs)",
            ),
            [
                (
                    str(a.documents),
                    str(a.facts_a),
                    str(a.facts_b),
                    f"{a.f1():.3f} ({a.lenient} pairs)",
                    f"{a.f1(strict=True):.3f} ({a.strict} pairs)",
                    f"{a.modality}/{a.strict}",
                )
            ],
        )
        out += [
            "",
            "Facts are paired one to one per document; lenient pairs have the same actors, "
            "strict ones also a shared PLOVER type or wording (`geokg.evaluation.gold`).",
        ]
    return out


def _calibration_markdown(results: EvalResults) -> list[str]:
    scores = [
        (split, c)
        for split in sorted(results.news, key=_SPLIT_ORDER.index)
        if (c := results.news[split].calibration) is not None
    ]
    if not scores:
        return []
    out = ["", "### Calibrated confidence (`geokg/data/confidence.json`)", ""]
    rows = []
    for split, c in scores:
        rows += [
            (
                split,
                f"{b.low:.1f}–{b.high:.1f}",
                str(b.rows),
                f"{b.mean_predicted:.3f}" if b.rows else "–",
                f"{b.observed:.3f}" if b.rows else "–",
            )
            for b in c.reliability.bins
        ]
    out += _md_table(("split", "confidence", "rows", "mean predicted", "observed strict"), rows)
    summary = []
    for split, c in scores:
        above = (
            (
                f"{c.threshold:.4f}",
                f"{c.above_precision:.3f} ({c.above_strict}/{c.above_rows})",
                f"{c.above_recall:.3f} ({c.above_core_strict}/{c.core})",
            )
            if c.threshold is not None
            else ("–", "–", "–")
        )
        prior = f"{c.prior.brier:.4f} / {c.prior.ece:.4f}" if c.prior is not None else "–"
        summary.append(
            (
                split,
                str(c.reliability.rows),
                f"{c.reliability.brier:.4f}",
                f"{c.reliability.ece:.4f}",
                prior,
                *above,
            )
        )
    out += [""]
    out += _md_table(
        (
            "split",
            "rows",
            "Brier",
            "ECE",
            "Brier / ECE of the extractor's literal",
            "default --min-confidence",
            "precision strict above it",
            "core recall strict above it",
        ),
        summary,
    )
    out += [
        "",
        "Rows with an actor on each side, binned by their calibrated `confidence`; observed: "
        "the share matching a fact strictly. ECE: the rows-weighted mean gap between mean "
        "predicted and observed over the bins. The model and its threshold are fitted on the "
        "dev side only (`scripts/fit_confidence.py`), so the dev figures are in-sample.",
    ]
    return out


# --------------------------------------------------------------------------- pipelines

_UD_LABELS = {
    "pud_test": "UD PUD test (news, Wikipedia)",
    "gum_test_news": "GUM test, news documents",
    "gum_test": "GUM test",
    "ewt_test": "EWT test",
    "gentle_test": "GENTLE (out of domain)",
}
#: The two card examples (seed gold subject, relation) that the default pipeline must find.
CARD_EXAMPLES: tuple[tuple[str, str], ...] = (
    ("Keir Starmer", "accuse"),
    ("Radoslaw Sikorski", "close"),
)


def card_examples_found(results: EvalResults) -> int | None:
    """How many of :data:`CARD_EXAMPLES` the seed gold run found (``None``: not run)."""
    if results.seeds is None:
        return None
    missed = results.seeds.details.get("missed", [])
    return sum(not any(m[2] == subj and m[3] == rel for m in missed) for subj, rel in CARD_EXAMPLES)


def _pipelines_markdown(results: EvalResults) -> list[str]:
    figures = results.pipelines
    if not figures:
        return []
    out = ["", "## Pipelines side by side", ""]
    rows: list[list[str]] = []

    def row(label: str, cells: list[str]) -> None:
        rows.append([label, *cells])

    for stem, label in _UD_LABELS.items():
        if all(stem in f.parser for f in figures):
            row(
                f"{label}: UAS / LAS",
                [f"{f.parser[stem].uas:.3f} / {f.parser[stem].las:.3f}" for f in figures],
            )
    ners = [f.ner for f in figures if f.ner is not None]
    if len(ners) == len(figures):
        row(
            "CoNLL-2003 test NER: P / R / F",
            [f"{n.precision:.3f} / {n.recall:.3f} / {n.f:.3f}" for n in ners],
        )
        for label in ("PER", "LOC", "ORG", "MISC"):
            row(
                f"CoNLL-2003 test NER F, {label}",
                [f"{n.per_label[label].f:.3f}" if label in n.per_label else "n/a" for n in ners],
            )
    for split in ("dev", "test"):
        if not all(split in f.results.news for f in figures):
            continue
        news = [f.results.news[split] for f in figures]
        row(f"news gold {split}: rows", [str(n.rows) for n in news])
        row(
            f"news gold {split}: precision lenient / strict",
            [f"{n.precision_lenient:.3f} / {n.precision_strict:.3f}" for n in news],
        )
        row(
            f"news gold {split}: core recall lenient / strict",
            [f"{n.recall_lenient:.3f} / {n.recall_strict:.3f}" for n in news],
        )
        row(
            f"news gold {split}: event type / modality (matched facts)",
            [
                f"{n.event_type_accuracy:.3f} / {n.modality_accuracy:.3f} ({n.matched})"
                for n in news
            ],
        )
        row(
            f"news gold {split}: hedged as plain, duplicate, merged nodes",
            [f"{n.hedged_as_plain} / {n.duplicate_nodes} / {n.merged_nodes}" for n in news],
        )
    if all(f.results.seeds is not None for f in figures):
        row(
            "seed gold: precision / recall",
            [
                f"{f.results.seeds.precision:.3f} / {f.results.seeds.recall:.3f}"
                for f in figures
                if f.results.seeds is not None
            ],
        )
        row(
            "seed card examples found",
            [f"{card_examples_found(f.results)} of {len(CARD_EXAMPLES)}" for f in figures],
        )
    if all("plover_gsr" in f.results.events for f in figures):
        row(
            "PLOVER dev: event type / source / target",
            [
                "/".join(
                    _f(x)
                    for x in (
                        f.results.events["plover_gsr"].plover,
                        f.results.events["plover_gsr"].source,
                        f.results.events["plover_gsr"].target,
                    )
                )
                for f in figures
            ],
        )
    if all(f.results.carb is not None for f in figures):
        row("CaRB dev F1", [_f(f.results.carb.f1) for f in figures if f.results.carb])
    out += _md_table(("measure", *(f"`{f.model}`" for f in figures)), rows)
    out += [
        "",
        "UAS/LAS on the gold tokenisation, punctuation excluded, both trees brought to one "
        "coarse UD label set; across label schemes LAS is approximate "
        "(`geokg.evaluation.parsers`). NER maps OntoNotes labels to CoNLL's four.",
    ]
    return out


# --------------------------------------------------------------------------- helpers


def _set_order(name: str) -> tuple[int, str]:
    order = list(_EVENT_LABELS)
    return (order.index(name) if name in order else len(order), name)


def _f(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _fmt(value: float | None, metric: str) -> str:
    if value is None:
        return "n/a"
    counted = ("nodes", "(facts)", "found")
    return str(int(value)) if any(w in metric for w in counted) else f"{value:.3f}"


def _target(c: Check) -> str:
    if c.target is None:
        return ""
    sign = ">=" if c.higher_is_better else "<="
    value = str(int(c.target)) if "nodes" in c.metric or "found" in c.metric else f"{c.target:.2f}"
    return f"{sign} {value}"


def _event_row(bench: str, system: str, e: EventScore) -> tuple[str, ...]:
    def cell(key: str, value: float | None) -> str:
        hit, den = e.counts.get(key, (0, 0))
        return "n/a" if value is None else f"{value:.3f} ({hit}/{den})"

    return (
        bench,
        system,
        str(e.records),
        _f(e.coverage),
        cell("plover", e.plover),
        cell("cameo_root", e.cameo_root),
        cell("source", e.source),
        cell("target", e.target),
        cell("joint", e.joint),
        f"{e.false_alarms}/{e.no_event}",
    )


def _md_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    def esc(cell: str) -> str:
        return cell.replace("|", "\\|")

    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join("---" for _ in header) + " |"]
    lines += ["| " + " | ".join(esc(c) for c in r) + " |" for r in rows]
    return lines
