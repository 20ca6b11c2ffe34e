"""Every relation gets a date: the text's own when it gives one, else the article's."""

from __future__ import annotations

import json
from typing import Any

import pytest

from geokg.graph.analytics import timeline
from geokg.graph.policy import Resolved, _dated, facts, relation_rows
from geokg.model import Actor, Document, Mention, Modality, Relation

MARCH = "2025-03-10"  # a Monday


def _relation(time_text: str | None, modality: Modality = "asserted") -> Relation:
    return Relation(
        id="r-1",
        subject=Mention(text="Britain", name="Britain", start=0, end=7, label="GPE"),
        relation="meet",
        object=Mention(text="Russia", name="Russia", start=12, end=18, label="GPE"),
        modality=modality,
        doc_id="d1",
        sentence="Britain met Russia.",
        span=(0, 19),
        time_text=time_text,
    )


def _doc(published: str | None) -> Document:
    return Document(id="d1", text="Britain met Russia.", published=published)


@pytest.mark.parametrize(
    ("time_text", "modality", "published", "date", "source"),
    [
        ("on October 7th", "asserted", MARCH, "2024-10-07", "text"),  # the previous October
        ("on October 7th", "intended", MARCH, "2025-10-07", "text"),  # "will meet": forward
        ("on Sunday", "reported", MARCH, "2025-03-09", "text"),
        ("tomorrow", "asserted", MARCH, "2025-03-11", "text"),
        ("on 7 October 2023", "asserted", None, "2023-10-07", "text"),
        (None, "asserted", MARCH, MARCH, "article"),
        (None, "asserted", "2025-03-10T09:30:00Z", MARCH, "article"),
        ("soon", "asserted", MARCH, MARCH, "article"),  # not understood: the article's date
        ("on Sunday", "asserted", None, None, None),  # relative with no anchor
        (None, "asserted", None, None, None),
    ],
)
def test_dated_takes_the_text_date_else_the_article_date(
    time_text: str | None,
    modality: Modality,
    published: str | None,
    date: str | None,
    source: str | None,
) -> None:
    rel = _dated(_relation(time_text, modality), _doc(published), None)
    assert (rel.date, rel.date_source) == (date, source)


def _resolved(rel: Relation) -> Resolved:
    gbr = Actor(id="GBR", label="United Kingdom", type="country", country="GBR")
    rus = Actor(id="RUS", label="Russia", type="country", country="RUS")
    return Resolved(rel, gbr, rus, None)


def test_rows_and_edge_provenance_carry_the_date_source() -> None:
    by_text = _resolved(_dated(_relation("yesterday"), _doc(MARCH), None))
    by_article = _resolved(_dated(_relation(None), _doc(MARCH), None))
    rows = list(relation_rows([by_text, by_article]))
    assert [(r.date, r.date_source) for r in rows] == [
        ("2025-03-09", "text"),
        (MARCH, "article"),
    ]
    provs = [f.provenance for f in facts([by_text, by_article])]
    assert [(p.date, p.date_source) for p in provs] == [
        ("2025-03-09", "text"),
        (MARCH, "article"),
    ]


def test_every_row_of_the_sample_build_is_dated(sample_build: Any) -> None:
    out = sample_build.out_dir
    rows = [json.loads(line) for line in (out / "triples.jsonl").read_text().splitlines()]
    published = {k: v["published"] for k, v in sample_build.graph.graph["documents"].items()}
    assert rows
    assert all(published.values())  # every sample article has a date
    for r in rows:
        assert r["date"], r
        assert r["date_source"] in ("text", "article")
        if r["date_source"] == "article":
            assert r["date"] == published[r["doc_id"]][:10]
        else:
            assert r["time_text"]
            assert r["date"][:10] <= published[r["doc_id"]][:10] or r["modality"] == "intended"
    assert {r["date_source"] for r in rows} == {"text", "article"}


def test_stats_timeline_and_page_filter_read_the_same_dates(sample_build: Any) -> None:
    g = sample_build.graph
    edge_days = {d[:10] for _, _, data in g.edges(data=True) for d in data["dates"]}
    days = timeline(g)
    assert all(d.date is not None for d in days)  # nothing left undated
    assert {d.date for d in days} == edge_days
    page = (sample_build.out_dir / "graph.html").read_text()
    assert all(day in page for day in edge_days)
