"""geokg.nlp_fast: the table-driven attribute ruler, the caching lemmatizer and numpy's matrix
products change nothing.

Each component is compared with the spaCy component it replaces, token attribute by token
attribute: on hand-made Docs (no model needed), on hand text that exercises the pipeline's
odd rules, and on real articles (the samples shipped with geokg, the seed articles, White House
documents from ../shared/data/news when present). The whole pipeline as geokg loads it (numpy's
products on one thread, as the build parses) is compared with spaCy's own, heads included.
"""

from __future__ import annotations

import gzip
import itertools
import json
import pickle
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from spacy.lang.en import English
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

from geokg.extractors._deps import PARSER_FOLD
from geokg.ingest import sample_inputs
from geokg.nlp_fast import (
    AttributeTable,
    UnsupportedRules,
    _hugepage_switch,
    numpy_for_parsing,
    one_blas_thread,
    speed_up,
)
from geokg.parse import _clear_pipe_caches, _paragraphs

NEWS = Path(__file__).resolve().parents[2] / "shared" / "data" / "news"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"

#: Rules in the shape of en_core_web_sm's: a tag map, word rules that overwrite it, a rule on
#: the dependency label, a two-word rule, and a regex.
RULES: list[dict[str, Any]] = [
    {"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN", "MORPH": "Number=Sing"}},
    {"patterns": [[{"TAG": "VBZ"}]], "attrs": {"POS": "VERB", "MORPH": "Number=Sing|Person=3"}},
    {"patterns": [[{"TAG": "DT"}]], "attrs": {"POS": "DET"}},
    {"patterns": [[{"TAG": "TO"}]], "attrs": {"POS": "PART"}},
    {"patterns": [[{"TAG": "VB"}]], "attrs": {"POS": "VERB", "MORPH": "VerbForm=Inf"}},
    {"patterns": [[{"TAG": "NN", "LOWER": "nothing"}]], "attrs": {"POS": "PRON"}},
    {"patterns": [[{"TAG": "VBZ", "LOWER": {"IN": ["is", "'s"]}}]], "attrs": {"LEMMA": "be"}},
    {"patterns": [[{"TAG": {"NOT_IN": ["TO", ""]}, "DEP": "aux"}]], "attrs": {"POS": "AUX"}},
    {"patterns": [[{"LOWER": "gon"}, {"LOWER": "na"}]], "attrs": {"LEMMA": "to"}, "index": 1},
    {"patterns": [[{"DEP": "expl"}, {"LOWER": "is"}]], "attrs": {"POS": "VERB"}, "index": 1},
    {"patterns": [[{"LOWER": {"REGEX": "^n[ou]thin'$"}}]], "attrs": {"LEMMA": "nothing"}},
    {"patterns": [[{"IS_SPACE": True}]], "attrs": {"TAG": "_SP", "POS": "SPACE"}},
]


def _doc(vocab: Any, rows: list[tuple[str, str, str]]) -> Doc:
    words = [w for w, _, _ in rows]
    return Doc(
        vocab,
        words=words,
        tags=[t for _, t, _ in rows],
        deps=[d for _, _, d in rows],
        heads=[0] * len(words),
    )


def _attrs(doc: Doc) -> list[tuple[str, ...]]:
    return [
        (t.text, t.pos_, t.tag_, t.dep_, t.head.i, t.lemma_, str(t.morph), t.ent_iob_, t.ent_type_)
        for t in doc
    ]


HAND_ROWS = [
    ("There", "EX", "expl"),
    ("is", "VBZ", "ROOT"),
    ("nothing", "NN", "attr"),
    ("gon", "VBG", "aux"),
    ("na", "TO", "aux"),
    ("change", "VB", "xcomp"),
    ("nothin'", "NN", "dobj"),
    ("  ", "_SP", "dep"),
    ("'s", "VBZ", "aux"),
    ("the", "DT", "det"),
    ("plan", "NN", "nsubj"),
]


def test_the_table_sets_what_the_ruler_sets_on_hand_made_docs() -> None:
    nlp = English()
    ruler = AttributeRuler(nlp.vocab)
    ruler.add_patterns(RULES)  # type: ignore[arg-type]
    table = AttributeTable.from_ruler(ruler)
    for rows in (HAND_ROWS, HAND_ROWS[::-1], HAND_ROWS[3:6] * 3, HAND_ROWS[:1], []):
        by_ruler, by_table = ruler(_doc(nlp.vocab, rows)), table(_doc(nlp.vocab, rows))
        assert _attrs(by_table) == _attrs(by_ruler)
    # A spawned n_process worker gets the table pickled: it compiles the same rules again.
    copy = pickle.loads(pickle.dumps(table))
    assert _attrs(copy(_doc(nlp.vocab, HAND_ROWS))) == _attrs(ruler(_doc(nlp.vocab, HAND_ROWS)))
    doc = table(_doc(nlp.vocab, HAND_ROWS))
    # The rules really ran: a later rule overwrote the tag map, the two-word rules hit their
    # second word, the regex and the space rule matched.
    got = {t.text: (t.pos_, t.lemma_) for t in doc}
    assert got["nothing"] == ("PRON", "")
    assert got["na"] == ("PART", "to")  # tagged TO: the aux rule leaves it
    assert got["is"] == ("VERB", "be")
    assert got["nothin'"] == ("NOUN", "nothing")
    assert got["  "] == ("SPACE", "")


@pytest.mark.parametrize(
    "pattern",
    [
        [{"ORTH": "US", "TAG": "NNP"}],  # an attribute the table does not key on
        [{"TAG": "NN", "OP": "+"}],  # an operator
        [{"LOWER": {"REGEX": "^x*$"}}],  # a regex that matches the empty word
    ],
)
def test_a_ruler_outside_the_tables_shape_is_kept(pattern: list[dict[str, Any]]) -> None:
    nlp = English()
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add_patterns([*RULES, {"patterns": [pattern], "attrs": {"POS": "PROPN"}}])  # type: ignore[attr-defined]
    with pytest.raises(UnsupportedRules):
        AttributeTable.from_ruler(ruler)
    assert speed_up(nlp) == []
    assert type(nlp.get_pipe("attribute_ruler")).__name__ == "AttributeRuler"


@pytest.fixture(scope="module")
def pipelines(model_name: str) -> tuple[Any, Any]:
    """spaCy's pipeline as shipped, and the same pipeline as geokg loads it."""
    from geokg.nlp import load_model
    from geokg.pipeline import UNUSED_COMPONENTS

    stock = load_model(model_name, exclude=UNUSED_COMPONENTS, cached=False, fast=False)
    fast = load_model(model_name, exclude=UNUSED_COMPONENTS, cached=False)
    return stock, fast


def _same(pipelines: tuple[Any, Any], texts: Iterable[str]) -> int:
    stock, fast = pipelines
    texts = list(texts)
    with one_blas_thread():
        fasts = list(fast.pipe(texts))
    n = 0
    for a, b in zip(stock.pipe(texts), fasts, strict=True):
        assert _attrs(b) == _attrs(a), a.text[:80]
        n += len(a)
    return n


@pytest.mark.model
def test_the_default_pipeline_gets_both_swaps(pipelines: tuple[Any, Any]) -> None:
    stock, fast = pipelines
    if "attribute_ruler" not in stock.pipe_names:
        pytest.skip("this pipeline has no attribute ruler")
    assert fast.pipe_names == stock.pipe_names
    kinds = {name: type(p).__name__ for name, p in fast.pipeline}
    assert kinds["attribute_ruler"] == "AttributeTable"
    assert kinds["lemmatizer"] == "CachedLemmatizer"


def _blis_layers(nlp: Any) -> dict[str, int]:
    from thinc.api import NumpyOps

    counts: dict[str, int] = {}
    for name, proc in nlp.pipeline:
        model = getattr(proc, "model", None)
        if model is not None and hasattr(model, "walk"):
            counts[name] = sum(type(n.ops) is NumpyOps and n.ops.use_blis for n in model.walk())
    return counts


@pytest.mark.model
def test_every_neural_layer_multiplies_with_numpy(
    pipelines: tuple[Any, Any], model_name: str
) -> None:
    from geokg.nlp import load_model
    from geokg.pipeline import UNUSED_COMPONENTS

    stock, fast = pipelines
    before = _blis_layers(stock)
    assert before["ner"] > 0  # spaCy's own multiplies with blis
    assert before["parser"] > 0
    assert all(count == 0 for count in _blis_layers(fast).values())
    own = load_model(model_name, exclude=UNUSED_COMPONENTS, cached=False, fast=False)
    told = speed_up(own)
    assert [n for n in told if not n.endswith(":matmul")] == ["attribute_ruler", "lemmatizer"]
    assert {f"{n}:matmul" for n, count in before.items() if count} == {
        n for n in told if n.endswith(":matmul")
    }
    assert _blis_layers(own) == dict.fromkeys(before, 0)


def _blas_threads() -> list[int]:
    from threadpoolctl import threadpool_info

    return [int(i["num_threads"]) for i in threadpool_info() if i.get("user_api") == "blas"]


def test_one_blas_thread_limits_numpy_and_restores_it() -> None:
    import numpy
    from threadpoolctl import threadpool_limits

    numpy.ones((2, 2)) @ numpy.ones((2, 2))  # OpenBLAS is loaded with numpy
    assert _blas_threads(), "numpy's BLAS is not visible to threadpoolctl"
    with threadpool_limits(limits=2, user_api="blas"):  # more than one, even on one core
        before = _blas_threads()
        assert set(before) == {2}
        with one_blas_thread():
            assert _blas_threads() == [1] * len(before)
        assert _blas_threads() == before


def test_numpy_for_parsing_takes_arrays_off_huge_pages_and_restores_both_settings() -> None:
    import numpy
    from threadpoolctl import threadpool_limits

    switch = _hugepage_switch()
    assert switch is not None, "this NumPy has no huge page switch"
    numpy.ones((2, 2)) @ numpy.ones((2, 2))
    for was in (True, False):
        switch(was)
        with threadpool_limits(limits=2, user_api="blas"):
            before = _blas_threads()
            with numpy_for_parsing():
                assert _blas_threads() == [1] * len(before)
                assert switch(False) is False  # off inside (the call reads and keeps it)
            assert _blas_threads() == before
        assert switch(True) is was  # as it was before the block
    with pytest.raises(RuntimeError), numpy_for_parsing():
        raise RuntimeError("the block fails")
    assert switch(True) is True  # restored after a failure too


HAND_TEXT = [
    "I'm gonna go, y'all. Let's see: ain't nothin' wrong, c'mon, we gotta win 'em.",
    "There is a   problem.  There were two.\n\nHe said I'd do it, but I didn't; it's done.",
    "Who's that? That is what they want. Those were the days. Something happened to anyone.",
    "Somethin' ol' 'nuff doin' goin' — it got better and gets worse. Wo n't, ca n't, sha n't.",
    "Has he been being silly? Do it! We ourselves, they themselves, you yourself.",
    "  \t ",
    "",
]


@pytest.mark.model
def test_hand_text_gets_the_same_attributes(pipelines: tuple[Any, Any]) -> None:
    assert _same(pipelines, HAND_TEXT) > 80


def _paragraph_texts(texts: Iterable[str]) -> list[str]:
    return [p.translate(PARSER_FOLD) for text in texts for _, p in _paragraphs(text)]


@pytest.mark.model
@pytest.mark.slow
def test_the_sample_articles_get_the_same_attributes(pipelines: tuple[Any, Any]) -> None:
    texts = [p.read_text(encoding="utf-8") for p in sample_inputs() if p.suffix in (".txt", ".md")]
    assert _same(pipelines, _paragraph_texts(texts)) > 100


@pytest.mark.model
@pytest.mark.seeds
@pytest.mark.slow
def test_the_seed_articles_get_the_same_attributes(
    pipelines: tuple[Any, Any], seeds_dir: Path
) -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds_dir.glob("*.txt"))]
    assert _same(pipelines, _paragraph_texts(texts)) > 100


@pytest.mark.model
@pytest.mark.slow
def test_white_house_documents_get_the_same_attributes(pipelines: tuple[Any, Any]) -> None:
    path = NEWS / "whitehouse_2021_2026.jsonl.gz"
    if not path.is_file():
        pytest.skip(f"the news corpus is not at {path}")
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        texts = [str(json.loads(line)["text"]) for line in itertools.islice(fh, 40)]
    assert _same(pipelines, _paragraph_texts(texts)) > 20_000


@pytest.mark.model
def test_the_lemmatizer_keeps_every_answer_and_forgets_them_with_the_zone(
    pipelines: tuple[Any, Any],
) -> None:
    _, fast = pipelines
    lemmatizer = fast.get_pipe("lemmatizer")
    _clear_pipe_caches(fast)
    doc = fast("The minister signs the treaty.")
    treaty = doc[4]  # a singular noun: a base form, which spaCy's lemmatizer never caches
    assert (treaty.lemma_, doc[2].lemma_) == ("treaty", "sign")
    key = (treaty.orth, treaty.pos, treaty.morph.key)
    assert lemmatizer.cache[key] == ["treaty"]
    _clear_pipe_caches(fast)
    assert lemmatizer.cache == {}
