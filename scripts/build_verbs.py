"""Generate ``geokg/data/verbs_cameo.tsv`` from PETRARCH's CAMEO verb dictionary ``CAMEO.2.0.txt``.

The output has the columns of the curated ``verbs.tsv`` (``lemma object_heads detail cameo
source``) and is read after it by :func:`geokg.events.verb_rules`: a lemma that ``verbs.tsv``
knows is never coded from this table. Only facts (verbs, object words, codes) are taken from
``CAMEO.2.0.txt`` (MIT, (c) 2015 Open Event Data Alliance); the file itself is never copied.

What is read:

* Synonym sets (``&NAME`` followed by ``+MEMBER`` lines) at the top of the file.
* Verb blocks ``---  VERB   [code]  ---``: the block's verbs are the head (when it is one word;
  multi-word heads such as ``GO_SOMEWHERE`` are block labels) and its synonym lines (``WORD``,
  ``WORD {INFLECTIONS}``, ``WORD [own code]``, ``+MULTI_WORD [code]``; inflections are ignored).
  Each verb gets a plain row with the block's default code, or its own code when it has one.
  A block whose default is ``[---]`` gives no plain rows.
* Pattern lines ``- * ... [code]`` of these forms only, each giving one row per verb of the block:

  - ``- * WORD``: object head ``word`` (singular form, see :func:`singular`); a ``MULTI_WORD``
    noun keeps its last word.
  - ``- * &SYNSET``: one object row per one-word member of the synonym set.
  - ``- * {W1 W2}``: a noun phrase; the object head is its last word (or that synset's members).
  - ``- * (PREP WORDS)``: ``detail`` = the words after the preposition (the extractor's detail is
    the "of Z" complement, so "(OF RACE)" must match "of the race"); a synset as the only word
    gives one detail row per member.
  - ``- * (PREP)`` and ``- * PARTICLE`` (UP, DOWN, OFF, AT, ... see :data:`PARTICLES`): a
    phrasal lemma "verb prep" with a plain row ("rush to", "burn down", "fire at"), the form in
    which the extractor names such relations. Only one-word verbs outside :data:`STOP_LEMMAS`
    are combined this way.

  Anything else is skipped and counted: words before ``*`` (subject-side context), several
  constituents, ``$``/``+``/``^``/``%`` markers, and codes that are missing or unknown.

Codes: ``[A:B]`` keeps ``A`` (``[:B]`` has no code for the subject and is skipped); a code must be
in ``geokg/data/cameo.tsv``. ``[---]`` on a pattern or on a synonym of a coded block is written
as ``---``: an explicit "no event" that beats the lemma's plainer rules.

Rows are keyed by ``(lemma, one object head, one detail phrase)``; the first row of a key wins (in
file order within the precedence tiers of :data:`TIERS`) and later rows with another code are
counted as conflicts. Plain rows of the light and auxiliary verbs in :data:`STOP_LEMMAS` are
dropped. Keys of one lemma, code and block are then written as one row with a ``|`` list.

Usage::

    .venv/bin/python scripts/build_verbs.py [--shared ../shared/data] [--out PATH] [--check]

``--check`` regenerates in memory and exits 1 when the committed file differs.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from geokg._io import write_or_check
from geokg.events import cameo_codes

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "geokg" / "data"
DEFAULT_SHARED = ROOT / ".." / "shared" / "data"
DEFAULT_OUT = DATA / "verbs_cameo.tsv"
SOURCE_NAME = "CAMEO.2.0.txt"

#: Auxiliary and light verbs that get no plain rule (a row with an object head or detail is kept).
#: CAMEO.2.0 files SAY/TELL under EXPLAIN_VERBAL [010], GIVE under GRANT [060], TAKE under
#: APPREHEND [171], GO under GO_SOMEWHERE [040] ...: far too broad for a relation lemma. The same
#: verbs are not combined with a bare preposition or particle ("go for", "take down").
STOP_LEMMAS: frozenset[str] = frozenset(
    {
        *("be", "have", "do", "will", "would", "say", "tell", "make", "take", "give", "get"),
        *("go", "come", "see", "know", "think", "want", "can", "could", "may", "might"),
        *("must", "shall", "should"),
    }
)

#: Particles and prepositions written as the only word after the verb: ``- * DOWN [1712]`` under
#: BURN is the phrasal verb "burn down", ``- * AT [190]`` under FIRE is "fire at".
PARTICLES: frozenset[str] = frozenset(
    {
        *("up", "down", "off", "out", "away", "back", "over", "forth", "aside", "forward"),
        *("ahead", "apart", "at", "against", "on", "to", "with", "into", "for", "from"),
        *("across", "about", "upon"),
    }
)

_WORD = re.compile(r"[A-Z][A-Z'-]*(?:_[A-Z'-]+)*_?")
_PATTERN = re.compile(r"^-\s*(?P<body>.*?)\s*\[(?P<code>[^\]]*)\]\s*$")
_HEADER = re.compile(r"^--+\s+(?P<verb>\S+)\s+\[(?P<code>[^\]]*)\]\s*---")
_SYNONYM = re.compile(
    r"^(?P<word>\+?[A-Z][A-Z'_-]*)\s*(?:\{[^}]*\})?\s*(?:\[(?P<code>[^\]]*)\])?\s*$"
)


@dataclass
class Block:
    """One verb block: its default code, its verbs (with own codes) and its pattern lines."""

    name: str
    default: str
    verbs: list[tuple[str, str, bool]] = field(default_factory=list)  # (lemma, code, explicit)
    patterns: list[tuple[str, str]] = field(default_factory=list)  # (body, code text)


@dataclass
class Build:
    """Generated rows (in file order) and the counts printed by :func:`main`."""

    rows: dict[tuple[str, str, str], tuple[str, str]] = field(default_factory=dict)
    stats: Counter[str] = field(default_factory=Counter)


def _strip_comment(line: str) -> str:
    """The line without its ``#`` comment (a few synonym lines use ``;`` instead)."""
    return re.split(r"#|;", line, maxsplit=1)[0].rstrip()


def _word(token: str) -> str:
    """``PRIME_MINISTER_`` → ``prime minister`` (``_`` joins words; a trailing one stops stemming)."""
    return token.strip("+").strip("_").replace("_", " ").lower()


def singular(word: str) -> str:
    """The singular of a plural noun, as one of the forms ``geokg.events._singular`` tries.

    >>> [singular(w) for w in ("sanctions", "embassies", "clashes", "talks", "news", "process")]
    ['sanction', 'embassy', 'clash', 'talk', 'news', 'process']
    """
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes", "zes")) and len(word) > 4:
        return word[:-2]
    if word.endswith(("ss", "us", "is", "ws", "ics")):
        return word
    if word.endswith("s") and len(word) > 3:
        return word[:-1]
    return word


def parse_code(text: str, codes: set[str]) -> tuple[str | None, str]:
    """The code to write for ``[text]`` and, when there is none, why ('' when there is one)."""
    text = text.strip()
    if text == "---":
        return "---", ""
    first = text.split(":", 1)[0].strip()
    if not first:
        return None, "code: no code for the subject ([:B])"
    if first not in codes:
        return None, "code: not in cameo.tsv"
    return first, ""


def parse(text: str, unparsed: list[str]) -> tuple[dict[str, list[str]], list[Block]]:
    """The synonym sets and verb blocks of ``CAMEO.2.0.txt``; odd lines go to ``unparsed``."""
    synsets: dict[str, list[str]] = {}
    blocks: list[Block] = []
    current_set: str | None = None
    block: Block | None = None
    for raw in text.splitlines():
        if raw.startswith("######## TRANSFORMATIONS"):
            break
        line = _strip_comment(raw)
        if not line.strip():
            continue
        header = _HEADER.match(line)
        if header:
            current_set = None
            block = Block(name=header["verb"], default=header["code"].strip())
            blocks.append(block)
            if "_" not in header["verb"].strip("_"):
                block.verbs.append((_word(header["verb"]), block.default, False))
            continue
        if block is None:
            if line.startswith("&"):
                current_set = line.split()[0]
                synsets[current_set] = []
            elif line.startswith("+") and current_set is not None:
                synsets[current_set].append(_word(line.split()[0]))
            continue
        if line.startswith("-"):
            m = _PATTERN.match(line)
            block.patterns.append((m["body"], m["code"]) if m else (line[1:].strip(), ""))
            continue
        syn = _SYNONYM.match(line.strip())
        if syn is None:
            unparsed.append(line.strip())
            continue
        lemma = _word(syn["word"])
        own = syn["code"]
        verb = (lemma, own.strip(), True) if own is not None else (lemma, block.default, False)
        if all(v[0] != lemma for v in block.verbs):
            block.verbs.append(verb)
        elif own is not None:  # the head repeated with its own code ("ASK [020]" under ASK)
            block.verbs = [verb if v[0] == lemma else v for v in block.verbs]
    return synsets, blocks


@dataclass(frozen=True)
class Target:
    """What one pattern adds to each verb of its block."""

    kind: str
    heads: tuple[str, ...] = ()
    details: tuple[str, ...] = ()
    suffix: str = ""  # preposition or particle appended to the verb


def classify(body: str, synsets: dict[str, list[str]], stats: Counter[str]) -> Target | None:
    """The :class:`Target` of a pattern body (``* SANCTIONS``), or ``None`` when skipped."""
    before, star, after = body.partition("*")
    if not star:
        stats["skipped: no verb slot"] += 1
        return None
    if before.strip():
        stats["skipped: words before the verb (subject context)"] += 1
        return None
    rest = after.strip()
    if not rest:
        stats["skipped: nothing after the verb"] += 1
        return None
    if _WORD.fullmatch(rest):
        word = _word(rest)
        if word in PARTICLES:
            return Target(kind="particle", suffix=word)
        return Target(kind="word", heads=(singular(word.split()[-1]),))
    if rest.startswith("&") and rest[1:] and _WORD.fullmatch(rest[1:]):
        return _synset_heads(rest, synsets, stats)
    brace = re.fullmatch(r"\{([^{}()]*)\}", rest)
    if brace:
        words = brace[1].split()
        if words and words[-1].startswith("&"):
            return _synset_heads(words[-1], synsets, stats, kind="noun phrase")
        if words and all(_WORD.fullmatch(w) for w in words):
            return Target(kind="noun phrase", heads=(singular(_word(words[-1]).split()[-1]),))
    paren = re.fullmatch(r"\(([^()]*)\)", rest)
    if paren:
        inner = paren[1].replace("{", " ").replace("}", " ").split()
        if inner and _WORD.fullmatch(inner[0]):
            prep, words = _word(inner[0]), inner[1:]
            if not words:
                return Target(kind="preposition", suffix=prep)
            if len(words) == 1 and words[0].startswith("&"):
                members = [m for m in synsets.get(words[0], []) if m]
                if members:
                    return Target(kind="prepositional phrase", details=tuple(members))
            elif all(_WORD.fullmatch(w) for w in words):
                phrase = [_word(w) for w in words]
                phrase[-1] = _detail_singular(phrase[-1])
                return Target(kind="prepositional phrase", details=(" ".join(phrase),))
    stats["skipped: complex object (several parts, markers, mixed synsets)"] += 1
    return None


def _detail_singular(word: str) -> str:
    """Drop a plural "s": the detail regex of ``code_event`` accepts an optional "s" again."""
    if word.endswith("s") and not word.endswith(("ss", "us", "is", "ws")) and len(word) > 3:
        return word[:-1]
    return word


def _synset_heads(
    name: str, synsets: dict[str, list[str]], stats: Counter[str], kind: str = "synset"
) -> Target | None:
    members = synsets.get(name)
    if not members:
        stats["skipped: unknown synset"] += 1
        return None
    single = [m for m in members if " " not in m]
    stats["synset members skipped, several words (per pattern use)"] += len(members) - len(single)
    return Target(kind=kind, heads=tuple(singular(m) for m in single)) if single else None


#: Precedence of the row kinds when two rows share a key (file order decides within a kind's
#: tier): a verb's own code, then exact object words, synsets and prepositional phrases, then
#: the looser readings (a noun phrase reduced to its last word, a phrasal verb made from a bare
#: preposition or particle). "- * AID [162]" thus beats "- * {HUMANITARIAN AID} [1623]".
TIERS: dict[str, int] = {
    "plain": 0,
    "word": 1,
    "synset": 1,
    "prepositional phrase": 1,
    "noun phrase": 2,
    "particle": 2,
    "preposition": 2,
}


def build(text: str, codes: set[str]) -> Build:
    """Rows of ``verbs_cameo.tsv`` from the text of ``CAMEO.2.0.txt``."""
    out = Build()
    unparsed: list[str] = []
    synsets, blocks = parse(text, unparsed)
    out.stats["verb blocks"] = len(blocks)
    out.stats["synonym lines not understood (skipped)"] = len(unparsed)
    rows: list[tuple[int, int, str, str, str, str, str, str]] = []

    def emit(kind: str, lemma: str, head: str, detail: str, code: str, source: str) -> None:
        rows.append((TIERS[kind], len(rows), kind, lemma, head, detail, code, source))

    for block in blocks:
        source = f"CAMEO.2.0 {block.name} block"
        default, why = parse_code(block.default, codes)
        if why:
            out.stats[f"block default skipped: {why}"] += 1
        for lemma, code_text, explicit in block.verbs:
            code, why = parse_code(code_text, codes)
            if code is None:
                out.stats[f"verb skipped: {why}"] += 1
            elif code == "---" and (not explicit or default in (None, "---")):
                pass  # a block (or a synonym inside a block) without a code gives no plain rule
            else:
                emit("plain", lemma, "", "", code, source)
        for body, code_text in block.patterns:
            code, why = parse_code(code_text, codes) if code_text else (None, "code: missing")
            if code is None:
                out.stats[f"skipped: {why}"] += 1
                continue
            if any(ch in body for ch in "$+^%|"):
                out.stats["skipped: complex object (several parts, markers, mixed synsets)"] += 1
                continue
            target = classify(body, synsets, out.stats)
            if target is None:
                continue
            out.stats[f"patterns used: {target.kind}"] += 1
            for lemma, _, _ in block.verbs:
                if target.suffix and " " not in lemma and lemma not in STOP_LEMMAS:
                    emit(target.kind, f"{lemma} {target.suffix}", "", "", code, source)
                for head in target.heads:
                    emit(target.kind, lemma, head, "", code, source)
                for detail in target.details:
                    emit(target.kind, lemma, "", detail, code, source)
    for _, _, kind, lemma, head, detail, code, source in sorted(rows):
        _add(out, lemma, head, detail, code, source, kind)
    return out


def _add(out: Build, lemma: str, head: str, detail: str, code: str, source: str, kind: str) -> None:
    if not head and not detail and lemma in STOP_LEMMAS:
        out.stats["rows dropped: stop-list lemma without object or detail"] += 1
        return
    key = (lemma, head, detail)
    seen = out.rows.get(key)
    if seen is None:
        out.rows[key] = (code, source)
    elif seen[0] != code:
        out.stats[f"conflicts: same key, other code (first kept) [{kind}]"] += 1
    else:
        out.stats["duplicates: same key and code"] += 1


def render(result: Build) -> str:
    """Text of ``verbs_cameo.tsv``: comment header, column header, rows sorted as text.

    Keys that share lemma, code and verb block are written as one row with a ``|`` list of object
    heads (or of detail phrases), as in ``verbs.tsv``; keys are unique, so no object head or detail
    phrase of a lemma is in two rows.
    """
    groups: dict[tuple[str, str, str, str], set[str]] = {}
    for (lemma, head, detail), (code, source) in result.rows.items():
        column = "head" if head else "detail" if detail else "plain"
        groups.setdefault((lemma, column, code, source), set()).add(head or detail)
    rows = []
    for (lemma, column, code, source), words in groups.items():
        cell = "|".join(sorted(words))
        heads, detail = (cell, "") if column == "head" else ("", cell)
        rows.append("\t".join((lemma, heads, detail, code, source)))
    rows.sort()
    comments = [
        "# CAMEO verb rules generated from PETRARCH's CAMEO.2.0.txt verb dictionary (MIT License,",
        "# Copyright (c) 2015 Open Event Data Alliance; facts only, the file is not copied). Read",
        "# after verbs.tsv: a lemma with any rule in verbs.tsv ignores this file. cameo '---' = no",
        "# event. Do not edit: regenerate with .venv/bin/python scripts/build_verbs.py",
        "lemma\tobject_heads\tdetail\tcameo\tsource",
    ]
    return "\n".join(comments + rows) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write (or ``--check``) ``verbs_cameo.tsv`` and print what was generated and skipped."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--quiet", action="store_true", help="do not print the counts")
    args = parser.parse_args(argv)
    path = args.shared / "cameo_dictionaries" / SOURCE_NAME
    text = path.read_text(encoding="latin-1")
    result = build(text, set(cameo_codes()))
    output = render(result)
    if not args.quiet:
        print(f"keys (lemma, object head, detail): {len(result.rows)}")
        print(f"rows written: {len(output.splitlines()) - 5}")
        for key, value in sorted(result.stats.items()):
            print(f"{key}: {value}")
    return 0 if write_or_check(args.out, output, check=args.check, label=str(args.out)) else 1


if __name__ == "__main__":
    raise SystemExit(main())
