"""Every address a WordPress site answered, mapped to where the same thing lives here.

One map serves twice: its entries become django.contrib.redirects rows (so old links from
elsewhere keep working), and links inside imported posts are rewritten through it (so
they point straight at the new page).
"""

import posixpath
import re
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from django.utils.encoding import escape_uri_path

from core.redirects import query_path

# A resized copy WordPress made of an upload: photo-300x200.jpg is photo.jpg.
RESIZED = re.compile(r"-\d+x\d+(?=\.\w+$)")
MAX_OLD_PATH = 200  # django.contrib.redirects' column


def normalise(path: str, query: str = "") -> str:
    """The form Django's request.get_full_path() gives, so stored and requested paths meet.

    WordPress stores non-ASCII slugs percent-encoded in lower case; Django escapes in upper.
    """
    path = escape_uri_path(unquote(path or "/"))
    if not path.startswith("/"):
        path = "/" + path
    if query:
        canonical = query_path(dict(parse_qsl(query)))
        if canonical:
            return path + canonical[1:]  # "/?p=12", or "/blog/?p=12" below a folder
    return path


class AddressBook:
    """Old address (normalised path, or `/?p=12` form) -> new path on this site."""

    def __init__(self, base_url: str, extra_hosts: set[str] = frozenset()):
        parts = urlsplit(base_url)
        self.prefix = parts.path.rstrip("/")  # a blog that lived under /blog
        self.hosts = {host for host in {parts.hostname, *extra_hosts} if host}
        self.hosts |= {f"www.{h}" for h in self.hosts} | {
            h.removeprefix("www.") for h in self.hosts
        }
        self.paths: dict[str, str] = {}
        self.media: dict[str, str] = {}  # old upload path -> new file URL

    def add(self, old: str, new: str) -> None:
        """Record `old` (a URL or a path below the blog's address) as now at `new`."""
        if not old or not new:
            return
        parts = urlsplit(old)
        if parts.scheme or parts.netloc:
            if parts.hostname not in self.hosts:
                return
            key = normalise(parts.path, parts.query)
        elif old.startswith("/?"):
            key = normalise(self.prefix + "/", old[2:])
        else:
            key = normalise(self.prefix + "/" + old.lstrip("/"), parts.query)
        if key != new:
            self.paths.setdefault(key, new)

    def add_media(self, old_url: str, new_url: str) -> None:
        parts = urlsplit(old_url)
        if parts.hostname in self.hosts or not parts.netloc:
            self.media[normalise(parts.path)] = new_url

    def rewrite(self, url: str) -> str:
        """`url` as it should read in an imported post: the new address where there is one."""
        parts = urlsplit(url.strip())
        if parts.scheme not in {"", "http", "https"}:
            return url
        if parts.netloc and parts.hostname not in self.hosts:
            return url
        if not parts.netloc and not parts.path.startswith("/") and not parts.query:
            return url  # relative or a fragment: nothing to say about it
        path = normalise(parts.path, parts.query)
        new = self.media.get(path) or self.media.get(RESIZED.sub("", path))
        if new is None:
            new = self.paths.get(path) or self.paths.get(path.rstrip("/") + "/")
        if new is None:
            return url
        return f"{new}#{parts.fragment}" if parts.fragment else new

    def redirects(self) -> dict[str, str]:
        """Every old address that needs a redirect (uploads included, resized copies not)."""
        found = dict(self.paths)
        for old, new in self.media.items():
            found.setdefault(old, new)
        return {old: new for old, new in found.items() if old != new}


def slug_path(slug: str) -> str:
    """A WordPress slug as it appears in a URL (percent-encoded when it is not ASCII)."""
    return quote(unquote(slug), safe="-_.~")


def dated_forms(slug: str, local_date) -> list[str]:
    """The dated permalink structures WordPress offers for a post."""
    if local_date is None or not slug:
        return []
    slug = slug_path(slug)
    return [
        f"/{local_date:%Y/%m/%d}/{slug}/",
        f"/{local_date:%Y/%m}/{slug}/",
        f"/{local_date:%Y}/{slug}/",
    ]


def upload_path(url: str) -> str:
    """The part of an upload's URL below wp-content/uploads ("" if it is not one)."""
    path = unquote(urlsplit(url).path)
    marker = "/wp-content/uploads/"
    if marker in path:
        return posixpath.normpath(path.split(marker, 1)[1])
    return ""
