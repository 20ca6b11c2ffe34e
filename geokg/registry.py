"""Typed registries for extractors and exporters (STYLE.md 3 and 4).

A registry maps a versioned name (``svo.v1``) to a factory. Unknown names list what is
available; registering a different object under a taken name is an error. Other packages can add
entries through the entry-point groups ``geokg.extractors`` and ``geokg.exporters``.

>>> reg: Registry[int] = Registry("numbers")
>>> reg.register("one.v1", 1)
1
>>> reg.get("one.v1")
1
>>> reg.get("two.v1")
Traceback (most recent call last):
...
geokg.errors.RegistryError: no numbers named 'two.v1'; available: one.v1
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from importlib.metadata import entry_points
from typing import Generic, TypeVar

from geokg.errors import RegistryError

__all__ = ["Registry"]

T = TypeVar("T")


class Registry(Generic[T]):
    """A name → object registry with entry-point discovery."""

    def __init__(self, kind: str, *, entry_point_group: str | None = None) -> None:
        self.kind = kind
        self._group = entry_point_group
        self._items: dict[str, T] = {}
        self._loaded_entry_points = False

    def register(self, name: str, obj: T) -> T:
        """Register ``obj`` under ``name`` and return it.

        Raises:
            RegistryError: ``name`` is taken by a different object.
        """
        current = self._items.get(name)
        if current is not None and current is not obj:
            raise RegistryError(
                f"{self.kind} {name!r} is already registered to {current!r}; "
                "pick a new versioned name (e.g. 'name.v2')"
            )
        self._items[name] = obj
        return obj

    def decorator(self, name: str) -> Callable[[T], T]:
        """Return a decorator that registers its target under ``name``."""

        def wrap(obj: T) -> T:
            return self.register(name, obj)

        return wrap

    def _load_entry_points(self) -> None:
        if self._loaded_entry_points or self._group is None:
            return
        self._loaded_entry_points = True
        for ep in entry_points(group=self._group):
            if ep.name not in self._items:
                self.register(ep.name, ep.load())

    def get(self, name: str) -> T:
        """Return the object registered under ``name``.

        Raises:
            RegistryError: no such name; the message lists the available ones.
        """
        if name not in self._items:
            self._load_entry_points()
        try:
            return self._items[name]
        except KeyError:
            available = ", ".join(sorted(self._items)) or "(none)"
            raise RegistryError(f"no {self.kind} named {name!r}; available: {available}") from None

    def names(self) -> list[str]:
        """Return the sorted registered names."""
        self._load_entry_points()
        return sorted(self._items)

    def __contains__(self, name: object) -> bool:
        return name in self._items

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())
