"""The shapes of the demo content: plain data, turned into rows by demo.services."""

import datetime
import re
from dataclasses import dataclass

CREDIT = "Illustration: Oversight"

_BLOCK_TAGS = "p|h2|h3|li|ul|ol|blockquote|table|caption|thead|tbody|tr|th|td"
_AROUND_BLOCK_TAG = re.compile(rf"\s*(</?(?:{_BLOCK_TAGS})\b[^>]*>)\s*")
# A line break after each closing block tag, so the admin's editor shows tidy source.
_BLOCK_END = re.compile(r"(</(?:p|h2|h3|li|ul|ol|blockquote|table|thead|tbody|tr)>)")


def html(text: str) -> str:
    """Prose written across indented source lines, as compact HTML with one block per line."""
    collapsed = re.sub(r"\s+", " ", text).strip()
    collapsed = _AROUND_BLOCK_TAG.sub(r"\1", collapsed)
    return _BLOCK_END.sub(r"\1\n", collapsed).strip()


@dataclass(frozen=True)
class DemoImage:
    label: str
    alt: str
    caption: str
    palette: str = "navy"


@dataclass(frozen=True)
class DemoAuthor:
    username: str
    first_name: str
    last_name: str
    bio: str
    colour: str

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True)
class DemoCategory:
    slug: str
    name: str
    description: str


@dataclass(frozen=True)
class DemoArticle:
    """An article; `published_on` pins a historical day, `days_ago` dates it from load time."""

    slug: str
    title: str
    author: str
    category: str
    tags: str
    standfirst: str
    body: str
    published_on: datetime.date | None = None
    days_ago: int | None = None
    meta_description: str = ""
    image: DemoImage | None = None

    def __post_init__(self):
        if (self.published_on is None) == (self.days_ago is None):
            raise ValueError(f"{self.slug}: give exactly one of published_on or days_ago")

    @property
    def tag_names(self) -> list[str]:
        """`tags` is written comma-separated, the way editors type them."""
        return [name.strip() for name in self.tags.split(",") if name.strip()]


@dataclass(frozen=True)
class DemoPackItem:
    """A pack entry: a demo article by slug, or an external document by source id."""

    article: str = ""
    source: str = ""
    title: str = ""
    note: str = ""


@dataclass(frozen=True)
class DemoPack:
    slug: str
    title: str
    promo_text: str
    intro: str
    image: DemoImage
    items: tuple[DemoPackItem, ...]


@dataclass(frozen=True)
class DemoPage:
    url: str
    title: str
    content: str
