"""Web-debris removal, paragraph assembly and paragraph de-duplication.

The debris patterns are data: module-level tuples of ``(kind, compiled regex)``. Each one must
match a whole (stripped) line, so a pattern can never eat part of a sentence. What is removed:

* line debris (``debris_lines``): comment widgets, share/tweet/follow furniture, newsletter and
  app promotions, "Try our AI features" style promotions, cookie and advert labels, relative
  timestamps ("3 minutes ago"), bylines ("By ..."), bare "Published"/"Last updated" lines and
  "Read more: <link>" lines;
* ``related_blocks``: a bare "Related Articles" / "Read more" / "More from ..." heading that
  follows some article text cuts everything after it; the count is the number of story blocks
  (groups of lines separated by a blank line) cut, at least one; ``related_lines`` counts lines;
* ``twitter_links``: ``pic.twitter.com/...`` links inside a line (the rest of the line, and the
  embedded tweet's signature line ``— Name (@handle) May 12, 2025``, are kept: extractors
  attribute the quote to it);
* ``duplicate_paragraphs``: a paragraph repeated within the document (kept once);
  ``cross_document_duplicates``: a paragraph already seen in an earlier document.

Photo captions and credits ("... (Leon Neal/PA)") are kept: they often state facts.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Final

from geokg.ingest._report import IngestOptions

__all__ = [
    "DEBRIS_PATTERNS",
    "LINK_PATTERNS",
    "RELATED_HEADINGS",
    "clean_text",
    "debris_kind",
    "is_related_heading",
    "longest_sentence",
    "looks_english",
    "looks_like_headline",
    "normalise_newlines",
    "paragraph_key",
    "split_headline",
]

_I = re.IGNORECASE

# Every pattern is used with ``fullmatch`` on a stripped line of at most _MAX_DEBRIS_CHARS.
DEBRIS_PATTERNS: Final[tuple[tuple[str, re.Pattern[str]], ...]] = (
    # comment widgets
    ("comments", re.compile(r"(?:\d+\s+)?comments?(?:\s*\(\d+\))?\s*:?", _I)),
    ("comments", re.compile(r"no comments(?:\s+yet)?\s*[.…!]*", _I)),
    (
        "comments",
        re.compile(
            r"(?:be the first to comment|leave a (?:comment|reply)|add (?:a|your) comment"
            r"|post a comment|(?:view|show|load|read|see)(?: all| more)? comments)\b.*",
            _I,
        ),
    ),
    ("comments", re.compile(r"(?:sorry,?\s+)?(?:we are|we're) not accepting comments\b.*", _I)),
    ("comments", re.compile(r"comments (?:are|have been) (?:closed|disabled|turned off)\b.*", _I)),
    ("comments", re.compile(r"commenting (?:is|has been) (?:closed|disabled)\b.*", _I)),
    ("comments", re.compile(r"join the (?:conversation|discussion|debate)\b.{0,60}", _I)),
    ("comments", re.compile(r"(?:log|sign) in to (?:comment|reply)\b.*", _I)),
    # share / tweet / follow furniture
    (
        "share",
        re.compile(
            r"share(?: this| the)?(?: article| story| page| post)?"
            r"(?: (?:on|via|to) [\w ]{1,20})?\s*:?",
            _I,
        ),
    ),
    ("share", re.compile(r"(?:click|tap) to (?:share|email|print|tweet)\b.*", _I)),
    (
        "share",
        re.compile(
            r"(?:tweet|email|print|copy link|copy|whatsapp|facebook|twitter|x|linkedin|reddit"
            r"|pinterest|telegram|bluesky|messenger)(?: this(?: article| story)?)?",
            _I,
        ),
    ),
    ("share", re.compile(r"follow us on\b.{1,60}", _I)),
    (
        "newsletter",
        re.compile(
            r"(?:sign up|subscribe|register)(?: now)? (?:to|for) (?:our|the)\b.{0,50}"
            r"newsletters?\b.*",
            _I,
        ),
    ),
    ("newsletter", re.compile(r"(?:download|get) (?:our|the) app\b.{0,60}", _I)),
    # site promotions and labels
    ("promo", re.compile(r"(?:try|explore|discover|use) (?:our|the) ai\b.{0,30}", _I)),
    (
        "promo",
        re.compile(r"(?:explore|discover|see) what .{1,40}\bai can do(?: for you)?\s*:?", _I),
    ),
    ("promo", re.compile(r"advertisement|advert|sponsored(?: content)?|promoted(?: content)?", _I)),
    ("promo", re.compile(r"skip to (?:main )?content|skip (?:this )?ad", _I)),
    ("promo", re.compile(r"listen to this article\b.{0,30}", _I)),
    (
        "promo",
        re.compile(
            r"(?:we use cookies|this (?:site|website) uses cookies|accept (?:all )?cookies)\b.*", _I
        ),
    ),
    # relative timestamps of story teasers
    (
        "timestamp",
        re.compile(
            r"(?:\d+|an?|one)\s+(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?)\s+ago"
            r"|just now",
            _I,
        ),
    ),
    # bylines and bare publication furniture (dates are read before cleaning)
    ("byline", re.compile(r"(?:By|BY)\s+(?:[a-z]+\s+)?[A-Z][\w.'’&, -]{1,70}(?<![.!?])")),
    (
        "byline",
        re.compile(
            r"(?:first\s+)?(?:published|posted|updated|last updated|last modified)"
            r"(?:\s*:?\s*(?:on\s+)?[\w,:./ ]*\d[\w,:./ ]*)?",
            _I,
        ),
    ),
    ("byline", re.compile(r"(?:Additional )?(?:Reporting|Editing|Writing) by [A-Z].{0,100}")),
    ("byline", re.compile(r"image (?:source|copyright)\s*,.{0,80}", _I)),
    # markdown rules and similar separators
    ("furniture", re.compile(r"[-*_=~#]{3,}")),
)

# A link line: "Read more: <headline>" -- removed as a line, it does not cut the article.
LINK_PATTERNS: Final[tuple[re.Pattern[str], ...]] = (
    re.compile(
        r"(?:read more|read next|see also|also read|related|more on this story)"
        r"\s*[:|>»-]\s*.{1,150}",
        _I,
    ),
)

# A bare heading that starts a block of teasers for other stories: everything after it is cut.
RELATED_HEADINGS: Final[tuple[re.Pattern[str], ...]] = (
    re.compile(
        r"(?:related|recommended|similar|more|popular|trending|top|latest|other)\s+"
        r"(?:articles|stories|news|content|reads|posts|links|coverage|videos)"
        r"(?:\s+for you)?\s*:?",
        _I,
    ),
    re.compile(
        r"(?:read more|more from .{1,40}|more on this (?:story|topic)"
        r"|you (?:may|might) (?:also )?(?:like|enjoy|be interested in)|recommended(?: for you)?"
        r"|most (?:read|popular|viewed|shared)|trending(?: now)?|around the web"
        r"|what to read next|further reading|also read)\s*:?",
        _I,
    ),
)

_MAX_DEBRIS_CHARS = 200
_MAX_HEADING_CHARS = 60
_SUBSTANTIAL_LINE = 80  # a related heading only cuts after at least one line this long
_PIC_TWITTER = re.compile(r"\s*\b(?:https?://)?pic\.twitter\.com/\S*")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u200e\u200f\ufeff]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_TERMINAL = ".!?:;\"'”’)]…"
_SENTENCE_RUN = re.compile(r"[^.!?…\n]+")
_WORD = re.compile(r"[^\W\d_]+")
_INNER_SENTENCE_END = re.compile(r"[a-z]{2}[.!?]\s+[A-Z0-9\"“‘']")
_DATELINE_START = re.compile(r"^[A-Z][A-Z .'’-]{2,40}(?:\s*\([^)]{1,40}\))?\s*[,—–-]")

_EN_COMMON = frozenset(
    [
        "the",
        "of",
        "and",
        "to",
        "in",
        "is",
        "that",
        "for",
        "on",
        "with",
        "as",
        "was",
        "by",
        "at",
        "he",
        "it",
        "said",
        "from",
        "his",
        "be",
        "are",
        "has",
        "have",
        "an",
        "not",
        "will",
        "this",
        "which",
        "were",
        "but",
        "they",
        "who",
        "their",
        "its",
        "had",
        "been",
        "or",
        "after",
        "we",
        "she",
        "her",
        "would",
        "you",
        "more",
        "than",
        "also",
        "about",
        "over",
        "into",
        "there",
        "one",
        "two",
        "new",
        "says",
    ]
)
# Very common words of other languages news arrives in (German, French, Spanish, Italian,
# Portuguese, Dutch), none of them English words.
_OTHER_COMMON = frozenset(
    [
        "der",
        "die",
        "das",
        "und",
        "ist",
        "nicht",
        "mit",
        "den",
        "sich",
        "auf",
        "dem",
        "für",
        "ein",
        "eine",
        "sie",
        "wird",
        "auch",
        "nach",
        "wie",
        "le",
        "la",
        "les",
        "des",
        "est",
        "une",
        "pour",
        "dans",
        "qui",
        "que",
        "sur",
        "pas",
        "par",
        "avec",
        "ont",
        "été",
        "du",
        "au",
        "el",
        "los",
        "las",
        "del",
        "por",
        "una",
        "con",
        "para",
        "su",
        "se",
        "lo",
        "al",
        "como",
        "más",
        "pero",
        "sus",
        "fue",
        "il",
        "della",
        "di",
        "che",
        "per",
        "non",
        "sono",
        "gli",
        "nel",
        "alla",
        "una",
        "os",
        "uma",
        "não",
        "com",
        "dos",
        "das",
        "ao",
        "pelo",
        "pela",
        "foi",
        "são",
        "het",
        "een",
        "van",
        "niet",
        "zijn",
        "voor",
        "met",
        "werd",
        "ook",
        "bij",
        "naar",
        "dat",
    ]
)


def normalise_newlines(text: str) -> str:
    r"""Return ``text`` in NFC with ``\n`` newlines, no control characters, no trailing spaces.

    >>> normalise_newlines("a\r\nb \rc\u2029d\x00")
    'a\nb\nc\nd'
    """
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n").replace("\x85", "\n")
    text = _CONTROL.sub("", text)
    return "\n".join(line.rstrip() for line in text.split("\n"))


def debris_kind(line: str) -> str | None:
    """Return the kind of debris ``line`` is (``comments``, ``share``, ...), or ``None``.

    >>> debris_kind("Click to share on Twitter (Opens in new window)")
    'share'
    >>> debris_kind("Read more: Leaders meet in Rome")
    'link'
    >>> debris_kind("The minister said the talks would resume.") is None
    True
    """
    if len(line) > 2 * _MAX_DEBRIS_CHARS:
        return None
    stripped = _SPACES.sub(" ", line.strip())
    if not stripped or len(stripped) > _MAX_DEBRIS_CHARS:
        return None
    for kind, pattern in DEBRIS_PATTERNS:
        if pattern.fullmatch(stripped):
            return kind
    if any(p.fullmatch(stripped) for p in LINK_PATTERNS):
        return "link"
    return None


def is_related_heading(line: str) -> bool:
    """Whether ``line`` is a bare heading of a related-stories block.

    >>> is_related_heading("Related Articles"), is_related_heading("More from Europe:")
    (True, True)
    >>> is_related_heading("More stories about the summit were published on Monday.")
    False
    """
    if len(line) > 2 * _MAX_HEADING_CHARS:
        return False
    stripped = _SPACES.sub(" ", line.strip())
    if not stripped or len(stripped) > _MAX_HEADING_CHARS:
        return False
    return any(p.fullmatch(stripped) for p in RELATED_HEADINGS)


def paragraph_key(paragraph: str) -> int:
    """Return a 64-bit digest of a paragraph, insensitive to case and spacing.

    Only these 8-byte keys are kept for de-duplication across documents, so memory stays small.

    >>> paragraph_key("Talks  resumed.") == paragraph_key("talks resumed.")
    True
    """
    norm = " ".join(paragraph.casefold().split())
    return int.from_bytes(hashlib.blake2b(norm.encode("utf-8"), digest_size=8).digest(), "big")


def looks_like_headline(line: str) -> bool:
    """Whether ``line`` reads like a headline: short, capitalised, no final period, no dateline.

    >>> looks_like_headline("Minister accuses rival of stalling border talks")
    True
    >>> looks_like_headline("The talks resumed on Monday.")
    False
    >>> looks_like_headline("Talks resumed on Monday. Then they stopped again")
    False
    >>> looks_like_headline("LONDON, May 12, 2025 — Ministers met")
    False
    """
    stripped = line.strip()
    words = stripped.split()
    if not 1 <= len(words) <= 25 or len(stripped) > 200:
        return False
    if stripped[-1] in ".,;:" or not _WORD.search(stripped):
        return False
    if stripped[0].islower() or _DATELINE_START.match(stripped):
        return False
    if _INNER_SENTENCE_END.search(stripped):
        return False
    return debris_kind(stripped) is None and not is_related_heading(stripped)


def split_headline(lines: Sequence[str]) -> tuple[str | None, int | None]:
    """Find the headline of a plain-text article.

    The first non-empty line is the headline when it looks like one and more text follows. A
    very short first line (at most four words) followed by another headline-like line is taken
    for the site's masthead ("Express & Star"): the second line is the headline and the index of
    the masthead line is returned so the caller can drop it.

    Returns:
        ``(headline or None, index of a masthead line to drop or None)``.

    >>> split_headline(["", "Leaders meet in Rome", "The leaders met on Monday."])
    ('Leaders meet in Rome', None)
    >>> split_headline(["Daily News", "", "Leaders meet in Rome", "They met."])
    ('Leaders meet in Rome', 0)
    >>> split_headline(["The leaders met on Monday.", "More."])
    (None, None)
    """
    filled = [i for i, line in enumerate(lines) if line.strip()]
    if len(filled) < 2:
        return None, None
    first = _SPACES.sub(" ", lines[filled[0]].strip())
    if not looks_like_headline(first):
        return None, None
    if len(filled) >= 3 and len(first.split()) <= 4:
        second = _SPACES.sub(" ", lines[filled[1]].strip())
        if looks_like_headline(second) and len(second) > len(first):
            return second, filled[0]
    return first, None


def looks_english(text: str) -> bool:
    """Guess whether ``text`` is English.

    Text mostly in a non-Latin script is not; Latin-script text is not when very common words
    of other European languages outnumber very common English words. Texts with fewer than 8
    words, and word-less tables, are given the benefit of the doubt.

    >>> looks_english("The minister said that the talks with Russia would resume in May.")
    True
    >>> looks_english("Der Minister sagte, dass die Gespräche mit Russland im Mai weitergehen.")
    False
    """
    words = [w.casefold() for w in _WORD.findall(text[:3_000])]
    if len(words) < 8:
        return True
    latin = sum(1 for w in words if w.isascii() or "LATIN" in unicodedata.name(w[0], ""))
    if latin < 0.5 * len(words):
        return False
    english = sum(1 for w in words if w in _EN_COMMON)
    other = sum(1 for w in words if w in _OTHER_COMMON)
    return english >= other


def longest_sentence(text: str) -> int:
    """Return the length of the longest run of text without sentence punctuation or newline.

    >>> longest_sentence("Short. A bit longer one!\\nx")
    17
    """
    return max((m.end() - m.start() for m in _SENTENCE_RUN.finditer(text)), default=0)


def _paragraphs(lines: Sequence[str]) -> list[str]:
    """Assemble kept lines (``""`` marks a blank line) into paragraphs.

    A document whose lines are hard-wrapped (most in-block lines 40-100 characters, none over
    110) has each blank-line-separated block joined into one paragraph. Otherwise each line is
    a paragraph, except that a line not ending in sentence punctuation is joined to a next line
    that starts in lower case (a wrapped sentence).
    """
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line:
            blocks[-1].append(_SPACES.sub(" ", line).strip())
        elif blocks[-1]:
            blocks.append([])
    blocks = [b for b in blocks if b]
    inner = sorted(len(line) for block in blocks for line in block[:-1])
    longest = max((len(line) for block in blocks for line in block), default=0)
    wrapped = len(inner) >= 3 and 40 <= inner[len(inner) // 2] <= 100 and longest <= 110
    out: list[str] = []
    for block in blocks:
        if wrapped:
            out.append(" ".join(block))
            continue
        current = block[0]
        for line in block[1:]:
            if current[-1] not in _TERMINAL and (line[0].islower() or line[0].isdigit()):
                current = f"{current} {line}"
            else:
                out.append(current)
                current = line
        out.append(current)
    return out


def _count_blocks(lines: Iterable[str]) -> tuple[int, int]:
    """Return (groups of non-empty lines separated by blank lines, non-empty lines)."""
    groups = lines_n = 0
    in_group = False
    for line in lines:
        if line.strip():
            lines_n += 1
            if not in_group:
                groups += 1
            in_group = True
        else:
            in_group = False
    return groups, lines_n


def clean_text(
    text: str,
    *,
    options: IngestOptions | None = None,
    seen: set[int] | None = None,
    title: str | None = None,
) -> tuple[str, Counter[str]]:
    r"""Remove web debris and repeated paragraphs; return the final text and what was removed.

    The result has ``\n`` newlines and one blank line between paragraphs; character offsets
    downstream refer to it. ``seen`` (paragraph keys from :func:`paragraph_key`) is read and
    updated to drop paragraphs already seen in earlier documents. The paragraph equal to
    ``title`` (the headline, kept as the first paragraph) is never dropped as a duplicate.

    Args:
        text: Raw article text.
        options: Dedupe switches (defaults: :class:`IngestOptions`).
        seen: Keys of paragraphs of earlier documents, or ``None`` for this document only.
        title: The document's headline, if any.

    Returns:
        ``(clean text, Counter of removals by kind)``.

    >>> text, removed = clean_text("Talks resume\nShare this article\nThe talks resumed.")
    >>> text
    'Talks resume\n\nThe talks resumed.'
    >>> dict(removed)
    {'debris_lines': 1}
    """
    opts = options if options is not None else IngestOptions()
    counts: Counter[str] = Counter()
    lines = normalise_newlines(text).split("\n")
    kept: list[str] = []
    substantial = False
    for i, raw in enumerate(lines):
        line, links = _PIC_TWITTER.subn("", raw)
        counts["twitter_links"] += links
        line = line.strip()
        if not line:
            kept.append("")
            continue
        if is_related_heading(line):
            if substantial:
                groups, cut = _count_blocks(lines[i + 1 :])
                counts["related_blocks"] += max(groups, 1)
                counts["related_lines"] += cut + 1
                break
            counts["debris_lines"] += 1
            continue
        if debris_kind(line) is not None:
            counts["debris_lines"] += 1
            continue
        substantial = substantial or len(line) >= _SUBSTANTIAL_LINE
        kept.append(line)
    paragraphs = _paragraphs(kept)
    if opts.dedupe_paragraphs:
        local: set[int] = set()
        protected = None if title is None else paragraph_key(title)
        unique: list[str] = []
        for index, para in enumerate(paragraphs):
            if len(para) < opts.min_paragraph_chars_for_dedupe:
                unique.append(para)
                continue
            key = paragraph_key(para)
            if index == 0 and key == protected:
                local.add(key)
                unique.append(para)
            elif key in local:
                counts["duplicate_paragraphs"] += 1
            elif seen is not None and key in seen:
                counts["cross_document_duplicates"] += 1
            else:
                local.add(key)
                unique.append(para)
        if seen is not None:
            seen.update(local)
        paragraphs = unique
    return "\n\n".join(paragraphs), +counts
