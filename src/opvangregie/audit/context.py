"""Who is acting, and through which interface: set once per request (middleware) or command,
read by the audit trail, so services need not pass it along."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

_actor: ContextVar[Any] = ContextVar("audit_actor", default=None)
_interface: ContextVar[str] = ContextVar("audit_interface", default="system")


def current() -> tuple[Any, str]:
    return _actor.get(), _interface.get()


@contextmanager
def acting(user: Any, interface: str) -> Iterator[None]:
    actor_token = _actor.set(user)
    interface_token = _interface.set(interface)
    try:
        yield
    finally:
        _actor.reset(actor_token)
        _interface.reset(interface_token)
