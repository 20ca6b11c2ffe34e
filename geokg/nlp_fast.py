"""Faster stand-ins for two of the pipeline's rule components, with the same output.

``en_core_web_sm``'s ``attribute_ruler`` runs a :class:`spacy.matcher.Matcher` of 179 patterns
over every token and sets each match's attributes one Python call at a time; about 9% of a
build. Its patterns are a tag map (``TAG`` -> ``POS`` and ``MORPH``) plus word rules (``LOWER``
with ``TAG`` or ``DEP``: pronoun lemmas, auxiliaries, ``not``) and seven two-word rules
(``gon na``, ``let 's`` ...). Every single-word rule reads only the token's ``TAG``, ``LOWER``,
``DEP`` and ``IS_SPACE``, so :class:`AttributeTable` works out, once per distinct
(tag, word class, dep, space) key, what the rules set on such a token, and writes the whole
Doc's ``POS``/``MORPH``/``LEMMA``/``TAG``/``DEP`` with one :meth:`~spacy.tokens.Doc.from_array`;
the two-word rules are checked only where a word can start one. Precedence is the ruler's: all
rules match the Doc as it came in, then apply in pattern order, a later rule overwriting an
earlier one's attribute. A ruler with any pattern outside that shape is left in place.

The rule lemmatizer caches its answer only on its longest path; a base form (a singular noun,
an infinitive) is worked out again for every token, reading the morphology as a dict.
:class:`CachedLemmatizer` wraps it and keeps every answer per (word, POS, morphology), the same
key the lemmatizer's cache uses. The extractors read every token's lemma (``build_view``), so
no token is skipped.

The neural components spend most of their time in matrix products: thinc's CPU backend
(``NumpyOps``) does them with blis, about 25 GFLOP per CPU second on this project's machine (an
AMD EPYC), where numpy's OpenBLAS, on one thread, does about 90 on the same shapes. Thinc's
backend has a switch for it (``NumpyOps(use_blis=False)`` multiplies with numpy), and
:func:`numpy_matmul` sets it on every layer of the pipeline's models: the same weights and the
same arithmetic in another order, so a score could in principle round differently; on every
token of the tests' real articles the tags, heads, labels, lemmas and entities are the same as
spaCy's own (``tests/test_nlp_fast.py``). OpenBLAS would run a product on every core, and spend
more CPU on waiting than it saves, so the parse loop runs inside :func:`one_blas_thread`.

NumPy asks Linux for transparent huge pages (``madvise``) for every array of 4 MB or more. The
layers' outputs are such arrays, made and freed at every batch, and each new one is faulted in
2 MB at a time, every page zeroed by the kernel: parsing 300 White House documents in a fresh
process on this project's machine took about 15% less CPU time with them off. Arrays on
ordinary pages cost less; :func:`numpy_for_parsing` switches the huge pages off for the parse
loop, with one OpenBLAS thread, and back on after it. The arithmetic is the same.

:func:`speed_up` swaps the rule components in and switches the products, and tells what it
changed; ``load_model`` calls it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

__all__ = [
    "AttributeTable",
    "CachedLemmatizer",
    "UnsupportedRules",
    "numpy_for_parsing",
    "numpy_matmul",
    "one_blas_thread",
    "speed_up",
]

TABLE_NAME = "geokg_attribute_table"
LEMMA_NAME = "geokg_cached_lemmatizer"
_KEYS = frozenset({"TAG", "LOWER", "DEP", "IS_SPACE"})

#: A token as the rules see it: tag, lower-case form, dependency label, whether it is a space.
Word = tuple[str, str, str, bool]
Predicate = Callable[[Word], bool]


class UnsupportedRules(ValueError):  # noqa: N818 - a reason, raised and caught in this module
    """The ruler has a pattern :class:`AttributeTable` cannot reproduce exactly."""


def _value_test(spec: Any) -> Callable[[Any], bool]:
    if isinstance(spec, (str, bool)):
        return lambda v: bool(v == spec)
    if isinstance(spec, Mapping) and len(spec) == 1:
        ((op, arg),) = spec.items()
        if op == "IN" and isinstance(arg, list):
            allowed = frozenset(arg)
            return lambda v: v in allowed
        if op == "NOT_IN" and isinstance(arg, list):
            barred = frozenset(arg)
            return lambda v: v not in barred
        if op == "REGEX" and isinstance(arg, str):
            rx = re.compile(arg)
            return lambda v: rx.search(v) is not None
    raise UnsupportedRules(f"unsupported attribute ruler value {spec!r}")


def _token_test(spec: Mapping[str, Any]) -> Predicate:
    if not spec or not set(spec) <= _KEYS:
        raise UnsupportedRules(f"unsupported attribute ruler token pattern {dict(spec)!r}")
    slot = {"TAG": 0, "LOWER": 1, "DEP": 2, "IS_SPACE": 3}
    tests = [(slot[k], _value_test(v)) for k, v in spec.items()]
    return lambda w: all(test(w[i]) for i, test in tests)


def _words_named(spec: Mapping[str, Any]) -> frozenset[str] | None:
    """The lower-case words a LOWER test names (None: it names none, or uses a regex)."""
    value = spec.get("LOWER")
    if isinstance(value, str):
        return frozenset({value})
    if isinstance(value, Mapping) and isinstance(value.get("IN"), list):
        return frozenset(value["IN"])
    if isinstance(value, Mapping) and isinstance(value.get("NOT_IN"), list):
        return frozenset(value["NOT_IN"])
    return None


class AttributeTable:
    """The ``attribute_ruler``'s rules, applied by table look-up (see the module docstring).

    Args:
        vocab: The pipeline's vocabulary.
        patterns: The ruler's patterns, in its order (``AttributeRuler.patterns``).
        attrs: The ruler's normalised attributes, one dict per pattern (``AttributeRuler.attrs``:
            attribute id -> value, morphology already in the vocabulary).

    Raises:
        UnsupportedRules: A pattern reads more than TAG, LOWER, DEP and IS_SPACE, uses an
            operator, or sets an extension attribute.
    """

    def __init__(
        self,
        vocab: Vocab,
        patterns: Sequence[Mapping[str, Any]],
        attrs: Sequence[Mapping[int, int]],
    ) -> None:
        from spacy.attrs import DEP, LEMMA, MORPH, POS, TAG

        self.vocab = vocab
        self._args = ([dict(p) for p in patterns], [dict(a) for a in attrs])
        self._fields = (POS, MORPH, LEMMA, TAG, DEP)
        self._col = {f: j for j, f in enumerate(self._fields)}
        if len(patterns) != len(attrs):
            raise UnsupportedRules("the ruler's patterns and attributes do not line up")
        self._single: list[tuple[int, Predicate, dict[int, int]]] = []
        self._multi: list[tuple[int, list[Predicate], int, dict[int, int]]] = []
        literal: set[str] = set()
        regexes: list[Callable[[Any], bool]] = []
        for rule, (pat, values) in enumerate(zip(patterns, attrs, strict=True)):
            if any(not isinstance(k, int) or k not in self._fields for k in values):
                raise UnsupportedRules(f"pattern {rule} sets attributes other than POS...DEP")
            index = int(pat.get("index", 0))
            for alternative in pat["patterns"]:
                for spec in alternative:
                    named = _words_named(spec)
                    if named is not None:
                        if "" in named:
                            raise UnsupportedRules(f"pattern {rule} names the empty word")
                        literal |= named
                    elif "LOWER" in spec:
                        test = _value_test(spec["LOWER"])
                        if test(""):
                            raise UnsupportedRules(f"pattern {rule} matches the empty word")
                        regexes.append(test)
                tests = [_token_test(spec) for spec in alternative]
                if len(tests) == 1 and index in (0, -1):
                    self._single.append((rule, tests[0], dict(values)))
                else:
                    if not -len(tests) <= index < len(tests):
                        raise UnsupportedRules(f"pattern {rule} targets no token of its match")
                    self._multi.append((rule, tests, index % len(tests), dict(values)))
        self._literal = frozenset(literal)
        self._regexes = regexes
        # Per-zone cache (emptied with the lemmatizer's after each memory zone): a word's hash
        # -> the form the rules see (itself when a rule names it or a regex matches it, else "").
        self.cache: dict[int, str] = {}
        # (tag, word class, dep, space) -> (the single-word rules' settings, starts a 2-word rule)
        self._table: dict[tuple[int, str, int, int], tuple[tuple[tuple[int, int], ...], bool]] = {}

    def __reduce__(self) -> tuple[type[AttributeTable], tuple[Any, ...]]:
        """Pickled as its rules (a spawned ``n_process`` worker compiles them again)."""
        return (AttributeTable, (self.vocab, *self._args))

    @classmethod
    def from_ruler(cls, ruler: Any) -> AttributeTable:
        """Compile a loaded ``AttributeRuler`` (raises :class:`UnsupportedRules`)."""
        return cls(ruler.vocab, ruler.patterns, ruler.attrs)

    def _word_class(self, lower: str) -> str:
        if lower in self._literal:
            return lower
        return lower if any(test(lower) for test in self._regexes) else ""

    def _entry(self, word: Word) -> tuple[tuple[tuple[int, int], ...], bool]:
        merged: dict[int, int] = {}
        for _, test, values in self._single:  # in rule order: later rules overwrite
            if test(word):
                merged.update(values)
        starts = any(tests[0](word) for _, tests, _, _ in self._multi)
        return tuple(merged.items()), starts

    def __call__(self, doc: Doc) -> Doc:
        """Set the rules' attributes on ``doc`` (the ruler's result, token for token)."""
        import numpy
        from spacy.attrs import DEP, IS_SPACE, LOWER, TAG

        n = len(doc)
        if not n:
            return doc
        strings = self.vocab.strings
        keys = doc.to_array([TAG, LOWER, DEP, IS_SPACE]).tolist()
        out = doc.to_array(list(self._fields)).tolist()
        col = self._col
        starts: list[int] = []
        changed = False
        for i, (tag, lower, dep, space) in enumerate(keys):
            wclass = self.cache.get(lower)
            if wclass is None:
                wclass = self.cache[lower] = self._word_class(strings[lower])
            key = (tag, wclass, dep, space)
            entry = self._table.get(key)
            if entry is None:
                word = (
                    strings[tag] if tag else "",
                    wclass,
                    strings[dep] if dep else "",
                    bool(space),
                )
                entry = self._table[key] = self._entry(word)
            values, can_start = entry
            row = out[i]
            for field, value in values:
                row[col[field]] = value
            if values:
                changed = True
            if can_start:
                starts.append(i)
        if starts:
            changed |= self._apply_multi(doc, keys, starts, out)
        if changed:
            array: Any = numpy.asarray(out, dtype="uint64")
            doc.from_array(list(self._fields), array)
        return doc

    def _apply_multi(
        self,
        doc: Doc,
        keys: list[list[int]],
        starts: Iterable[int],
        out: list[list[int]],
    ) -> bool:
        """Two-word rules: redo the touched tokens' rules in order, with the matches added."""
        strings = self.vocab.strings

        def word(i: int) -> Word:
            tag, lower, dep, space = keys[i]
            return (
                strings[tag] if tag else "",
                strings[lower],
                strings[dep] if dep else "",
                bool(space),
            )

        hits: dict[int, list[tuple[int, dict[int, int]]]] = {}
        for s in starts:
            for rule, tests, index, values in self._multi:
                if s + len(tests) > len(doc):
                    continue
                if all(test(word(s + k)) for k, test in enumerate(tests)):
                    hits.setdefault(s + index, []).append((rule, values))
        for i, extra in hits.items():
            w = word(i)
            found = [(rule, values) for rule, test, values in self._single if test(w)]
            merged: dict[int, int] = {}
            for _, values in sorted(found + extra, key=lambda rv: rv[0]):
                merged.update(values)
            row = out[i]
            for field, value in merged.items():
                row[self._col[field]] = value
        return bool(hits)


class CachedLemmatizer:
    """A rule lemmatizer whose every answer is kept per (word, POS, morphology).

    Args:
        lemmatizer: The pipeline's ``Lemmatizer`` in ``rule`` mode; its tables and its
            ``is_base_form`` give the answers, the first time a key is seen.
    """

    def __init__(self, lemmatizer: Any) -> None:
        if getattr(lemmatizer, "mode", None) != "rule" or not isinstance(
            getattr(lemmatizer, "cache", None), dict
        ):
            raise UnsupportedRules("only a rule-mode lemmatizer is cached")
        self.lemmatizer = lemmatizer
        self.vocab = lemmatizer.vocab
        self.overwrite = bool(lemmatizer.overwrite)
        # The wrapped lemmatizer's own cache, (orth, pos, morph) -> lemmas, which now also
        # keeps the base forms. It is emptied after each memory zone with the other per-word
        # caches (its keys hold hashes of strings a zone may free).
        self.cache: dict[tuple[int, int, int], list[str]] = lemmatizer.cache

    def __call__(self, doc: Doc) -> Doc:
        """Set every token's lemma, as the wrapped lemmatizer would."""
        import numpy
        from spacy.attrs import LEMMA, MORPH, ORTH, POS

        if not len(doc):
            return doc
        rows = doc.to_array([ORTH, POS, MORPH, LEMMA]).tolist()
        lemmas = [row[3] for row in rows]
        add = self.vocab.strings.add
        cache = self.cache
        lemmatize = self.lemmatizer.rule_lemmatize
        for i, (orth, pos, morph, lemma) in enumerate(rows):
            if lemma and not self.overwrite:
                continue
            key = (orth, pos, morph)
            found = cache.get(key)
            if found is None:
                found = cache[key] = lemmatize(doc[i])
            lemmas[i] = add(found[0])
        array: Any = numpy.asarray(lemmas, dtype="uint64")
        doc.from_array([LEMMA], array)
        return doc


def _register() -> None:
    from spacy.language import Language

    # confection validates a factory's arguments from its annotations; this module's are
    # strings (``from __future__ import annotations``), which confection 0.1 (with pydantic's
    # v1 API) cannot resolve, so each factory is given them as objects.
    def _make_table(nlp: Language, name: str) -> AttributeTable:
        return AttributeTable.from_ruler(nlp.get_pipe("attribute_ruler"))

    def _make_lemmatizer(nlp: Language, name: str) -> CachedLemmatizer:
        return CachedLemmatizer(nlp.get_pipe("lemmatizer"))

    made = (
        (TABLE_NAME, _make_table, AttributeTable),
        (LEMMA_NAME, _make_lemmatizer, CachedLemmatizer),
    )
    for factory, make, component in made:
        make.__annotations__ = {"nlp": Language, "name": str, "return": component}
        if not Language.has_factory(factory):
            Language.factory(factory)(make)


def numpy_matmul(nlp: Language) -> list[str]:
    """Make every blis layer of the pipeline's models multiply with numpy instead.

    Only layers on thinc's CPU backend with blis on are switched (a GPU backend is left alone).

    Returns:
        The names of the components with at least one layer switched.
    """
    from thinc.api import NumpyOps

    ops = NumpyOps(use_blis=False)
    switched: list[str] = []
    for name, proc in nlp.pipeline:
        model = getattr(proc, "model", None)
        if model is None or not hasattr(model, "walk"):
            continue
        hit = False
        for node in model.walk():
            if type(node.ops) is NumpyOps and node.ops.use_blis:
                node.ops = ops
                hit = True
        if hit:
            switched.append(name)
    return switched


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """Limit OpenBLAS (numpy's matrix products) to one thread while the block runs.

    Forked workers (spaCy's ``n_process`` on Linux) inherit the limit; it is restored on exit.
    """
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        yield


def _hugepage_switch() -> Callable[[bool], bool] | None:
    """NumPy's switch for huge pages (the runtime side of ``NUMPY_MADVISE_HUGEPAGE``): it sets
    the flag and returns the one before; ``None`` where this NumPy has none."""
    import numpy

    core = getattr(numpy, "_core", None) or getattr(numpy, "core", None)
    switch = getattr(getattr(core, "multiarray", None), "_set_madvise_hugepage", None)
    return switch if callable(switch) else None


@contextmanager
def numpy_for_parsing() -> Iterator[None]:
    """NumPy as the parse loop runs it: OpenBLAS on one thread (:func:`one_blas_thread`) and
    new arrays on ordinary pages, not transparent huge pages (module docstring). Both are
    restored on exit; forked workers (spaCy's ``n_process`` on Linux) inherit them."""
    switch = _hugepage_switch()
    before = switch(False) if switch is not None else None
    try:
        with one_blas_thread():
            yield
    finally:
        if switch is not None and before is not None:
            switch(before)


def speed_up(nlp: Language) -> list[str]:
    """Swap the attribute ruler and the rule lemmatizer for their faster equals, where exact,
    and make the neural components multiply with numpy (:func:`numpy_matmul`).

    Returns:
        The names of the components swapped (each keeps its place in the pipeline), then
        those switched to numpy's products, each as ``"NAME:matmul"``.
    """
    _register()
    swapped: list[str] = []
    for old, new in (("attribute_ruler", TABLE_NAME), ("lemmatizer", LEMMA_NAME)):
        if old not in nlp.pipe_names:
            continue
        try:
            nlp.add_pipe(new, after=old)
        except UnsupportedRules:
            continue
        nlp.remove_pipe(old)
        nlp.rename_pipe(new, old)
        swapped.append(old)
    return swapped + [f"{name}:matmul" for name in numpy_matmul(nlp)]
