"""Read replicas: public reads go to a replica, everything else to the primary.

Set DATABASE_REPLICA_URLS and the settings add one alias per replica (replica_0, replica_1, …)
and this router. A request may read from a replica only when all of these hold:

- it is a safe method (GET, HEAD, OPTIONS): a form post reads what it is about to change;
- it carries no session cookie: staff, editors and anyone signed in read their own writes,
  which a replica that lags a moment behind might not have yet;
- nothing has been written in it so far: after the first write (a page-view counter, a task
  queued, a session saved) every later read in the same request goes to the primary.

Outside a request (management commands, task workers, the shell) everything goes to the
primary: those are the places that write, and a stale read there would be a wrong write.
"""

import contextvars
import itertools
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

PRIMARY = "default"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class _RequestReads:
    __slots__ = ("wrote",)

    def __init__(self) -> None:
        self.wrote = False


# None outside a request that may use replicas: the router then answers "primary".
_replica_reads: contextvars.ContextVar[_RequestReads | None] = contextvars.ContextVar(
    "oversight_replica_reads", default=None
)
_round_robin = itertools.count()


def replicas() -> list[str]:
    return list(getattr(settings, "DATABASE_REPLICAS", ()))


def may_read_from_replica(request: HttpRequest) -> bool:
    return request.method in SAFE_METHODS and settings.SESSION_COOKIE_NAME not in request.COOKIES


def replica_reads_middleware(get_response: Callable[[HttpRequest], HttpResponse]):
    """Open a replica-reading window for the requests that may have one (see the module)."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if not replicas() or not may_read_from_replica(request):
            return get_response(request)
        token = _replica_reads.set(_RequestReads())
        try:
            return get_response(request)
        finally:
            _replica_reads.reset(token)

    return middleware


class ReplicaRouter:
    def db_for_read(self, model, **hints) -> str:
        window = _replica_reads.get()
        aliases = replicas()
        if window is None or window.wrote or not aliases:
            return PRIMARY
        return aliases[next(_round_robin) % len(aliases)]

    def db_for_write(self, model, **hints) -> str:
        window = _replica_reads.get()
        if window is not None:
            window.wrote = True
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints) -> bool | None:
        # Every alias holds the same data: objects read from a replica may point at the primary's.
        known = {PRIMARY, *replicas()}
        if obj1._state.db in known and obj2._state.db in known:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        # Replicas copy the primary's schema through replication; migrations run on the primary.
        return db == PRIMARY
