"""The roles of the requesting user, read once per request.

Every page asks several times what the user may do (the menu alone asks for each item). Inside
a request (see :class:`RoleCacheMiddleware`) the first question loads all of the user's roles for
that day in one query and the others are answered from it. Outside a request (commands, tests
that call selectors) nothing is cached. Saving or deleting a role assignment empties the cache,
so a request that changes roles reads the change.
"""

import datetime
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

Grants = frozenset[tuple[str, str, str]]  # (role, organisation code, organisation name)

_cache: ContextVar[dict[tuple[int, datetime.date], Grants] | None] = ContextVar(
    "role_cache", default=None
)


@contextmanager
def role_cache() -> Iterator[None]:
    token = _cache.set({})
    try:
        yield
    finally:
        _cache.reset(token)


def cached_grants(user_pk: int, day: datetime.date, load: Callable[[], Grants]) -> Grants | None:
    """The user's grants on ``day`` from the cache (loading them once), or ``None`` when no
    cache is active."""
    cache = _cache.get()
    if cache is None:
        return None
    key = (user_pk, day)
    if key not in cache:
        cache[key] = load()
    return cache[key]


def role_cache_clear() -> None:
    cache = _cache.get()
    if cache is not None:
        cache.clear()


class RoleCacheMiddleware:
    """Keeps a role cache for the duration of each request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with role_cache():
            return self.get_response(request)
