"""Values kept for the duration of one block (a request, a dashboard, a report) and no longer.

Outside an active block nothing is kept: every call loads afresh, so commands and tests that
call selectors directly see every change at once."""

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class ScopedMemo(Generic[K, V]):
    def __init__(self, name: str) -> None:
        self._values: ContextVar[dict[K, V] | None] = ContextVar(name, default=None)

    @contextmanager
    def active(self) -> Iterator[None]:
        token = self._values.set({})
        try:
            yield
        finally:
            self._values.reset(token)

    def get(self, key: K, load: Callable[[], V]) -> V:
        """The value for ``key``: loaded once inside an active block, every time outside one."""
        values = self._values.get()
        if values is None:
            return load()
        if key not in values:
            values[key] = load()
        return values[key]

    def clear(self) -> None:
        values = self._values.get()
        if values is not None:
            values.clear()
