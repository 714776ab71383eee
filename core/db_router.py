"""Primary/replica routing: public reads go to a replica, everything else to the primary.

A streaming replica lags the primary by a little, so a request must not read from it once
it has written (it would miss its own write), and staff in the admin always see the
primary. The "pinned to primary" flag is a context variable, so it is per thread and per
asyncio task: one request's write never pins another's reads.

Outside a request (management commands, the task worker, the shell) the flag defaults to
pinned: only the middleware unpins, and only for a public, safe-method request. With no
``DATABASE_REPLICAS`` configured, every query goes to ``default``.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.conf import settings
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

PRIMARY = "default"

# Apps whose rows are read right after they are written by another request or process:
# a session just created at login, a task row a worker is about to claim.
PRIMARY_ONLY_APPS = frozenset({"sessions", "django_tasks_database"})

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

# Pinned unless a request says otherwise: a command that reads then writes must not
# decide on a lagging copy.
_pinned_to_primary: ContextVar[bool] = ContextVar(
    "newsroom_pinned_to_primary", default=True
)


def is_pinned_to_primary() -> bool:
    """Whether reads in the current context must see the primary."""
    return _pinned_to_primary.get()


def pin_to_primary() -> None:
    """Send every later read of the current request (or context) to the primary."""
    _pinned_to_primary.set(True)


@contextmanager
def primary_pin(pinned: bool = True) -> Iterator[None]:
    """Set the pin for a block and restore the previous state after it, whatever ran."""
    token = _pinned_to_primary.set(pinned)
    try:
        yield
    finally:
        _pinned_to_primary.reset(token)


def replicas() -> list[str]:
    """The replica aliases in use (settings may change them in tests)."""
    return list(getattr(settings, "DATABASE_REPLICAS", []))


def request_needs_primary(request: HttpRequest) -> bool:
    """Unsafe methods write, and the admin must show staff their own writes at once."""
    if request.method not in SAFE_METHODS:
        return True
    prefixes = getattr(settings, "DATABASE_PRIMARY_PATH_PREFIXES", ["/admin/"])
    return any(request.path_info.startswith(prefix) for prefix in prefixes)


class PinPrimaryMiddleware:
    """Starts each request with a fresh pin: pinned for the admin and unsafe methods.

    The previous value is restored afterwards, so a pin set by a write never leaks into
    the next request served by the same thread. Works under WSGI and ASGI alike.
    """

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest) -> Any:
        if self.is_async:
            return self._acall(request)
        with primary_pin(request_needs_primary(request)):
            return self.get_response(request)

    async def _acall(self, request: HttpRequest) -> HttpResponse:
        with primary_pin(request_needs_primary(request)):
            return await self.get_response(request)


class PrimaryReplicaRouter:
    """Reads to a random replica unless pinned; writes (which pin) to the primary."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        available = replicas()
        if (
            not available
            or _pinned_to_primary.get()
            or model._meta.app_label in PRIMARY_ONLY_APPS
        ):
            return PRIMARY
        return random.choice(available)

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        # From now on this request reads what it wrote: the primary.
        _pinned_to_primary.set(True)
        return PRIMARY

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool | None:
        # Replicas hold the primary's data, so objects from any of them may relate.
        pool = {PRIMARY, *replicas()}
        if obj1._state.db in pool and obj2._state.db in pool:
            return True
        return None

    def allow_migrate(
        self, db: str, app_label: str, model_name: str | None = None, **hints: Any
    ) -> bool | None:
        # Streaming replicas copy the primary's schema; never migrate them directly.
        if db in replicas():
            return False
        return None
