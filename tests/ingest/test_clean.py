"""Debris patterns, paragraph assembly and de-duplication, on invented article lines."""

from __future__ import annotations

import pytest

from geokg.ingest import IngestOptions, clean_text
from geokg.ingest._clean import (
    DEBRIS_PATTERNS,
    LINK_PATTERNS,
    RELATED_HEADINGS,
    debris_kind,
    is_related_heading,
    looks_like_headline,
    paragraph_key,
    split_headline,
)

DEBRIS_EXAMPLES: list[tuple[str, str]] = [
    ("Comments", "comments"),
    ("12 comments", "comments"),
    ("Comments (4)", "comments"),
    ("No comments yet...", "comments"),
    ("Be the first to comment on this story", "comments"),
    ("View all comments", "comments"),
    ("We are not accepting comments for this story.", "comments"),
    ("Comments are closed for this story.", "comments"),
    ("Commenting has been disabled for legal reasons.", "comments"),
    ("Join the conversation", "comments"),
    ("Log in to comment", "comments"),
    ("Share this article", "share"),
    ("Share on WhatsApp", "share"),
    ("Click to share on Twitter (Opens in new window)", "share"),
    ("Tweet", "share"),
    ("Copy link", "share"),
    ("Follow us on Instagram and Threads", "share"),
    ("Sign up to our daily politics newsletter", "newsletter"),
    ("Download our app for breaking alerts", "newsletter"),
    ("Try our AI tools", "promo"),
    ("Discover what Newsbot AI can do for you:", "promo"),
    ("Advertisement", "promo"),
    ("Skip to main content", "promo"),
    ("Listen to this article 4 min", "promo"),
    ("We use cookies to improve your experience", "promo"),
    ("7 minutes ago", "timestamp"),
    ("an hour ago", "timestamp"),
    ("By Jane Doe, Diplomatic Correspondent", "byline"),
    ("By staff Reporters Desk", "byline"),
    ("Published", "byline"),
    ("Last updated 14:05, 3 March 2024", "byline"),
    ("Reporting by Ann Example; Editing by Bo Sample", "byline"),
    ("Image source, Example Agency", "byline"),
    ("* * *".replace(" ", ""), "furniture"),
    ("Read more: Ministers meet on the river border", "link"),
]

KEPT_LINES = [
    "The minister said the talks would resume on Monday.",
    "By Tuesday evening the two delegations had agreed a text.",
    "Comments made by the envoy angered the neighbouring government.",
    "Share prices in the capital fell after the announcement.",
    "Published figures show exports rose by 4% last year.",
    "— Ann Example 🇪🇪 (@annexample) March 3, 2024",
    "The envoy listens to this article of the treaty with care.",
    "Officials (Photo Agency/AB) said the border would reopen.",
]


@pytest.mark.parametrize(("line", "kind"), DEBRIS_EXAMPLES)
def test_debris_line_is_recognised(line: str, kind: str) -> None:
    assert debris_kind(line) == kind


@pytest.mark.parametrize("line", KEPT_LINES)
def test_article_lines_are_not_debris(line: str) -> None:
    assert debris_kind(line) is None
    assert not is_related_heading(line)


def test_every_debris_pattern_has_an_example() -> None:
    for kind, pattern in DEBRIS_PATTERNS:
        hits = [line for line, _ in DEBRIS_EXAMPLES if pattern.fullmatch(line)]
        assert hits, f"no example for {kind} pattern {pattern.pattern!r}"
    for pattern in LINK_PATTERNS:
        assert any(pattern.fullmatch(line) for line, _ in DEBRIS_EXAMPLES)


@pytest.mark.parametrize(
    "heading",
    [
        "Related Articles",
        "More stories",
        "Read more",
        "More from World News",
        "You may also like",
        "Most read",
        "Recommended for you",
        "Trending now",
    ],
)
def test_related_headings(heading: str) -> None:
    assert is_related_heading(heading)
    assert any(p.fullmatch(heading) for p in RELATED_HEADINGS)


BODY = (
    "The foreign ministers of the two river states met in the border town on Monday to "
    "discuss fishing rights."
)
TEASER = (
    "Officials in the northern province said a ferry had been held at the port for a third "
    "day while inspectors checked its papers."
)


def test_related_block_cuts_the_tail_and_counts_story_blocks() -> None:
    blocks = "\n\n".join(
        f"Site {n}\n{n} minutes ago\n- Site {n}\nFerry held\n{TEASER}" for n in (1, 2, 3)
    )
    raw = f"River talks\n{BODY}\nComments\nNo comments yet...\nRelated Articles\n\n{blocks}\n"
    text, removed = clean_text(raw)
    assert text == f"River talks\n\n{BODY}"
    assert removed["related_blocks"] == 3
    assert removed["debris_lines"] == 2
    assert removed["related_lines"] == 1 + 3 * 5


def test_related_heading_before_any_body_only_drops_the_line() -> None:
    text, removed = clean_text(f"Read more\n{BODY}\n{TEASER}")
    assert text == f"{BODY}\n\n{TEASER}"
    assert removed == {"debris_lines": 1}


def test_tweet_signature_kept_and_pic_link_stripped() -> None:
    raw = (
        f"{BODY}\nWe stand with our neighbours today pic.twitter.com/AbC123xyz\n"
        "— Ann Example 🇪🇪 (@annexample) March 3, 2024"
    )
    text, removed = clean_text(raw)
    assert "pic.twitter.com" not in text
    assert (
        "We stand with our neighbours today\n\n— Ann Example 🇪🇪 (@annexample) March 3, 2024" in text
    )
    assert removed["twitter_links"] == 1


def test_repeated_paragraphs_kept_once_within_and_across_documents() -> None:
    seen: set[int] = set()
    first, removed1 = clean_text(f"{BODY}\n\n{TEASER}\n\n{BODY.upper()}", seen=seen)
    assert first == f"{BODY}\n\n{TEASER}"
    assert removed1 == {"duplicate_paragraphs": 1}
    second, removed2 = clean_text(f"A new line of text here.\n\n{TEASER}", seen=seen)
    assert second == "A new line of text here."
    assert removed2 == {"cross_document_duplicates": 1}
    assert paragraph_key(TEASER) in seen


def test_short_paragraphs_and_disabled_dedupe_are_kept() -> None:
    text, removed = clean_text("Mr Example said:\n\nYes.\n\nMr Example said:\n\nNo.")
    assert text.count("Mr Example said:") == 2
    assert not removed
    off = IngestOptions(dedupe_paragraphs=False)
    text, removed = clean_text(f"{BODY}\n\n{BODY}", options=off)
    assert text == f"{BODY}\n\n{BODY}"


def test_title_paragraph_is_never_dropped_as_cross_document_duplicate() -> None:
    title = "A long headline about the river states and their fishing rights"
    seen = {paragraph_key(title)}
    text, _ = clean_text(f"{title}\n{BODY}", seen=seen, title=title)
    assert text.startswith(title)


def test_newlines_and_spaces_are_normalised() -> None:
    text, _ = clean_text("Title  here\r\n\r\nFirst\tline of the body.\rSecond line.\u2029")
    assert text == "Title here\n\nFirst line of the body.\n\nSecond line."


def test_hard_wrapped_text_is_joined_into_paragraphs() -> None:
    wrapped = (
        "The foreign ministers of the two river states met in the border\n"
        "town on Monday to discuss fishing rights, and agreed to set up\n"
        "a joint commission. The commission will meet every quarter\n"
        "and report to both governments.\n\n"
        "Officials said the first meeting would be held in the spring\n"
        "in the northern capital."
    )
    text, _ = clean_text(wrapped)
    paragraphs = text.split("\n\n")
    assert len(paragraphs) == 2
    assert "border town" in paragraphs[0]
    assert "\n" not in paragraphs[0]


def test_wrapped_sentence_joined_in_line_per_paragraph_text() -> None:
    text, _ = clean_text(f"{BODY}\nThe minister said the deal\nwould be signed soon.")
    assert text == f"{BODY}\n\nThe minister said the deal would be signed soon."


def test_headline_and_masthead() -> None:
    assert split_headline(["Site Name", "Leaders agree river deal", BODY]) == (
        "Leaders agree river deal",
        0,
    )
    assert split_headline(["", "Leaders agree river deal", BODY]) == (
        "Leaders agree river deal",
        None,
    )
    assert split_headline([BODY, TEASER]) == (None, None)
    assert split_headline(["Leaders agree river deal"]) == (None, None)
    assert not looks_like_headline("ROME, March 3, 2024 — Leaders met")
    assert not looks_like_headline("Share this article")


def test_clean_text_is_idempotent() -> None:
    raw = f"River talks\nBy Jane Doe\n{BODY}\nShare this article\n{TEASER}\n{BODY}"
    once, _ = clean_text(raw)
    twice, removed = clean_text(once)
    assert once == twice
    assert not removed
