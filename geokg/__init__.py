"""geokg: news articles to a knowledge graph of geopolitical actors and events."""

from __future__ import annotations

from geokg.model import Actor, DocResult, Document, Event, Mention, Relation

__version__ = "0.1.0"

__all__ = [
    "Actor",
    "DocResult",
    "Document",
    "Event",
    "Mention",
    "Relation",
    "__version__",
]
