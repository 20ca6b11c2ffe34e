"""Direct quotes and embedded tweets: where they are, so relations inside inherit a speaker.

Pure text functions (no spaCy): the extractor maps their character spans onto tokens.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["TweetSignature", "find_quote_spans", "find_tweet_signatures"]

_OPEN = "“‘\"'«"
_CLOSE = {"“": "”", "‘": "’", '"': '"', "'": "'", "«": "»"}


def find_quote_spans(text: str) -> list[tuple[int, int]]:
    """Character spans (inside the marks) of quoted passages in ``text``.

    An opening mark follows the start, whitespace, an opening bracket or a colon and precedes a
    non-space; a closing mark follows a non-space and precedes whitespace, punctuation or the end.
    So the apostrophe in "Moscow’s" is never taken for a closing quote. A quote left open runs to
    the end of ``text`` (news paragraphs often continue a quote into the next paragraph).

    >>> t = "He said: ‘We will not go’, and left. Moscow’s view differs."
    >>> [t[s:e] for s, e in find_quote_spans(t)]
    ['We will not go']
    """
    spans: list[tuple[int, int]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        opens = ch in _OPEN and (i == 0 or text[i - 1].isspace() or text[i - 1] in "([{:—–-")
        if opens and i + 1 < n and not text[i + 1].isspace():
            close = _CLOSE[ch]
            j = i + 1
            end = -1
            while j < n:
                c = text[j]
                if c == close and not text[j - 1].isspace():
                    nxt = text[j + 1] if j + 1 < n else " "
                    if nxt.isspace() or nxt in ".,;:!?)]}—–-" + "”’\"'":
                        end = j
                        break
                if c == "\n" and j + 1 < n and text[j + 1] == "\n":
                    break  # a blank line ends an unclosed quote's paragraph
                j += 1
            if end < 0:
                end = j
            spans.append((i + 1, end))
            i = end + 1
            continue
        i += 1
    return spans


@dataclass(frozen=True, slots=True)
class TweetSignature:
    """The signature line of an embedded tweet and the text it signs."""

    name: str
    handle: str
    name_start: int
    name_end: int
    signed_start: int
    signed_end: int


_SIGNATURE = re.compile(
    r"^[ \t]*[—–-][ \t]*(?P<name>[^\n(@]+?)[ \t]*\((?P<handle>@\w+)\)[^\n]*$", re.MULTILINE
)


def find_tweet_signatures(text: str) -> list[TweetSignature]:
    """Embedded tweets: a line "— Name (@handle) date" signs the paragraph just above it.

    >>> t = "Intro.\\n\\nWe stand with our allies.\\n— Jane Roe 🇺🇳 (@janeroe) May 1, 2025\\n"
    >>> [(s.name, s.handle, t[s.signed_start:s.signed_end]) for s in find_tweet_signatures(t)]
    [('Jane Roe', '@janeroe', 'We stand with our allies.')]
    """
    out: list[TweetSignature] = []
    for m in _SIGNATURE.finditer(text):
        name = m.group("name")
        # Drop trailing emoji or flags after the name.
        clean = re.sub(r"[^\w .'\-’]+$", "", name).strip()
        if not clean or len(clean.split()) > 6:
            continue
        line_start = m.start()
        prev_end = text.rfind("\n", 0, line_start)
        if prev_end < 0:
            continue
        block_end = prev_end
        while block_end > 0 and text[block_end - 1] == "\n":
            block_end -= 1
        block_start = text.rfind("\n\n", 0, block_end)
        block_start = 0 if block_start < 0 else block_start + 2
        line_break = text.rfind("\n", block_start, block_end)
        if line_break >= 0:
            block_start = line_break + 1
        name_start = m.start("name")
        out.append(
            TweetSignature(
                name=clean,
                handle=m.group("handle"),
                name_start=name_start,
                name_end=name_start + len(clean),
                signed_start=block_start,
                signed_end=block_end,
            )
        )
    return out
