"""Reading a WordPress eXtended RSS export (WXR 1.0, 1.1, 1.2) as a stream.

The file is parsed with defusedxml's iterparse: a DOCTYPE (and so every entity-expansion
or external-entity trick) is refused, and each top-level element of the channel is handed
over and then cleared from the tree, so memory holds one post (with its comments) at a time
whatever the size of the export.
"""

import html
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

from defusedxml import (
    DefusedXmlException,
    DTDForbidden,
    EntitiesForbidden,
    ExternalReferenceForbidden,
)
from defusedxml import ElementTree as SafeElementTree

SUPPORTED_VERSIONS = ("1.0", "1.1", "1.2")

NAMESPACE_PREFIXES = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://wellformedweb.org/CommentAPI/": "wfw",
}


# What expat says when the input ends inside the document.
END_OF_INPUT_ERRORS = {
    "no element found",
    "unclosed token",
    "unclosed CDATA section",
    "unclosed comment",
    "partial character",
}


class WXRError(Exception):
    """The file cannot be imported at all; the message says why, for a person."""


def _name(tag: str) -> str:
    """`{http://wordpress.org/export/1.2/}post_id` -> `wp:post_id`, whatever the WXR version."""
    if not tag.startswith("{"):
        return tag
    uri, local = tag[1:].split("}", 1)
    if uri.startswith("http://wordpress.org/export/"):
        return f"excerpt:{local}" if uri.rstrip("/").endswith("excerpt") else f"wp:{local}"
    prefix = NAMESPACE_PREFIXES.get(uri)
    return f"{prefix}:{local}" if prefix else local


def _children(element: Element) -> dict[str, str]:
    """Text of each simple child, by its prefixed name (the first of each name wins)."""
    values: dict[str, str] = {}
    for child in element:
        values.setdefault(
            _name(child.tag), (child.text or "").strip("\r\n") if len(child) == 0 else ""
        )
    return values


@dataclass(frozen=True)
class Channel:
    version: str
    title: str
    link: str
    base_site_url: str
    base_blog_url: str

    @property
    def source(self) -> str:
        """What identifies the exported site across exports: its blog address."""
        return (self.base_blog_url or self.base_site_url or self.link).rstrip("/")


@dataclass(frozen=True)
class Author:
    wp_id: int | None
    login: str
    email: str
    display_name: str
    first_name: str
    last_name: str


@dataclass(frozen=True)
class Term:
    """A category or a post tag from the channel's term list."""

    taxonomy: str  # "category" or "post_tag"
    wp_id: int | None
    slug: str
    name: str
    parent: str  # the parent category's slug
    description: str


@dataclass(frozen=True)
class ItemTerm:
    taxonomy: str  # "category", "post_tag", "post_format", …
    slug: str
    name: str


@dataclass(frozen=True)
class Comment:
    wp_id: int
    author: str
    email: str
    url: str
    ip: str
    date: str
    date_gmt: str
    content: str
    approved: str
    type: str
    parent: int


@dataclass
class Item:
    wp_id: int
    post_type: str
    status: str
    title: str
    link: str
    guid: str
    creator: str
    content: str
    excerpt: str
    post_date: str
    post_date_gmt: str
    post_name: str
    parent: int
    menu_order: int
    comment_status: str
    password: str
    is_sticky: bool
    attachment_url: str
    terms: list[ItemTerm] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    comments: list[Comment] = field(default_factory=list)

    @property
    def label(self) -> str:
        """How report lines name the item."""
        title = f" “{html.unescape(self.title)[:60]}”" if self.title else ""
        return f"{self.post_type} {self.wp_id}{title}"


def _int(value: str) -> int:
    try:
        return int(value.strip() or 0)
    except ValueError:
        return 0


def _author(element: Element) -> Author:
    values = _children(element)
    return Author(
        wp_id=_int(values.get("wp:author_id", "")) or None,
        login=values.get("wp:author_login", "").strip(),
        email=values.get("wp:author_email", "").strip(),
        display_name=values.get("wp:author_display_name", "").strip(),
        first_name=values.get("wp:author_first_name", "").strip(),
        last_name=values.get("wp:author_last_name", "").strip(),
    )


def _term(element: Element, name: str) -> Term | None:
    values = _children(element)
    if name == "wp:category":
        return Term(
            "category",
            _int(values.get("wp:term_id", "")) or None,
            values.get("wp:category_nicename", "").strip(),
            values.get("wp:cat_name", "").strip(),
            values.get("wp:category_parent", "").strip(),
            values.get("wp:category_description", "").strip(),
        )
    if name == "wp:tag":
        return Term(
            "post_tag",
            _int(values.get("wp:term_id", "")) or None,
            values.get("wp:tag_slug", "").strip(),
            values.get("wp:tag_name", "").strip(),
            "",
            values.get("wp:tag_description", "").strip(),
        )
    taxonomy = values.get("wp:term_taxonomy", "")
    if taxonomy in {"category", "post_tag"}:
        return Term(
            taxonomy,
            _int(values.get("wp:term_id", "")) or None,
            values.get("wp:term_slug", "").strip(),
            values.get("wp:term_name", "").strip(),
            values.get("wp:term_parent", "").strip(),
            values.get("wp:term_description", "").strip(),
        )
    return None


def _item(element: Element) -> Item:
    values = _children(element)
    item = Item(
        wp_id=_int(values.get("wp:post_id", "")),
        post_type=values.get("wp:post_type", "post").strip() or "post",
        status=values.get("wp:status", "").strip(),
        title=values.get("title", "").strip(),
        link=values.get("link", "").strip(),
        guid=values.get("guid", "").strip(),
        creator=values.get("dc:creator", "").strip(),
        content=values.get("content:encoded", ""),
        excerpt=values.get("excerpt:encoded", ""),
        post_date=values.get("wp:post_date", "").strip(),
        post_date_gmt=values.get("wp:post_date_gmt", "").strip(),
        post_name=values.get("wp:post_name", "").strip(),
        parent=_int(values.get("wp:post_parent", "")),
        menu_order=_int(values.get("wp:menu_order", "")),
        comment_status=values.get("wp:comment_status", "").strip(),
        password=values.get("wp:post_password", ""),
        is_sticky=values.get("wp:is_sticky", "0").strip() == "1",
        attachment_url=values.get("wp:attachment_url", "").strip(),
    )
    for child in element:
        name = _name(child.tag)
        if name == "category":
            # WXR 1.0 calls tags "tag" (1.1+ says post_tag) and writes each term twice: plain
            # (no domain, no nicename, as RSS has it) and with its nicename.
            domain = child.get("domain", "category")
            taxonomy = "post_tag" if domain == "tag" else domain
            item.terms.append(
                ItemTerm(taxonomy, child.get("nicename", "").strip(), (child.text or "").strip())
            )
        elif name == "wp:postmeta":
            meta = _children(child)
            item.meta.setdefault(meta.get("wp:meta_key", ""), meta.get("wp:meta_value", ""))
        elif name == "wp:comment":
            c = _children(child)
            item.comments.append(
                Comment(
                    wp_id=_int(c.get("wp:comment_id", "")),
                    author=c.get("wp:comment_author", "").strip(),
                    email=c.get("wp:comment_author_email", "").strip(),
                    url=c.get("wp:comment_author_url", "").strip(),
                    ip=c.get("wp:comment_author_IP", "").strip(),
                    date=c.get("wp:comment_date", "").strip(),
                    date_gmt=c.get("wp:comment_date_gmt", "").strip(),
                    content=c.get("wp:comment_content", ""),
                    approved=c.get("wp:comment_approved", "").strip(),
                    type=c.get("wp:comment_type", "").strip(),
                    parent=_int(c.get("wp:comment_parent", "")),
                )
            )
    named = {(term.taxonomy, term.name) for term in item.terms if term.slug}
    item.terms = [t for t in item.terms if t.slug or (t.taxonomy, t.name) not in named]
    return item


CHANNEL_FIELDS = {"title", "link", "wp:wxr_version", "wp:base_site_url", "wp:base_blog_url"}


class WXRReader:
    """One pass over an export: `read()` yields Channel once, then Authors, Terms and Items.

    Raises WXRError for a file that cannot be imported (not XML, truncated, a DOCTYPE or
    entity, not a WordPress export, an unknown WXR version). `progress(done_bytes)` is called
    as the file is read.
    """

    def __init__(self, path: Path, progress: Callable[[int], None] | None = None):
        self.path = Path(path)
        self.progress = progress
        try:
            self.size = os.path.getsize(self.path)
        except OSError as exc:
            raise WXRError(f"cannot read {self.path}: {exc.strerror or exc}") from exc

    def read(self) -> Iterator[Channel | Author | Term | Item]:
        try:
            with open(self.path, "rb") as handle:
                yield from self._read(handle)
        except ParseError as exc:
            line, column = getattr(exc, "position", (0, 0))
            reason = str(exc).split(":")[0]
            if reason in END_OF_INPUT_ERRORS:
                reason = f"the file ends too soon (truncated?): {reason}"
            raise WXRError(
                f"{self.path.name} is not well-formed XML at line {line}, column {column}: "
                f"{reason}. Export it from WordPress again; nothing was imported."
            ) from exc
        except (DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden) as exc:
            raise WXRError(
                f"{self.path.name} declares a DTD or entities ({type(exc).__name__}); WordPress "
                "exports never do, and they can be used to attack the importer (entity "
                "expansion, external files). Refused; nothing was imported."
            ) from exc
        except DefusedXmlException as exc:
            raise WXRError(f"{self.path.name} was refused by the XML parser: {exc}.") from exc
        except OSError as exc:
            raise WXRError(f"cannot read {self.path}: {exc.strerror or exc}") from exc

    def _read(self, handle) -> Iterator[Channel | Author | Term | Item]:
        events = SafeElementTree.iterparse(
            handle, events=("start", "end"), forbid_dtd=True, forbid_entities=True
        )
        depth = 0
        channel_element: Element | None = None
        channel_values: dict[str, str] = {}
        channel: Channel | None = None
        for event, element in events:
            if event == "start":
                depth += 1
                if depth == 1 and _name(element.tag) != "rss":
                    raise WXRError(
                        f"{self.path.name} is XML but not an RSS file (its root is "
                        f"<{_name(element.tag)}>): not a WordPress export."
                    )
                if depth == 2:
                    channel_element = element
                continue
            depth -= 1
            if depth != 2 or channel_element is None:
                continue
            name = _name(element.tag)
            if name in CHANNEL_FIELDS and channel is None:
                channel_values[name] = (element.text or "").strip()
                if name == "wp:wxr_version" and channel_values[name] not in SUPPORTED_VERSIONS:
                    raise WXRError(
                        f"unknown WXR version {channel_values[name]!r} (this importer reads "
                        f"{', '.join(SUPPORTED_VERSIONS)}); nothing was imported."
                    )
            elif name in {"wp:author", "wp:category", "wp:tag", "wp:term", "item"}:
                if channel is None:
                    channel = self._channel(channel_values)
                    yield channel
                if name == "wp:author":
                    yield _author(element)
                elif name == "item":
                    yield _item(element)
                else:
                    term = _term(element, name)
                    if term is not None:
                        yield term
            # Done with this child of <channel>: drop it so memory stays flat.
            del channel_element[:]
            if self.progress:
                self.progress(handle.tell())
        if channel is None:
            yield self._channel(channel_values)

    def _channel(self, values: dict[str, str]) -> Channel:
        if "wp:wxr_version" not in values:
            raise WXRError(
                f"{self.path.name} has no <wp:wxr_version>: it is RSS but not a WordPress "
                "export (Tools → Export in WordPress writes one); nothing was imported."
            )
        return Channel(
            version=values["wp:wxr_version"],
            title=values.get("title", ""),
            link=values.get("link", ""),
            base_site_url=values.get("wp:base_site_url", ""),
            base_blog_url=values.get("wp:base_blog_url", ""),
        )
