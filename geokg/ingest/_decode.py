"""Bytes to text: BOMs, UTF-8 first, a detected fallback with a warning, binary detection."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from types import ModuleType

charset_normalizer: ModuleType | None
try:  # a dependency of trafilatura (and requests); only used for non-UTF-8 input
    import charset_normalizer
except ImportError:  # pragma: no cover
    charset_normalizer = None

__all__ = ["Decoded", "binary_kind", "decode_bytes"]

# Magic numbers of common binary formats (prefix -> name used in the skip reason).
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"PK\x03\x04", "zip archive"),
    (b"PK\x05\x06", "zip archive"),
    (b"\x1f\x8b", "gzip data"),
    (b"%PDF-", "PDF document"),
    (b"\x7fELF", "executable"),
    (b"BZh", "bzip2 data"),
    (b"\xfd7zXZ\x00", "xz data"),
    (b"7z\xbc\xaf\x27\x1c", "7z archive"),
    (b"RIFF", "RIFF media"),
    (b"OggS", "Ogg media"),
    (b"ID3", "MP3 audio"),
    (b"\x00\x00\x00\x18ftyp", "MP4 media"),
    (b"\x00\x00\x00\x20ftyp", "MP4 media"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "MS Office document"),
    (b"SQLite format 3\x00", "SQLite database"),
)

_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)

# Longest first, so a UTF-32 BOM is not taken for a UTF-16 one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Single-byte Latin code pages a detector may confuse with one another; for these we prefer
# cp1252 (the usual encoding of Western news pages saved as "ANSI") when it decodes cleanly.
_LATIN_FAMILY = frozenset(
    {
        "cp1250",
        "cp1252",
        "cp1254",
        "cp1257",
        "iso8859_1",
        "iso8859_2",
        "iso8859_9",
        "iso8859_15",
        "latin_1",
        "mac_latin2",
        "mac_roman",
    }
)


@dataclass(frozen=True, slots=True)
class Decoded:
    """The result of :func:`decode_bytes`.

    Attributes:
        text: The decoded text.
        encoding: Codec used (``utf-8``, ``utf-16``, ``cp1252``, ...).
        warning: Why the text may not be what the author wrote, or ``None`` when it was clean
            UTF-8 (or had a BOM that decoded cleanly).
    """

    text: str
    encoding: str
    warning: str | None = None


def _bom(data: bytes) -> str | None:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec
    return None


def _utf16_without_bom(head: bytes) -> str | None:
    """Return ``utf-16-le``/``utf-16-be`` when every other byte of ``head`` is NUL."""
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) >= 0.9 * len(odd) and even.count(0) <= 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) >= 0.9 * len(even) and odd.count(0) <= 0.1 * len(odd):
        return "utf-16-be"
    return None


def binary_kind(head: bytes) -> str | None:
    """Say what binary format ``head`` (the first KiB or more of a file) is, or ``None`` for text.

    >>> binary_kind(b"\\x89PNG\\r\\n\\x1a\\n....")
    'PNG image'
    >>> binary_kind("plain words".encode())
    >>> binary_kind("\\ufeffwith BOM".encode("utf-16")) is None
    True
    >>> binary_kind(b"ab\\x00\\x00\\x01cd")
    'NUL bytes'
    """
    if _bom(head) is not None:
        return None
    for magic, name in _MAGIC:
        if head.startswith(magic):
            return name
    if b"\x00" in head[:8192] and _utf16_without_bom(head[:8192]) is None:
        return "NUL bytes"
    return None


def _detect(data: bytes) -> str | None:
    """Return the codec charset_normalizer suggests for ``data``, or ``None``."""
    if charset_normalizer is None:  # pragma: no cover - installed with trafilatura
        return None
    best = charset_normalizer.from_bytes(data[:200_000]).best()
    return None if best is None else str(best.encoding)


def _clean_decode(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_bytes(data: bytes) -> Decoded:
    """Decode ``data``: a BOM wins, then strict UTF-8, then a detected encoding (with a warning).

    Never raises: as a last resort invalid bytes are replaced and the warning says so.

    >>> decode_bytes("Zürich".encode()).encoding
    'utf-8'
    >>> d = decode_bytes("Zürich café".encode("latin-1"))
    >>> (d.text, d.encoding, d.warning is not None)
    ('Zürich café', 'cp1252', True)
    >>> decode_bytes("\\ufeffKyiv".encode("utf-16")).text
    'Kyiv'
    >>> decode_bytes("Zürich ".encode() + b"\\xff").warning
    'invalid UTF-8: 1 bad byte sequence(s) replaced'
    """
    codec = _bom(data)
    if codec is not None:
        text = _clean_decode(data, codec)
        if text is not None:
            return Decoded(text.lstrip("\ufeff"), codec.removesuffix("-sig"))
        text = data.decode(codec, errors="replace").lstrip("\ufeff")
        return Decoded(text, codec, f"invalid {codec} bytes after the BOM were replaced")
    text = _clean_decode(data, "utf-8")
    if text is not None:
        return Decoded(text, "utf-8")
    wide = _utf16_without_bom(data[:8192])
    if wide is not None:
        text = _clean_decode(data, wide)
        if text is not None:
            return Decoded(text, wide, f"no BOM; decoded as {wide} (NUL-byte pattern)")
    # Valid UTF-8 sequences alongside a few bad bytes: a damaged UTF-8 file, not a legacy one.
    good = len(_UTF8_MULTIBYTE.findall(data[:200_000]))
    if good:
        text = data.decode("utf-8", errors="replace")
        bad = text.count("\ufffd")
        if bad <= good:
            return Decoded(text, "utf-8", f"invalid UTF-8: {bad} bad byte sequence(s) replaced")
    # Mostly-ASCII text with a few high bytes is Latin script (accents): cp1252 is the usual
    # legacy encoding, and detectors guess badly on short samples. Text made mostly of high
    # bytes (Cyrillic, Greek, Arabic code pages) goes to charset_normalizer.
    high = sum(1 for b in data[:200_000] if b >= 0x80)
    ascii_letters = sum(1 for b in data[:200_000] if 0x41 <= (b | 0x20) <= 0x7A)
    detected = None if high < 0.3 * max(ascii_letters, 1) else _detect(data)
    if detected is not None and detected.replace("-", "_").lower() in _LATIN_FAMILY:
        detected = "cp1252" if _clean_decode(data, "cp1252") is not None else detected
    for codec in (detected, "cp1252"):
        if codec is None:
            continue
        text = _clean_decode(data, codec)
        if text is not None:
            return Decoded(text, codec, f"not valid UTF-8; decoded with fallback encoding {codec}")
    text = data.decode("utf-8", errors="replace")
    return Decoded(
        text, "utf-8", "not valid UTF-8 and no other encoding fits; bad bytes were replaced"
    )
