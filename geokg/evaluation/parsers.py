"""Score a spaCy pipeline's dependency parse and NER against gold ``.spacy`` files.

Both scorers read a spaCy ``DocBin`` file, rebuild every gold Doc from its words and spaces
only (``Doc(nlp.vocab, words=..., spaces=...)``), run the pipeline on those Docs and compare
token by token. The pipeline therefore works on the **gold tokenisation**: no alignment is needed
and tokenisation errors cost nothing. Unless ``gold_sentences`` is set, the pipeline finds its own
sentence boundaries (as it does in production); arcs across gold sentences simply count as wrong.

**Parser figures.** Punctuation is excluded the way spaCy's own scorer and the CoNLL shared tasks
do it: a token whose *gold* label is ``punct`` is not scored, whatever the pipeline made of it; a
token the pipeline calls ``punct`` but the gold does not is scored. ``tokens`` counts every gold
token, ``scored`` the tokens that enter the figures.

* ``uas_raw`` / ``las_raw``: the pipeline's own tree, unchanged; LAS raw needs the exact label
  string (``nsubj:pass`` is not ``nsubj``; ``ROOT`` is ``ROOT``).
* ``uas`` / ``las``: both trees, gold and predicted, first pass through :func:`harmonise_arcs`,
  which brings a ClearNLP tree (``en_core_web_sm``) into the UD v2 shape and every label down to
  one coarse set (:func:`coarse_label`). A UD tree comes through almost unchanged (below).

:func:`harmonise_arcs`, in order:

1. **Copula.** A form of *be* with an ``attr`` or ``acomp`` child and no ``expl`` child
   ("he is a doctor", "she was happy") hands its place to that predicate, as in UD: the
   predicate takes the verb's head and label, the verb becomes its ``cop``, and the verb's other
   dependents move to the predicate. With an ``expl`` ("there is a problem") the ``attr`` is
   the subject (UD ``nsubj``). ``attr``/``acomp``/``oprd`` anywhere else ("became president",
   "looks happy", "elected him president") are ``xcomp``.
2. **Prepositions and the rest of the ClearNLP table**: :func:`~geokg.extractors._deps.normalise_arcs`,
   the view the extractors read. ``prep`` + ``pobj`` become ``case`` + ``obl`` (head a verb or
   adjective) or ``nmod`` (head a noun, pronoun or numeral), the noun taking the preposition's
   place; ``agent`` + ``pobj`` -> ``case`` + ``obl:agent``; ``prep`` + verbal ``pcomp`` ->
   ``mark`` + ``advcl``/``acl``; ``dobj`` -> ``obj``; ``dative`` -> ``iobj`` (a noun; a
   preposition is handled like ``prep``); ``nsubjpass`` -> ``nsubj:pass``; ``auxpass`` ->
   ``aux:pass``; ``csubjpass`` -> ``csubj:pass``; ``poss`` -> ``nmod:poss``; ``relcl`` ->
   ``acl:relcl``; ``neg`` -> ``advmod``; ``npadvmod`` -> ``obl:npmod``; ``prt`` ->
   ``compound:prt``. The infinitival *to* (``aux`` with tag ``TO``) becomes ``mark``.
3. **Prepositional predicate.** A *be* tagged ``AUX`` that heads a subject and an ``obl`` with
   a ``case`` after it, and no object, complement or ``expl`` ("he is in London"), becomes the
   ``cop`` of that ``obl``, as in step 1 (UD's main-verb *be* is tagged ``VERB`` and stays).
4. **Coordination.** A ``cc`` attached to the conjunct *before* it moves to the next conjunct
   after it, and a ``conj`` whose head is itself a ``conj`` moves to the first conjunct (UD v2
   attaches ``cc`` to the following conjunct and all conjuncts to the first one; ClearNLP
   chains them).
5. **Labels.** Subtypes after ``:`` are dropped, then the ClearNLP labels without a UD twin are
   mapped by :data:`CLEARNLP_TO_UD` (``dobj`` -> ``obj``, ``intj`` -> ``discourse``, ``predet``
   -> ``det``, ``preconj`` -> ``cc``, ``quantmod`` -> ``advmod``, ...).

The steps look for ClearNLP shapes (labels UD does not use, a ``cc`` before its conjunct, a
*be* heading a prepositional predicate), so a UD tree keeps its arcs, with two exceptions that
hit gold and UD predictions alike: nested coordination ("A and [B or C]") is flattened by step
4, and the few gold trees that keep *be* as the head of a prepositional predicate are flipped
by step 3. On the five UD test files that changes at most 0.2% of the gold arcs (EWT 22 of
25,094, PUD 30 of 21,180).

**LAS across label schemes is approximate.** Harmonisation cannot undo every difference.
Names: UD ``flat`` hangs on the first word, ClearNLP ``compound`` on the last one, so a
ClearNLP pipeline loses up to two arcs per multi-word name. Multi-word function words (UD
``fixed``: "because of", "such as"), numbers and amounts (``quantmod``, ``$ 5 million``), and
clausal complements of *be* are not converted either; the coarse label set also merges
distinctions (``nmod:poss`` and ``nmod``, ``obl:agent`` and ``obl``). A pipeline trained on UD
(the stand-in ``en_geokg_news_sm``, trained on GUM and EWT train) is moreover tested in-domain
on the GUM/EWT test files. Compare ``uas``/``las`` of two pipelines of the same scheme freely;
across schemes read them as indications, with :attr:`ParserScore.per_label` showing where the
losses sit.

**NER figures.** Exact span match on the gold tokens: a predicted entity counts when its start,
end and label (after mapping) equal a gold entity's. Both gold and predicted labels go through
``label_map`` (default :data:`CONLL_LABEL_MAP`, OntoNotes -> the four CoNLL-2003 types):
``PERSON`` -> ``PER``; ``GPE``, ``LOC``, ``FAC`` -> ``LOC``; ``ORG`` -> ``ORG``; ``NORP``,
``EVENT``, ``PRODUCT``, ``WORK_OF_ART``, ``LAW``, ``LANGUAGE`` -> ``MISC`` (``NORP`` -> ``MISC``
follows the CoNLL-2003 guidelines: nationalities and religious or political groups are MISC);
``DATE``, ``TIME``, ``MONEY``, ``PERCENT``, ``QUANTITY``, ``ORDINAL``, ``CARDINAL`` are dropped
on both sides; ``PER``/``LOC``/``ORG``/``MISC`` map to themselves. A label missing from the map
is kept as it is (so it can only be a false positive). The project's CoNLL-2003 file stores
OntoNotes-style labels (``PERSON``, ``GPE``, ``NORP``, ...); mapped back they give CoNLL's four,
except a few LOC mentions of institutions (White House, Kremlin) that the file labels ``ORG``.

>>> coarse_label("nsubj:pass"), coarse_label("dobj"), coarse_label("ROOT")
('nsubj', 'obj', 'root')
>>> harmonise_arcs([1, 1, 3, 1], ["nsubj", "ROOT", "det", "attr"],
...                pos=["PRON", "AUX", "DET", "NOUN"], words=["He", "is", "a", "doctor"])
([3, 3, 3, 3], ['nsubj', 'cop', 'det', 'root'])
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

from geokg.errors import InputError
from geokg.extractors._deps import normalise_arcs
from geokg.nlp_fast import numpy_for_parsing

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = [
    "CLEARNLP_TO_UD",
    "CONLL_LABEL_MAP",
    "LabelAccuracy",
    "LabelPRF",
    "NerScore",
    "ParserScore",
    "coarse_label",
    "harmonise_arcs",
    "read_gold_docs",
    "score_ner",
    "score_parser",
]

#: ClearNLP labels (after :func:`normalise_arcs` and subtype stripping) without a UD twin of the
#: same name, and their coarse UD label.
CLEARNLP_TO_UD: Mapping[str, str] = {
    "dobj": "obj",
    "nsubjpass": "nsubj",
    "csubjpass": "csubj",
    "auxpass": "aux",
    "agent": "obl",
    "pobj": "nmod",
    "prep": "case",
    "pcomp": "ccomp",
    "poss": "nmod",
    "relcl": "acl",
    "neg": "advmod",
    "npadvmod": "obl",
    "dative": "iobj",
    "attr": "xcomp",
    "acomp": "xcomp",
    "oprd": "xcomp",
    "prt": "compound",
    "nn": "compound",
    "intj": "discourse",
    "predet": "det",
    "preconj": "cc",
    "quantmod": "advmod",
    "meta": "dep",
    "subtok": "goeswith",
}

#: OntoNotes (and CoNLL) entity labels -> the four CoNLL-2003 types; ``None`` drops the entity.
CONLL_LABEL_MAP: Mapping[str, str | None] = {
    "PER": "PER",
    "LOC": "LOC",
    "ORG": "ORG",
    "MISC": "MISC",
    "PERSON": "PER",
    "GPE": "LOC",
    "FAC": "LOC",
    "NORP": "MISC",
    "EVENT": "MISC",
    "PRODUCT": "MISC",
    "WORK_OF_ART": "MISC",
    "LAW": "MISC",
    "LANGUAGE": "MISC",
    "DATE": None,
    "TIME": None,
    "MONEY": None,
    "PERCENT": None,
    "QUANTITY": None,
    "ORDINAL": None,
    "CARDINAL": None,
}

_BE_FORMS = frozenset({"be", "is", "am", "are", "was", "were", "been", "being", "'s", "'re", "'m"})
_PREDICATES = frozenset({"attr", "acomp"})
# Children that make a form of "be" more than a copula of a prepositional predicate.
_NOT_PP_COPULA = frozenset(
    {"obj", "iobj", "xcomp", "ccomp", "expl", "attr", "acomp", "nsubj:pass", "csubj:pass"}
)


@dataclass(frozen=True, slots=True, kw_only=True)
class LabelAccuracy:
    """Attachment figures of the scored tokens with one coarse gold label.

    Attributes:
        count: Scored tokens with this gold label.
        uas: Share whose harmonised head is right.
        las: Share whose harmonised head and coarse label are right.
    """

    count: int
    uas: float
    las: float


@dataclass(frozen=True, slots=True, kw_only=True)
class ParserScore:
    """Dependency figures of one pipeline on one gold file (module docstring for the rules).

    Attributes:
        path: The gold file.
        docs: Gold Docs scored.
        sentences: Gold sentences in them.
        tokens: Gold tokens in them, punctuation included.
        scored: Tokens that enter the figures (gold label not ``punct``).
        uas: Head correct, both trees harmonised.
        las: Head correct and coarse label equal, both trees harmonised.
        uas_raw: Head correct in the pipeline's own tree.
        las_raw: Head correct and exact label string equal, no mapping.
        per_label: Coarse gold label -> :class:`LabelAccuracy`.
    """

    path: str
    docs: int
    sentences: int
    tokens: int
    scored: int
    uas: float
    las: float
    uas_raw: float
    las_raw: float
    per_label: Mapping[str, LabelAccuracy] = field(default_factory=dict, compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class LabelPRF:
    """Exact-match NER figures of one (mapped) label.

    Attributes:
        precision: ``tp / (tp + fp)`` (0 when nothing was predicted).
        recall: ``tp / (tp + fn)`` (0 when the gold has none).
        f: Harmonic mean of the two (0 when both are 0).
        tp: Predicted entities equal to a gold entity.
        fp: Predicted entities equal to none.
        fn: Gold entities not predicted.
    """

    precision: float
    recall: float
    f: float
    tp: int
    fp: int
    fn: int

    @property
    def gold(self) -> int:
        """Gold entities."""
        return self.tp + self.fn

    @property
    def predicted(self) -> int:
        """Predicted entities."""
        return self.tp + self.fp


@dataclass(frozen=True, slots=True, kw_only=True)
class NerScore:
    """NER figures of one pipeline on one gold file (micro-averaged over labels).

    Attributes:
        path: The gold file.
        docs: Gold Docs scored.
        sentences: Gold sentences in them.
        tokens: Gold tokens in them.
        precision: Micro precision over all mapped labels.
        recall: Micro recall.
        f: Micro F1.
        tp: Exact matches.
        fp: Predicted entities matching no gold entity.
        fn: Gold entities not predicted.
        per_label: Mapped label -> :class:`LabelPRF`, sorted by label.
    """

    path: str
    docs: int
    sentences: int
    tokens: int
    precision: float
    recall: float
    f: float
    tp: int
    fp: int
    fn: int
    per_label: Mapping[str, LabelPRF] = field(default_factory=dict, compare=False)


def coarse_label(dep: str) -> str:
    """The common coarse label of a UD or ClearNLP dependency label.

    >>> [coarse_label(d) for d in ("obl:agent", "poss", "npadvmod", "nmod:poss", "flat")]
    ['obl', 'nmod', 'obl', 'nmod', 'flat']
    """
    if not dep:
        return "dep"
    if dep in ("ROOT", "root"):
        return "root"
    base = dep.split(":", 1)[0]
    return CLEARNLP_TO_UD.get(base, base)


def harmonise_arcs(
    heads: Sequence[int],
    deps: Sequence[str],
    *,
    pos: Sequence[str],
    words: Sequence[str],
    lemmas: Sequence[str] | None = None,
    tags: Sequence[str] | None = None,
) -> tuple[list[int], list[str]]:
    """Bring one parse (ClearNLP or UD) to the common UD shape and coarse labels.

    Heads are absolute indices, a root points to itself; the steps are listed in the module
    docstring. ``lemmas`` (to recognise *be*) and ``tags`` (``TO``) are optional.

    >>> # "A , B and C" in ClearNLP shape: conjuncts chained, "and" on the conjunct before it
    >>> harmonise_arcs([0, 0, 0, 2, 2], ["ROOT", "punct", "conj", "cc", "conj"],
    ...                pos=["NOUN", "PUNCT", "NOUN", "CCONJ", "NOUN"],
    ...                words=["A", ",", "B", "and", "C"])
    ([0, 0, 0, 4, 0], ['root', 'punct', 'conj', 'cc', 'conj'])
    """
    n = len(heads)
    lem = lemmas if lemmas is not None else [""] * n
    tag = tags if tags is not None else [""] * n
    heads_, deps_ = _flip_copulas(list(heads), list(deps), words, lem)
    heads_, deps_ = normalise_arcs(heads_, deps_, list(pos))
    deps_ = ["mark" if d == "aux" and t == "TO" else d for d, t in zip(deps_, tag, strict=True)]
    heads_, deps_ = _flip_prepositional_copulas(heads_, deps_, pos, words, lem)
    heads_, deps_ = _move_coordination(heads_, deps_)
    return heads_, [coarse_label(d) for d in deps_]


def _is_be(word: str, lemma: str) -> bool:
    return lemma.lower() == "be" or word.lower() in _BE_FORMS


def _flip_copulas(
    heads: list[int], deps: list[str], words: Sequence[str], lemmas: Sequence[str]
) -> tuple[list[int], list[str]]:
    """Step 1 of :func:`harmonise_arcs`: ClearNLP copula trees -> UD (``cop`` under the
    predicate); ``attr``/``acomp``/``oprd`` elsewhere -> ``nsubj`` or ``xcomp``."""
    n = len(heads)
    children: list[list[int]] = [[] for _ in range(n)]
    for i, h in enumerate(heads):
        if h != i:
            children[h].append(i)
    new_deps = list(deps)
    flip: dict[int, int] = {}  # copula -> predicate
    for v in range(n):
        preds = [c for c in children[v] if deps[c] in _PREDICATES]
        if not preds:
            continue
        if not _is_be(words[v], lemmas[v]):
            for c in preds:
                new_deps[c] = "xcomp"
        elif any(deps[c] == "expl" for c in children[v]):
            for c in preds:
                new_deps[c] = "nsubj" if deps[c] == "attr" else "xcomp"
        else:
            flip[v] = preds[0]
            for c in preds[1:]:
                new_deps[c] = "xcomp"
    for i, d in enumerate(new_deps):
        if d == "oprd":
            new_deps[i] = "xcomp"
    for v in [v for v, p in flip.items() if p in flip]:  # predicate is a copula itself
        new_deps[flip.pop(v)] = "xcomp"
    return _apply_flips(heads, new_deps, flip)


def _flip_prepositional_copulas(
    heads: list[int],
    deps: list[str],
    pos: Sequence[str],
    words: Sequence[str],
    lemmas: Sequence[str],
) -> tuple[list[int], list[str]]:
    """Step 3 of :func:`harmonise_arcs` (after :func:`normalise_arcs`): a form of *be* with a
    subject, no object, complement, predicate or ``expl``, and an ``obl`` with a ``case`` after
    it ("he is in London") becomes the ``cop`` of that ``obl``."""
    n = len(heads)
    children: list[list[int]] = [[] for _ in range(n)]
    for i, h in enumerate(heads):
        if h != i:
            children[h].append(i)
    flip: dict[int, int] = {}
    for v in range(n):
        kids = children[v]
        if (
            pos[v] != "AUX"
            or not _is_be(words[v], lemmas[v])
            or deps[v] in ("aux", "aux:pass", "cop")
            or not any(deps[c] in ("nsubj", "csubj") for c in kids)
            or any(deps[c] in _NOT_PP_COPULA for c in kids)
        ):
            continue
        pps = [
            c
            for c in kids
            if c > v and deps[c] == "obl" and any(deps[k] == "case" for k in children[c])
        ]
        if pps:
            flip[v] = pps[0]
    return _apply_flips(heads, deps, flip)


def _apply_flips(
    heads: list[int], deps: list[str], flip: Mapping[int, int]
) -> tuple[list[int], list[str]]:
    """Make each predicate ``flip[v]`` take the place of copula ``v``, ``v`` its ``cop``
    child, and move ``v``'s other dependents to the predicate."""
    if not flip:
        return heads, deps
    predicates = {p: v for v, p in flip.items()}

    def target(h: int) -> int:
        seen: set[int] = set()
        while h in flip and h not in seen:  # a copula under a flipped copula
            seen.add(h)
            h = flip[h]
        return h

    new_heads, new_deps = list(heads), list(deps)
    for t in range(len(heads)):
        if t in flip:
            new_heads[t], new_deps[t] = flip[t], "cop"
        elif t in predicates:
            v = predicates[t]
            new_heads[t] = t if heads[v] == v else target(heads[v])
            new_deps[t] = deps[v]
        elif heads[t] != t:
            new_heads[t] = target(heads[t])
    return new_heads, new_deps


def _move_coordination(heads: list[int], deps: list[str]) -> tuple[list[int], list[str]]:
    """Step 4 of :func:`harmonise_arcs`: ``cc`` onto the following conjunct, ``conj`` chains
    onto the first conjunct."""
    heads = list(heads)
    n = len(heads)
    for c in range(n):
        h = heads[c]
        if deps[c] != "cc" or not h < c:
            continue
        after = [k for k in range(c + 1, n) if heads[k] == h and deps[k] == "conj"]
        if after:
            heads[c] = after[0]
    for c in range(n):
        if deps[c] != "conj":
            continue
        h, seen = heads[c], {c}
        while deps[h] == "conj" and heads[h] != h and h not in seen:
            seen.add(h)
            h = heads[h]
        heads[c] = h
    return heads, deps


def read_gold_docs(
    nlp: Language, path: str | os.PathLike[str], *, limit: int | None = None
) -> list[Doc]:
    """Read the gold Docs of a ``DocBin`` file into ``nlp``'s vocabulary.

    Args:
        nlp: The pipeline whose vocabulary the Docs use.
        path: A ``.spacy`` file.
        limit: Read at most this many Docs (``None``: all).

    Raises:
        InputError: The file is missing or is not a readable ``DocBin``.
    """
    from spacy.tokens import DocBin

    p = Path(path)
    if not p.is_file():
        raise InputError(str(p), "no such gold file (expected a spaCy DocBin .spacy file)")
    try:
        docbin = DocBin().from_disk(p)
        docs: Iterable[Doc] = docbin.get_docs(nlp.vocab)
        return list(islice(docs, limit) if limit is not None else docs)
    except OSError as exc:
        raise InputError(str(p), f"cannot read the gold file ({exc})") from exc
    except Exception as exc:  # msgpack, zlib and spaCy raise assorted errors on bad bytes
        raise InputError(str(p), f"not a spaCy DocBin file ({type(exc).__name__}: {exc})") from exc


def _predict(nlp: Language, gold: Sequence[Doc], *, gold_sentences: bool) -> Iterator[Doc]:
    """Run ``nlp`` on fresh Docs that share only the gold words, spaces (and sentence starts)."""
    from spacy.tokens import Doc

    fresh = []
    for g in gold:
        words = [t.text for t in g]
        spaces = [bool(t.whitespace_) for t in g]
        starts: list[bool | int | None] | None = None
        if gold_sentences and g.has_annotation("SENT_START"):
            starts = [bool(t.is_sent_start) for t in g]
        fresh.append(Doc(nlp.vocab, words=words, spaces=spaces, sent_starts=starts))
    with numpy_for_parsing():  # as the build parses (geokg.nlp_fast)
        yield from nlp.pipe(fresh)


def _ratio(a: int, b: int) -> float:
    return a / b if b else 0.0


def _arcs(doc: Doc) -> tuple[list[int], list[str]]:
    heads = [t.head.i for t in doc]
    deps = [t.dep_ for t in doc]
    return heads, deps


def _harmonised(doc: Doc) -> tuple[list[int], list[str]]:
    heads, deps = _arcs(doc)
    return harmonise_arcs(
        heads,
        deps,
        pos=[t.pos_ for t in doc],
        words=[t.text for t in doc],
        lemmas=[t.lemma_ for t in doc],
        tags=[t.tag_ for t in doc],
    )


def score_parser(
    nlp: Language,
    path: str | os.PathLike[str],
    *,
    limit: int | None = None,
    gold_sentences: bool = False,
) -> ParserScore:
    """Score ``nlp``'s dependency parse on the gold file ``path`` (rules: module docstring).

    Args:
        nlp: A pipeline with a parser (any label scheme).
        path: A ``.spacy`` DocBin with gold heads and labels (UD v2 or ClearNLP).
        limit: Score at most this many gold Docs.
        gold_sentences: Give the pipeline the gold sentence starts (the parser keeps them).

    Raises:
        InputError: The file is missing or unreadable, or has no dependency annotation.
    """
    gold_docs = read_gold_docs(nlp, path, limit=limit)
    if gold_docs and not all(d.has_annotation("DEP") for d in gold_docs):
        raise InputError(str(path), "the gold file has no dependency annotation (HEAD/DEP)")
    sentences = tokens = scored = 0
    uas = las = uas_raw = las_raw = 0
    count: Counter[str] = Counter()
    head_ok: Counter[str] = Counter()
    label_ok: Counter[str] = Counter()
    for gold, pred in zip(
        gold_docs, _predict(nlp, gold_docs, gold_sentences=gold_sentences), strict=True
    ):
        sentences += sum(1 for _ in gold.sents)
        tokens += len(gold)
        g_heads, g_deps = _arcs(gold)
        p_heads, p_deps = _arcs(pred)
        gh, gd = _harmonised(gold)
        ph, pd = _harmonised(pred)
        for i in range(len(gold)):
            if gd[i] == "punct":
                continue
            scored += 1
            count[gd[i]] += 1
            if g_heads[i] == p_heads[i]:
                uas_raw += 1
                las_raw += g_deps[i] == p_deps[i]
            if gh[i] == ph[i]:
                uas += 1
                head_ok[gd[i]] += 1
                if gd[i] == pd[i]:
                    las += 1
                    label_ok[gd[i]] += 1
    per_label = {
        label: LabelAccuracy(count=n, uas=_ratio(head_ok[label], n), las=_ratio(label_ok[label], n))
        for label, n in sorted(count.items(), key=lambda kv: (-kv[1], kv[0]))
    }
    return ParserScore(
        path=str(path),
        docs=len(gold_docs),
        sentences=sentences,
        tokens=tokens,
        scored=scored,
        uas=_ratio(uas, scored),
        las=_ratio(las, scored),
        uas_raw=_ratio(uas_raw, scored),
        las_raw=_ratio(las_raw, scored),
        per_label=per_label,
    )


def _prf(tp: int, fp: int, fn: int) -> LabelPRF:
    p, r = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
    f = 2 * p * r / (p + r) if p + r else 0.0
    return LabelPRF(precision=p, recall=r, f=f, tp=tp, fp=fp, fn=fn)


def _spans(doc: Doc, label_map: Mapping[str, str | None]) -> set[tuple[int, int, str]]:
    out: set[tuple[int, int, str]] = set()
    for ent in doc.ents:
        label = label_map.get(ent.label_, ent.label_)
        if label is not None:
            out.add((ent.start, ent.end, label))
    return out


def score_ner(
    nlp: Language,
    path: str | os.PathLike[str],
    *,
    label_map: Mapping[str, str | None] = CONLL_LABEL_MAP,
    limit: int | None = None,
    gold_sentences: bool = False,
) -> NerScore:
    """Score ``nlp``'s named entities on the gold file ``path`` by exact span match.

    Args:
        nlp: A pipeline with an entity recogniser.
        path: A ``.spacy`` DocBin with gold entities.
        label_map: Applied to gold and predicted labels; ``None`` drops the entity, a label not
            in the map is kept unchanged (module docstring).
        limit: Score at most this many gold Docs.
        gold_sentences: Give the pipeline the gold sentence starts.

    Raises:
        InputError: The file is missing or unreadable, or has no entity annotation.
    """
    gold_docs = read_gold_docs(nlp, path, limit=limit)
    if gold_docs and not any(d.has_annotation("ENT_IOB") for d in gold_docs):
        raise InputError(str(path), "the gold file has no entity annotation")
    sentences = tokens = 0
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for gold, pred in zip(
        gold_docs, _predict(nlp, gold_docs, gold_sentences=gold_sentences), strict=True
    ):
        sentences += sum(1 for _ in gold.sents) if gold.has_annotation("SENT_START") else 1
        tokens += len(gold)
        g, p = _spans(gold, label_map), _spans(pred, label_map)
        for *_, label in g & p:
            tp[label] += 1
        for *_, label in p - g:
            fp[label] += 1
        for *_, label in g - p:
            fn[label] += 1
    labels = sorted(set(tp) | set(fp) | set(fn))
    total = _prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    return NerScore(
        path=str(path),
        docs=len(gold_docs),
        sentences=sentences,
        tokens=tokens,
        precision=total.precision,
        recall=total.recall,
        f=total.f,
        tp=total.tp,
        fp=total.fp,
        fn=total.fn,
        per_label={label: _prf(tp[label], fp[label], fn[label]) for label in labels},
    )
