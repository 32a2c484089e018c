"""The roles of the requesting user, read once per request.

Every page asks several times what the user may do (the menu alone asks for each item). Inside
a request (see :class:`RoleCacheMiddleware`) the first question loads all of the user's roles for
that day in one query and the others are answered from it. Outside a request (commands, tests
that call selectors) nothing is cached. Saving or deleting a role assignment empties the cache,
so a request that changes roles reads the change.
"""

import datetime
from collections.abc import Callable
from contextlib import AbstractContextManager

from django.http import HttpRequest, HttpResponse

from opvangregie.core.memo import ScopedMemo

Grants = frozenset[tuple[str, str, str]]  # (role, organisation code, organisation name)

_grants: ScopedMemo[tuple[int, datetime.date], Grants] = ScopedMemo("role_cache")


def role_cache() -> AbstractContextManager[None]:
    return _grants.active()


def cached_grants(user_pk: int, day: datetime.date, load: Callable[[], Grants]) -> Grants:
    """The user's grants on ``day``: from the cache inside a request, else ``load()``."""
    return _grants.get((user_pk, day), load)


def role_cache_clear() -> None:
    _grants.clear()


class RoleCacheMiddleware:
    """Keeps a role cache for the duration of each request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with role_cache():
            return self.get_response(request)
