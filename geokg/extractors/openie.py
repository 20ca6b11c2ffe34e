"""Open information extraction: one tuple per clause, scored on CaRB (extractor ``open.v1``).

Unlike :mod:`geokg.extractors.svo`, which keeps only actor-to-actor relations, this extractor
emits every clause's tuple ``(arg1, relation, arg2, ...)`` in the style of ClausIE and OpenIE-4,
so it can be compared with them on the CaRB benchmark:

* every verb, including conjoined verbs (which inherit the subject of the first conjunct),
  relative clauses (the antecedent is the subject, or the object when the clause has a subject
  of its own) and participial modifiers ("a fleet preparing to sail");
* copular clauses "X is Y" (relation ``is``; "X is in Y" gives ``is in``);
* appositions "X, the Y of Z" give ``(X, is, the Y of Z)``.

The relation is the surface verb group: auxiliaries, negation, particles, an infinitival
complement ("wants to buy"), and, when the verb has no object, the preposition of its first
prepositional phrase ("was born in"). Argument 1 is the subject; the others are the object and
the prepositional, temporal and clausal complements, each as the text of its subtree without the
clause's own subordinate clauses. Confidence falls for inherited subjects, modifier clauses,
missing objects and long arguments, so a precision/recall sweep can pick an operating point.

Only the normalised :class:`~geokg.extractors._deps.DepView` is read, so pipelines with UD and
with ClearNLP labels give the same tuples.

>>> t = OpenTuple(sentence="A met B .", relation="met", args=("A", "B"), confidence=0.9)
>>> list(to_carb_lines([t]))
['A met B .\\t0.9\\tmet\\tA\\tB']
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from geokg.errors import ConfigError
from geokg.extractors._deps import DepView, build_view
from geokg.nlp_fast import numpy_for_parsing

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = ["PTB_ESCAPES", "OpenExtractor", "OpenTuple", "to_carb_lines"]

#: PTB escapes in tokenised input and the characters the parser is shown instead.
PTB_ESCAPES: dict[str, str] = {
    "``": '"',
    "''": '"',
    "-LRB-": "(",
    "-RRB-": ")",
    "-LSB-": "[",
    "-RSB-": "]",
    "-LCB-": "{",
    "-RCB-": "}",
}

_SUBJ = ("nsubj", "nsubj:pass", "csubj", "csubj:pass")
_AUX = ("aux", "aux:pass")
_PRT = ("compound:prt",)
_NEG = frozenset({"not", "n't", "never", "no"})
_RELATIVE = frozenset({"who", "whom", "which", "that", "whose"})
_OBJ = ("obj", "iobj")
_OBL = ("obl", "obl:agent")
_OBL_BARE = ("obl:tmod", "obl:npmod")
# Children that start a clause of their own: never part of an argument's text.
_CLAUSAL = frozenset({"acl:relcl", "advcl", "parataxis", "csubj", "ccomp", "acl", "xcomp"})
_ARG_DROP = frozenset({"acl:relcl", "advcl", "parataxis", "appos", "punct", "dep"})
_VERBISH = frozenset({"VERB", "AUX"})
_OPEN_QUESTION = frozenset({"whether", "if", "how", "why", "what", "when", "where"})
_WH_TAGS = frozenset({"WDT", "WP", "WP$", "IN"})


@dataclass(frozen=True, slots=True, kw_only=True)
class OpenTuple:
    """One open-IE tuple.

    Attributes:
        sentence: The input sentence, exactly as given.
        relation: The relation phrase ("was born in").
        args: Arguments in order: the subject, then objects and complements.
        confidence: Extractor confidence in ``(0, 1]``.
    """

    sentence: str
    relation: str
    args: tuple[str, ...]
    confidence: float


@dataclass(slots=True)
class _Clause:
    """A clause under construction (token indices into the view)."""

    rel: list[int]
    tail: list[int]  # relation tokens after the verb group (folded preposition, "that")
    subj: list[int]
    args: list[list[int]]
    conf: float
    literal: str = ""  # relation text not in the sentence ("is" of an apposition)


def to_carb_lines(tuples: Iterable[OpenTuple]) -> Iterator[str]:
    """Yield CaRB's tabbed lines: ``sentence, confidence, relation, arg1, arg2, ...``.

    Tabs and line breaks inside fields become spaces, so every tuple stays one parseable line.

    >>> t = OpenTuple(sentence="a\\tb", relation="is", args=("a", "b\\nc"), confidence=0.5)
    >>> list(to_carb_lines([t]))
    ['a b\\t0.5\\tis\\ta\\tb c']
    """
    for t in tuples:
        fields = [_clean(t.sentence), repr(float(t.confidence)), _clean(t.relation)]
        fields.extend(_clean(a) for a in t.args)
        yield "\t".join(fields)


def _clean(text: str) -> str:
    return text.replace("\t", " ").replace("\r", " ").replace("\n", " ")


class OpenExtractor:
    """Clause-level open extraction over a normalised dependency view.

    Args:
        appositions: Emit ``(X, is, Y)`` for appositions.
        split_conjuncts: Also emit one tuple per conjunct of a coordinated object
            ("contains A and B" gives "contains A" and "contains B" too).
        possessives: Emit ``(X, has, Y)`` for "X's Y" (not for possessive pronouns).
        min_confidence: Drop tuples below this confidence.

    Raises:
        ConfigError: ``min_confidence`` is outside ``[0, 1]``.
    """

    name = "open.v1"
    version = "1"

    def __init__(
        self,
        *,
        appositions: bool = True,
        possessives: bool = True,
        split_conjuncts: bool = True,
        min_confidence: float = 0.0,
    ) -> None:
        if not 0.0 <= min_confidence <= 1.0:
            raise ConfigError(
                f"min_confidence must be between 0 and 1, got {min_confidence!r}; "
                "use e.g. 0.3 to keep only the more reliable tuples"
            )
        self.appositions = appositions
        self.possessives = possessives
        self.split_conjuncts = split_conjuncts
        self.min_confidence = min_confidence

    # ------------------------------------------------------------------------------ entry points

    def extract_texts(
        self, nlp: Language, sentences: Iterable[str], *, batch_size: int = 256
    ) -> Iterator[list[OpenTuple]]:
        """Parse each line with ``nlp`` and yield its tuples (one list per line, in order).

        Lines are taken as already tokenised when split on whitespace (CaRB's PTB input); a
        whitespace-separated chunk is still split by the pipeline's tokenizer ("said," becomes
        "said" ","), without changing the text the arguments are cut from. PTB escapes
        (``-LRB-``, ````` ``) are shown to the parser as the characters they stand for and given
        back as written.

        Args:
            nlp: A spaCy pipeline with a dependency parser.
            sentences: One sentence per item.
            batch_size: Batch size for ``nlp.pipe``.

        Raises:
            ConfigError: The pipeline has no parser.
        """
        if "parser" not in nlp.pipe_names and "trainable_parser" not in nlp.pipe_names:
            pipes = ", ".join(nlp.pipe_names) or "none"
            raise ConfigError(
                f"the spaCy pipeline has no dependency parser (pipes: {pipes}); "
                "load one with a parser, e.g. geokg.nlp.load_model()"
            )
        pending: deque[tuple[str, list[str]]] = deque()

        def docs() -> Iterator[Doc]:
            for line in sentences:
                doc, originals = _pretokenise(nlp, line)
                pending.append((line, originals))
                yield doc

        with numpy_for_parsing():  # as the build parses (geokg.nlp_fast)
            for doc in nlp.pipe(docs(), batch_size=batch_size):
                line, originals = pending.popleft()
                view = build_view(doc)
                for tok, original in zip(view.toks, originals, strict=True):
                    tok.text = original
                yield self.extract_sentence(view, 0, len(view.toks), line)

    def extract_sentence(
        self, view: DepView, start: int, end: int, sentence: str
    ) -> list[OpenTuple]:
        """Return the tuples of tokens ``start``..``end-1`` of ``view``.

        Args:
            view: The normalised parse (:func:`~geokg.extractors._deps.build_view`).
            start: First token of the sentence.
            end: One past its last token.
            sentence: The sentence text to report in each tuple.
        """
        clauses: list[_Clause] = []
        folded: set[int] = set()
        for i in range(start, end):
            if i in folded or not self._is_predicate(view, i):
                continue
            clause = self._clause(view, i, folded)
            if clause is not None:
                clauses.append(clause)
        if self.appositions:
            clauses.extend(self._appositions(view, start, end))
        if self.possessives:
            clauses.extend(self._possessives(view, start, end))
        if self.split_conjuncts:
            clauses = [s for c in clauses for s in self._split(view, c)]
        out: list[OpenTuple] = []
        seen: set[tuple[str, tuple[str, ...]]] = set()
        for c in clauses:
            t = self._tuple(view, c, sentence)
            if t is None:
                continue
            key = (t.relation, t.args)
            if key in seen:
                continue
            seen.add(key)
            out.append(t)
        return out

    def _tuple(self, view: DepView, c: _Clause, sentence: str) -> OpenTuple | None:
        """The tuple of clause ``c`` with its confidence (lower with one argument or a very
        long one), or ``None`` when it has no relation, no subject or too low a confidence."""
        rel = " ".join(x for x in (c.literal, _text(view, sorted(c.rel)), _text(view, c.tail)) if x)
        args = [_text(view, c.subj)]
        args.extend(_text(view, a) for a in c.args if a)
        args = [a for a in args if a]
        if not rel or len(args) < 1 or not c.subj:
            return None
        conf = c.conf
        if len(args) < 2:
            conf -= 0.5
        longest = max(len(a.split()) for a in args)
        if longest > 10:
            conf -= min(0.2, 0.01 * (longest - 10))
        conf = round(max(0.01, min(1.0, conf)), 3)
        if conf < self.min_confidence:
            return None
        return OpenTuple(sentence=sentence, relation=rel, args=tuple(args), confidence=conf)

    # ------------------------------------------------------------------------------- predicates

    def _is_predicate(self, v: DepView, i: int) -> bool:
        tok = v.toks[i]
        if tok.dep in ("aux", "aux:pass", "cop", "amod", "compound", "case", "mark", "det"):
            return False
        if tok.pos in _VERBISH:
            return True
        return bool(v.kids(i, "cop"))

    def _clause(self, v: DepView, p: int, folded: set[int]) -> _Clause | None:
        tok = v.toks[p]
        conf = 0.9
        cop = v.kid(p, "cop")
        rel: list[int]
        args: list[list[int]] = []
        tail: list[int] = []
        heads = [p]  # tokens whose complements are arguments
        if cop is not None:
            # UD copula: "X is (in) Y" with Y the head.
            rel = [cop, *v.kids(p, *_AUX), *self._neg(v, p)]
            case = v.kids(p, "case")
            if case and tok.pos in ("NOUN", "PROPN", "PRON", "NUM"):
                tail = sorted(case)
                args.append(self._arg(v, p, drop=set(case) | self._predicate_parts(v, p)))
            elif tok.pos == "ADJ":
                rel.append(p)
                obls = [c for c in v.kids(p, *_OBL) if c > p]
                if obls:
                    first = obls[0]
                    fcase = v.kids(first, "case")
                    tail = sorted(fcase)
                    args.append(self._arg(v, first, drop=set(fcase)))
                    args.extend(self._arg(v, c) for c in obls[1:])
                else:
                    args.extend(self._arg(v, c) for c in v.kids(p, *_OBL))
            else:
                args.append(self._arg(v, p, drop=self._predicate_parts(v, p)))
            conf -= 0.05
        else:
            rel = self._verb_group(v, p)
            if tok.lemma == "be" and v.kids(p, *_OBJ):
                conf -= 0.05  # "X is Y" with a ClearNLP copula: scored as the UD shape is
            comp = self._folded_xcomp(v, p)
            if comp is not None:
                folded.add(comp)
                heads.append(comp)
                rel.extend(self._verb_group(v, comp))
                rel.extend(v.kids(comp, "mark"))
            args.extend(self._complements(v, heads, tail))
        subj, sconf = self._subject(v, p, args)
        if tok.dep in ("ccomp", "advcl", "csubj") and any(
            v.toks[c].lower in _OPEN_QUESTION for c in v.kids(p, "mark", "advmod", "obj", "nsubj")
        ):
            conf *= 0.8  # "whether X is Y", "how it will raise": not asserted
        if not subj:
            return None
        literal = ""
        if tok.dep == "acl" and tok.tag == "VBN" and not v.kids(p, *_AUX):
            literal = "is"  # "a form known as X": (a form, is known as, X)
        return _Clause(rel=rel, tail=tail, subj=subj, args=args, conf=conf * sconf, literal=literal)

    def _predicate_parts(self, v: DepView, p: int) -> set[int]:
        """Tokens under a nominal predicate that are not part of the predicate phrase."""
        drop: set[int] = set()
        for c in v.kids(p, *_SUBJ, "cop", *_AUX, "advcl", "parataxis", "mark", "expl"):
            drop.update(v.subtree(c))
        for c in v.kids(p, "conj"):
            if v.kids(c, *_SUBJ) or v.kids(c, "cop") or v.toks[c].pos in _VERBISH:
                drop.update(v.subtree(c))
                drop.update(v.kids(p, "cc"))
        drop.update(self._neg(v, p))
        return drop

    def _verb_group(self, v: DepView, p: int) -> list[int]:
        group = [p, *v.kids(p, *_AUX), *self._neg(v, p), *v.kids(p, *_PRT)]
        return sorted(set(group))

    def _neg(self, v: DepView, p: int) -> list[int]:
        return [c for c in v.kids(p, "advmod") if v.toks[c].lower in _NEG]

    def _folded_xcomp(self, v: DepView, p: int) -> int | None:
        """An infinitival complement folded into the relation: "wants to buy X"."""
        if v.kids(p, *_OBJ):
            return None
        for c in v.kids(p, "xcomp"):
            if v.toks[c].pos == "VERB" and not v.kids(c, *_SUBJ):
                return c
        return None

    def _complements(self, v: DepView, heads: list[int], tail: list[int]) -> list[list[int]]:
        """Objects and adverbials of the verb(s) in ``heads``, the object first.

        When there is no object, the preposition of the first prepositional phrase after the
        verb moves into ``tail`` (the end of the relation).
        """
        objs: list[list[int]] = []
        others: list[tuple[int, list[int]]] = []
        obls: list[int] = []
        for h in heads:
            for c in v.toks[h].children:
                dep = v.toks[c].dep
                if c in heads:
                    continue
                if dep in _OBJ:
                    objs.append(self._arg(v, c))
                elif dep in _OBL:
                    obls.append(c)
                elif dep in _OBL_BARE:
                    others.append((c, self._arg(v, c)))
                elif dep == "xcomp" and v.toks[c].pos not in _VERBISH:
                    objs.append(self._arg(v, c))
                elif dep in ("ccomp", "csubj") and dep == "ccomp":
                    marks = v.kids(c, "mark")
                    if not objs:
                        tail.extend(m for m in marks if v.toks[m].lower == "that")
                    objs.append(self._arg(v, c, drop=set(marks), keep_clauses=True))
        obls.sort()
        if not objs:
            self._promote_first_phrase(v, heads[0], objs, obls, tail)
        for c in obls:
            others.append((c, self._arg(v, c)))
        others.sort()
        return [*objs, *(a for _, a in others)]

    def _promote_first_phrase(
        self, v: DepView, main: int, objs: list[list[int]], obls: list[int], tail: list[int]
    ) -> None:
        """With no object, the first prepositional phrase after verb ``main`` moves from
        ``obls`` to ``objs``, its preposition to ``tail`` (in place)."""
        after = [c for c in obls if c > main]
        if after:
            first = after[0]
            case = v.kids(first, "case")
            if case:
                tail.extend(sorted(case))
                objs.append(self._arg(v, first, drop=set(case)))
                obls.remove(first)

    def _subject(self, v: DepView, p: int, args: list[list[int]]) -> tuple[list[int], float]:
        """The subject's tokens and a confidence factor; may add the antecedent to ``args``."""
        tok = v.toks[p]
        factor = 1.0
        for _ in range(6):
            subj = v.kids(p, *_SUBJ)
            if subj:
                s = subj[0]
                if v.toks[s].lower in _RELATIVE and v.toks[s].tag in _WH_TAGS:
                    host = self._relative_host(v, p)
                    if host is None:
                        return [], 0.0
                    return self._antecedent(v, v.toks[host].head, host), factor * 0.9
                if (
                    tok.dep == "acl:relcl"
                    and factor == 1.0
                    and not v.kids(p, *_OBJ)
                    and not any(v.toks[t].lower in _RELATIVE for t in v.subtree(s))
                ):
                    # "the house (that) he built": the antecedent is the object.
                    args.insert(0, self._antecedent(v, tok.head, p))
                return self._np(v, s), factor
            if tok.dep == "conj" and tok.head != p:
                factor *= 0.95
            elif tok.dep in ("acl:relcl", "acl") and tok.head != p:
                factor *= 0.85 if tok.dep == "acl:relcl" else 0.75
                return self._antecedent(v, tok.head, p), factor
            elif tok.dep == "xcomp" and tok.head != p:
                factor *= 0.9
            elif tok.dep == "advcl" and tok.head != p and tok.tag in ("VBG", "VBN"):
                factor *= 0.8
            else:
                break
            p = tok.head
            tok = v.toks[p]
        return [], 0.0

    def _relative_host(self, v: DepView, p: int) -> int | None:
        """The relative clause a relative pronoun's clause belongs to."""
        for a in [p, *v.ancestors(p)]:
            if v.toks[a].dep == "acl:relcl":
                return a
        return None

    def _antecedent(self, v: DepView, n: int, clause: int) -> list[int]:
        """The noun phrase a modifier clause hangs on, without that clause.

        When the noun is itself the predicate of a copula ("X is a player who ..."), the
        copula's subject stands for it.
        """
        if v.kids(n, "cop"):
            subj = v.kids(n, *_SUBJ)
            if subj:
                return self._np(v, subj[0])
        return self._np(v, n, drop=set(v.subtree(clause)))

    def _np(self, v: DepView, n: int, *, drop: set[int] | None = None) -> list[int]:
        """A noun phrase argument without its preposition ("about two men" → "two men")."""
        return self._arg(v, n, drop=set(drop or ()) | set(v.kids(n, "case")))

    def _arg(
        self, v: DepView, head: int, *, drop: set[int] | None = None, keep_clauses: bool = False
    ) -> list[int]:
        """Tokens of the argument headed by ``head``: its subtree without sub-clauses."""
        removed = set(drop or ())
        for c in v.toks[head].children:
            dep = v.toks[c].dep
            clause = dep in _ARG_DROP and not (keep_clauses and dep != "punct")
            if clause or (dep == "conj" and (v.kids(c, *_SUBJ) or v.kids(c, "cop"))):
                removed.update(v.subtree(c))
        toks = [t for t in v.subtree(head) if t not in removed]
        return _trim(v, toks)

    def _appositions(self, v: DepView, start: int, end: int) -> Iterator[_Clause]:
        for i in range(start, end):
            tok = v.toks[i]
            if tok.dep != "appos" or tok.head == i or v.toks[tok.head].pos not in ("PROPN",):
                continue
            head = self._np(v, tok.head, drop=set(v.subtree(i)))
            desc = self._arg(v, i)
            if head and desc:
                yield _Clause(rel=[], tail=[], subj=head, args=[desc], conf=0.7, literal="is")

    def _split(self, v: DepView, c: _Clause) -> list[_Clause]:
        """The clause, plus one copy per conjunct of its first complement."""
        if not c.args or not c.args[0]:
            return [c]
        arg = c.args[0]
        inside = set(arg)
        roots = [t for t in arg if v.toks[t].head not in inside or v.toks[t].head == t]
        if len(roots) != 1:
            return [c]
        root = roots[0]
        conjs = [
            j
            for j in v.conjuncts(root)
            if j != root
            and j in inside
            and v.toks[j].pos not in _VERBISH
            and not v.kids(j, *_SUBJ, "cop")
        ]
        if not conjs:
            return [c]
        out = [c]
        for j in [root, *conjs]:
            drop: set[int] = set()
            for k in conjs:
                if k != j:
                    drop.update(v.subtree(k))
            drop.update(x for k in (root, *conjs) for x in v.kids(k, "cc", "punct"))
            if j == root:
                piece = [t for t in arg if t not in drop]
            else:
                piece = [t for t in v.subtree(j) if t not in drop]
                piece = [t for t in arg if t in set(piece)]
            piece = _trim(v, piece)
            if piece and piece != arg:
                out.append(
                    _Clause(
                        rel=c.rel,
                        tail=c.tail,
                        subj=c.subj,
                        args=[piece, *c.args[1:]],
                        conf=c.conf - 0.2,
                        literal=c.literal,
                    )
                )
        return out

    def _possessives(self, v: DepView, start: int, end: int) -> Iterator[_Clause]:
        for i in range(start, end):
            tok = v.toks[i]
            if tok.dep != "nmod:poss" or tok.head == i or tok.pos == "PRON":
                continue
            owner = self._arg(v, i, drop={c for c in v.kids(i, "case") if c > i})
            owned = self._np(v, tok.head, drop=set(v.subtree(i)))
            if owner and owned:
                yield _Clause(rel=[], tail=[], subj=owner, args=[owned], conf=0.3, literal="has")


def _trim(v: DepView, toks: list[int]) -> list[int]:
    """Drop punctuation, conjunctions and relative pronouns at the edges."""
    edge = ("punct", "cc")
    while toks and v.toks[toks[0]].dep in edge:
        toks = toks[1:]
    while toks and v.toks[toks[-1]].dep in edge:
        toks = toks[:-1]
    return toks


def _text(v: DepView, toks: list[int]) -> str:
    """Text of the tokens, with their original spacing where they are adjacent."""
    parts: list[str] = []
    for k, t in enumerate(toks):
        parts.append(v.toks[t].text)
        if k + 1 < len(toks):
            nxt = toks[k + 1]
            parts.append(v.toks[t].ws if nxt == t + 1 else " ")
    return "".join(parts).strip()


def _pretokenise(nlp: Language, line: str) -> tuple[Doc, list[str]]:
    """A Doc of ``line`` split on whitespace then by the tokenizer, and the original tokens."""
    from spacy.tokens import Doc

    words: list[str] = []
    spaces: list[bool] = []
    originals: list[str] = []
    for chunk in line.split():
        if chunk in PTB_ESCAPES:
            pieces = [chunk]
        else:
            pieces = [t.text for t in nlp.tokenizer(chunk)] or [chunk]
        for k, piece in enumerate(pieces):
            originals.append(piece)
            words.append(PTB_ESCAPES.get(piece, piece))
            spaces.append(k == len(pieces) - 1)
    if spaces:
        spaces[-1] = False
    return Doc(nlp.vocab, words=words, spaces=spaces), originals
