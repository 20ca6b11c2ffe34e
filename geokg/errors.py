"""One exception hierarchy for geokg (STYLE.md 6).

Each class also inherits the matching builtin, so callers can catch either. Messages say what
happened, why, and how to fix it.
"""

from __future__ import annotations

__all__ = [
    "ConfigError",
    "ExportError",
    "GeoKGError",
    "InputError",
    "MissingExtraError",
    "ModelNotFoundError",
    "OutputError",
    "RegistryError",
]


class GeoKGError(Exception):
    """Base class of every error geokg raises on purpose."""


class ConfigError(GeoKGError, ValueError):
    """An option or setting is invalid."""


class InputError(GeoKGError, ValueError):
    """An input file or document cannot be read.

    Attributes:
        source: The file (and line) that failed.
        reason: Why, in a few words.
    """

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason

    def __reduce__(self) -> tuple[type[InputError], tuple[str, str]]:
        # Pickled with its two arguments (a parsing process sends it to the parent).
        return (type(self), (self.source, self.reason))


class MissingExtraError(GeoKGError, ImportError):
    """An optional extra that a call needs is not installed; the message says which
    (``pip install 'geokg[pandas]'``)."""


class ModelNotFoundError(GeoKGError, LookupError):
    """No spaCy pipeline could be found or loaded."""


class RegistryError(GeoKGError, KeyError):
    """An unknown or conflicting registry name."""

    def __str__(self) -> str:  # KeyError quotes its message; we want it plain.
        return str(self.args[0]) if self.args else ""


class ExportError(GeoKGError, RuntimeError):
    """An exporter could not write its output."""


class OutputError(GeoKGError, OSError):
    """The output folder cannot be written: another build holds it, it is read-only or full."""
