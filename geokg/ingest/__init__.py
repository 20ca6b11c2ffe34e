"""Reading articles into :class:`~geokg.model.Document` records, with web-debris cleanup.

Inputs: ``.txt``/``.md`` files, ``.jsonl``/``.jsonl.gz`` (fields ``id``, ``title``, ``date``,
``url``, ``text``; the rest kept in ``meta``), ``.html`` (main text by trafilatura), folders,
glob patterns and standard input (``"-"``). Bad input is reported, never raised: see
:class:`IngestReport`.

>>> import io
>>> docs = list(iter_documents(["-"], stdin=io.StringIO("Rome talks\\nLeaders met in Rome.")))
>>> docs[0].text
'Rome talks\\n\\nLeaders met in Rome.'
"""

from __future__ import annotations

from geokg.ingest._clean import clean_text
from geokg.ingest._readers import (
    SUPPORTED_SUFFIXES,
    check_inputs,
    iter_documents,
    missing_inputs,
    read_html,
    read_jsonl,
    read_text_file,
    sample_inputs,
)
from geokg.ingest._report import IngestOptions, IngestReport

__all__ = [
    "SUPPORTED_SUFFIXES",
    "IngestOptions",
    "IngestReport",
    "check_inputs",
    "clean_text",
    "iter_documents",
    "missing_inputs",
    "read_html",
    "read_jsonl",
    "read_text_file",
    "sample_inputs",
]
