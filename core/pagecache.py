"""Pages for anonymous readers: conditional GET, shared-cache headers, a full-page cache.

A reader is anonymous when they carry none of the cookies that make a page personal (the
session, flash messages, and whatever plug-ins add with `bypass_cookie`, e.g. the
remembered commenter). Their GET pages that set no cookie, vary on no cookie, are not
private and used no CSP nonce are "shared": the same bytes for everyone with that URL and
language. Those get `Cache-Control` a CDN can honour, an `ETag` and `304 Not Modified`.

With PAGE_CACHE on (the default when REDIS_URL is set) shared pages are also kept in the
shared cache (and the pages a process served lately in its own memory too) under versioned
keys: the content version changes on every save of anything public (each app connects its
models with `bump_on_change` in its signals.py) and when the next scheduled publication
time arrives (apps tell us with `register_next_change`), so a page is never served stale
after a change; old keys simply expire. The ETag is then the version, so a 304 costs one
cache read and no rendering.

PAGE_CACHE off (a local-memory cache, private to each process, could not see another
process's changes): the ETag is a hash of the page instead, still correct, still a 304.

Fragments (FRAGMENT_CACHE, on with REDIS_URL): what a page shows the same way to every
anonymous reader whatever its address (a comment section, a share bar, the sidebar) is kept
in each process under the same content version and the language, so a page rendered afresh
(a miss, or PAGE_CACHE off) does not render it again. Each process keeps them in memory, not
in the shared cache: a hit costs a dictionary lookup, not a round trip, and the version read
once a request from the shared cache keeps every process fresh after a change. The rows a
page is about (an article, a listing's page of keys) are kept the same way (`kept`), so a
page whose fragments are all kept asks the database nothing.
"""

import contextlib
import hashlib
import pickle
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.db.models import Model, Prefetch, prefetch_related_objects
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

VERSION_KEY = "pages:version"
CACHE_HEADER = "X-Page-Cache"
FRAGMENT_BYTES = 8 * 2**20  # the rendered fragments one process keeps (characters)
PAGE_BYTES = 16 * 2**20  # the cached pages one process keeps besides the shared cache (bytes)

_next_change_hooks: list[Callable[[], datetime | None]] = []
_bypass_cookies: set[str] = set()
_refreshers: list[Callable[[bytes, float], bytes]] = []


def register_next_change(hook: Callable[[], datetime | None]) -> None:
    """`hook()` says when something not yet public becomes public (a scheduled article)."""
    if hook not in _next_change_hooks:
        _next_change_hooks.append(hook)


def bypass_cookie(name: str) -> None:
    """Readers carrying cookie `name` get fresh, private pages (their pages are personal)."""
    _bypass_cookies.add(name)


def register_refresher(refresh: Callable[[bytes, float], bytes]) -> None:
    """`refresh(content, when)` restamps what a page dates (the comment form's signed
    start time) as if rendered at `when`: cached pages get today's, ETags a fixed one."""
    if refresh not in _refreshers:
        _refreshers.append(refresh)


def _refreshed(content: bytes, when: float) -> bytes:
    for refresh in _refreshers:
        content = refresh(content, when)
    return content


def content_changed(**kwargs) -> None:
    """A signal receiver: every page may show what changed, so start a new version."""
    transaction.on_commit(lambda: cache.delete(VERSION_KEY))


def bump_on_change(*models, uid: str) -> None:
    """Start a new content version whenever a row of `models` (or their m2m) changes."""
    for model in models:
        label = f"{uid}-{model._meta.label_lower}"
        post_save.connect(content_changed, sender=model, dispatch_uid=f"{label}-save")
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"{label}-delete")
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(content_changed, sender=through, dispatch_uid=f"{label}-{field}")


def content_version() -> tuple[str, float]:
    """(version, when it began): new after any change and once a scheduled time arrives."""
    state = cache.get(VERSION_KEY)
    now = time.time()
    if state is None or (state[2] is not None and now >= state[2]):
        upcoming = [when.timestamp() for hook in _next_change_hooks if (when := hook())]
        state = (f"{time.time_ns():x}", now, min(upcoming, default=None))
        cache.set(VERSION_KEY, state, None)
    return state[0], state[1]


def is_anonymous(request: HttpRequest) -> bool:
    personal = {settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name, *_bypass_cookies}
    return not personal.intersection(request.COOKIES)


def request_content_version(request: HttpRequest) -> str:
    """`content_version()`'s version, read from the shared cache once a request."""
    version = getattr(request, "_content_version", None)
    if version is None:
        version = request._content_version = content_version()[0]
    return version


def _fragment_version(request: HttpRequest | None) -> str:
    """The content version fragments are kept under for this request, read once a request;
    "" when they are not for it (a personal reader, a POST, the database down)."""
    if request is None:
        return ""
    version = getattr(request, "_fragment_version", None)
    if version is None:
        version = ""
        if settings.FRAGMENT_CACHE and request.method in {"GET", "HEAD"} and is_anonymous(request):
            with contextlib.suppress(DatabaseError):  # the database is down: render
                version = request_content_version(request)
        request._fragment_version = version
    return version


def _personal_marks(request: HttpRequest) -> tuple:
    """What rendering leaves on a request when its output is personal: a CSP nonce used, a
    CSRF token taken (a cookie to set). The page cache refuses such pages; fragments too."""
    return (getattr(request, "_csp_nonce", None), request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))


class _KeptPerVersion:
    """What one process keeps of one content version (rendered fragments, pickled values,
    cached pages); the least recently used go first."""

    def __init__(self, budget: int):
        self.budget = budget
        self.version = ""
        self.size = 0
        self.entries: OrderedDict[str, tuple[object, int]] = OrderedDict()  # key: (value, size)
        self.lock = threading.Lock()

    def get(self, version: str, key: str):
        with self.lock:
            if version != self.version:
                self.version, self.size = version, 0
                self.entries.clear()
                return None
            entry = self.entries.get(key)
            if entry is None:
                return None
            self.entries.move_to_end(key)
            return entry[0]

    def put(self, version: str, key: str, value, size: int | None = None) -> None:
        """Keep `value` (its `size`: its length unless given) while `version` is current."""
        size = len(value) if size is None else size
        if size > self.budget // 16:
            return
        with self.lock:
            if version != self.version or key in self.entries:
                return
            self.entries[key] = (value, size)
            self.size += size
            while self.size > self.budget:
                self.size -= self.entries.popitem(last=False)[1][1]

    def clear(self) -> None:
        with self.lock:
            self.version, self.size = "", 0
            self.entries.clear()


fragments = _KeptPerVersion(FRAGMENT_BYTES)
# Cached pages this process served lately: a hit needs only the version from the shared cache.
pages_here = _KeptPerVersion(PAGE_BYTES)


def fragment(request: HttpRequest | None, key: str, render: Callable[[], str]) -> SafeString:
    """`render()`'s HTML, kept for anonymous readers per content version and language.

    Only for HTML that is the same for every anonymous reader in a language while the content
    does not change (the page cache's own rule), given `key`: the key names whatever else it
    depends on (the object, the options). Others, and any reader carrying a personal cookie,
    get `render()` itself; output that used a CSP nonce or a CSRF token is never kept.
    """
    version = _fragment_version(request)
    if not version:
        return mark_safe(render())
    key = f"{get_language()}:{key}"
    html = fragments.get(version, key)
    if html is not None:
        # Restamped like a cached page: the comment form's start time is this request's.
        return mark_safe(_refreshed(html.encode(), time.time()).decode() if _refreshers else html)
    before = _personal_marks(request)
    html = render()
    if _personal_marks(request) == before and not isinstance(before[0], str) and not before[1]:
        fragments.put(version, key, str(html))
    return mark_safe(html)


def kept(request: HttpRequest | None, key: str, load: Callable[[], object]):
    """`load()`'s value (model instances, lists of keys: anything picklable), kept like a
    fragment: per content version, for anonymous readers only, loaded afresh for anyone else.

    For what a page is about, looked up the same way for everyone: an article by its slug, a
    listing's page of keys. Each request gets its own copy (unpickled), so a view may set
    attributes on what it gets. A `load()` that raises (a 404) keeps nothing.
    """
    version = _fragment_version(request)
    if not version:
        return load()
    key = f"value:{key}"
    data = fragments.get(version, key)
    if isinstance(data, bytes):
        return pickle.loads(data)
    value = load()
    fragments.put(version, key, pickle.dumps(value, pickle.HIGHEST_PROTOCOL))
    return value


class _PrefetchedWhenRead(dict):
    """An instance's prefetched-relations cache (`_prefetched_objects_cache`, where Django's
    and taggit's related managers look first) that loads its lookups the first time one of
    them is missed, all together, as `prefetch_related` would have."""

    def __init__(self, instance: Model, lookups: tuple):
        super().__init__()
        self.instance, self.lookups = weakref.ref(instance), lookups

    def __missing__(self, name: str):
        instance, lookups = self.instance(), self.lookups
        if instance is None or not lookups:
            raise KeyError(name)
        self.lookups = ()
        prefetch_related_objects([instance], *lookups)
        return self[name]


def prefetch_when_read(instance: Model, *lookups: str | Prefetch) -> Model:
    """`instance` whose relations `lookups` are prefetched when first read, not now: for
    relations only fragments read, so a reader who finds them kept loads no rows for them."""
    instance._prefetched_objects_cache = _PrefetchedWhenRead(instance, lookups)
    return instance


def _is_shared(request: HttpRequest, response: HttpResponse) -> bool:
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "cookie" not in response.get("Vary", "").lower()
        and not any(word in cache_control for word in ("private", "no-store", "no-cache"))
        # A page with an inline script carries its response's nonce: never hand it on.
        and not isinstance(getattr(request, "_csp_nonce", None), str)
    )


def _shared_headers(request: HttpRequest, response: HttpResponse) -> None:
    if settings.LANGUAGE_COOKIE_NAME in request.COOKIES:
        # A language chosen by cookie: a CDN keyed on Accept-Language would mix them up.
        patch_cache_control(response, private=True, max_age=0)
    else:
        patch_cache_control(
            response,
            public=True,
            max_age=0,
            s_maxage=settings.CACHE_SHARED_MAX_AGE,
            stale_while_revalidate=settings.CACHE_STALE_WHILE_REVALIDATE,
        )


def _page_key(request: HttpRequest, version: str) -> str:
    address = hashlib.md5(request.get_full_path().encode(), usedforsecurity=False).hexdigest()
    return f"page:{version}:{getattr(request, 'LANGUAGE_CODE', '')}:{address}"


def _from_cache(request: HttpRequest, entry: tuple[dict, bytes]) -> HttpResponse:
    headers, content = entry
    head = request.method == "HEAD"
    # HEAD: the GET's headers (its length included) and no body; body bytes on a HEAD answer
    # break keep-alive connections in some clients and make gunicorn complain.
    response = HttpResponse() if head else HttpResponse(_refreshed(content, time.time()))
    for name, value in headers.items():
        response[name] = value
    if head:
        response["Content-Length"] = str(len(content))
    return response


def page_cache_middleware(get_response):
    """Conditional GET and the full-page cache for anonymous readers (see module doc)."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if request.method not in {"GET", "HEAD"}:
            return get_response(request)
        if not is_anonymous(request):
            response = get_response(request)
            if "Cache-Control" not in response:
                patch_cache_control(response, private=True)
            return response
        if not settings.PAGE_CACHE:
            response = get_response(request)
            if not _is_shared(request, response):
                return response
            _shared_headers(request, response)
            stable = _refreshed(response.content, 0)
            response["ETag"] = quote_etag(hashlib.md5(stable, usedforsecurity=False).hexdigest())
            return get_conditional_response(request, etag=response["ETag"], response=response)

        try:
            version, since = content_version()
        except DatabaseError:
            # The database is down: let the view answer (a 503, or /healthz saying why).
            return get_response(request)
        request._content_version = version  # a miss's fragments and pager read it again
        etag = f'"{version}-{getattr(request, "LANGUAGE_CODE", "")}"'
        key = _page_key(request, version)
        entry = pages_here.get(version, key)
        if entry is None:
            entry = cache.get(key)
            if entry is not None:
                pages_here.put(version, key, entry, size=len(entry[1]))
        if entry is not None:
            response = _from_cache(request, entry)
            response[CACHE_HEADER] = "hit"
        else:
            response = get_response(request)
            if not _is_shared(request, response):
                return response
            if request.method == "GET":
                entry = (dict(response.items()), response.content)
                cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
                pages_here.put(version, key, entry, size=len(entry[1]))
            response[CACHE_HEADER] = "miss"
        _shared_headers(request, response)
        response["ETag"] = etag
        response["Last-Modified"] = http_date(since)
        return get_conditional_response(
            request, etag=etag, last_modified=int(since), response=response
        )

    return middleware
