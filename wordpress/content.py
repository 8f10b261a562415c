"""WordPress post content -> the HTML our articles store (sanitised by blog.sanitise on save).

In the order WordPress itself applies them: Gutenberg block comments go (their HTML stays;
embed blocks become links), shortcodes are set aside, classic-editor text gets WordPress's
auto-paragraph rule, then the shortcodes come back converted: [caption] a <figure>,
[gallery] a list of figures of the attachments that exist, [embed] and oEmbed URLs alone on
a line a plain link (never a third-party iframe), anything else removed (self-closing) or
reduced to its inner text (enclosing) — never executed. Links and images pointing at the
old site are rewritten through `rewrite_url`.
"""

import html
import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

# Elements wpautop treats as blocks: never wrapped in <p>, and they end a paragraph.
BLOCK_TAGS = (
    "address|article|aside|blockquote|caption|col|colgroup|dd|details|div|dl|dt|fieldset|"
    "figcaption|figure|footer|form|h[1-6]|header|hgroup|hr|legend|li|map|math|menu|nav|ol|"
    "option|p|pre|section|select|summary|table|tbody|td|tfoot|th|thead|tr|ul|iframe|audio|"
    "video|source|object|embed|style|script|noscript"
)
BLOCK_OPEN = re.compile(rf"(<(?:{BLOCK_TAGS})[\s/>])", re.IGNORECASE)
BLOCK_CLOSE = re.compile(rf"(</(?:{BLOCK_TAGS})>)", re.IGNORECASE)
STARTS_WITH_BLOCK = re.compile(rf"^</?(?:{BLOCK_TAGS})[\s/>]", re.IGNORECASE)
PRE = re.compile(r"<pre[\s>].*?</pre>", re.IGNORECASE | re.DOTALL)

BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:[^>]*?-->", re.DOTALL)
EMBED_BLOCK = re.compile(
    r"<!--\s*wp:(?:core-)?embed(?:/[\w-]+)?\s+(\{.*?\})\s*/?-->.*?<!--\s*/wp:(?:core-)?embed"
    r"(?:/[\w-]+)?\s*-->",
    re.DOTALL,
)
MORE = re.compile(r"<!--more(?:\s[^>]*)?-->|<!--noteaser-->", re.IGNORECASE)
NEXTPAGE = re.compile(r"<!--nextpage-->", re.IGNORECASE)

SHORTCODE_NAME = r"[a-zA-Z][\w-]*"
# [[name]] is WordPress's escape for a literal [name]; otherwise [name attrs]…[/name] or
# [name attrs] / [name attrs /]. A plain bracketed word like [sic] or [1] has no attributes
# and no closing tag, and stays text.
SHORTCODE = re.compile(
    rf"\[(\[?)({SHORTCODE_NAME})(?![\w-])([^\]\[]*?)(/?)\](?:(.*?)\[/\2\])?(\]?)",
    re.DOTALL,
)
ATTRIBUTE = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s'"]+))|"([^"]*)"|(\S+)""")
URL_LINE = re.compile(r"^[ \t]*(https?://[^\s<>\"']+)[ \t]*$", re.MULTILINE)
HREF_SRC = re.compile(r"""(\s(?:href|src)\s*=\s*)(["'])(.*?)\2""", re.IGNORECASE | re.DOTALL)
KNOWN = {"caption", "wp_caption", "gallery", "embed", "audio", "video", "playlist"}
PLACEHOLDER = "\x00SC{}\x00"
PLACEHOLDER_RE = re.compile(r"(?:<p>)?\x00SC(\d+)\x00(?:</p>)?")


@dataclass(frozen=True)
class Attachment:
    """What a [gallery] or [caption] needs to know of an attachment in the export."""

    url: str
    title: str
    caption: str
    alt: str
    parent: int


@dataclass
class Conversion:
    """Notes from converting one post, for the report."""

    removed_shortcodes: Counter = field(default_factory=Counter)
    missing_attachments: int = 0


def parse_attributes(text: str) -> dict[str, str]:
    attributes: dict[str, str] = {}
    for position, match in enumerate(ATTRIBUTE.finditer(text)):
        name, double, single, bare, positional, word = match.groups()
        if name:
            attributes[name.lower()] = html.unescape(double or single or bare or "")
        else:
            attributes[str(position)] = html.unescape(positional or word or "")
    return attributes


def autop(text: str) -> str:
    """WordPress's wpautop: blank-line-separated text becomes <p>, single newlines <br>."""
    if not text.strip():
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    kept: list[str] = []

    def keep(match: re.Match) -> str:
        kept.append(match.group(0))
        return f"\n\n\x00PRE{len(kept) - 1}\x00\n\n"

    text = PRE.sub(keep, text)
    text = BLOCK_OPEN.sub(r"\n\n\1", text)
    text = BLOCK_CLOSE.sub(r"\1\n\n", text)
    paragraphs = []
    for chunk in re.split(r"\n\s*\n", text):
        chunk = chunk.strip()
        if not chunk:
            continue
        if STARTS_WITH_BLOCK.match(chunk) or chunk.startswith("\x00"):
            paragraphs.append(chunk)
        else:
            paragraphs.append("<p>" + re.sub(r"\s*\n\s*", "<br>\n", chunk) + "</p>")
    text = "\n".join(paragraphs)
    return re.sub(r"\x00PRE(\d+)\x00", lambda m: kept[int(m.group(1))], text)


def link(url: str) -> str:
    url = html.escape(url, quote=True)
    return f'<p><a href="{url}">{url}</a></p>'


class Converter:
    """Converts post bodies; `attachments` are the export's, by WordPress ID."""

    def __init__(
        self,
        *,
        attachments: dict[int, Attachment],
        rewrite_url: Callable[[str], str] = lambda url: url,
    ):
        self.attachments = attachments
        self.rewrite_url = rewrite_url

    def convert(self, content: str, *, post_id: int = 0) -> tuple[str, Conversion]:
        notes = Conversion()
        content = content.replace("\r\n", "\n")
        content = MORE.sub("", content)
        content = NEXTPAGE.sub("\n\n<hr>\n\n", content)
        has_blocks = "<!-- wp:" in content
        content = EMBED_BLOCK.sub(self._embed_block, content)
        content = BLOCK_COMMENT.sub("", content)
        shortcodes: list[str] = []

        def set_aside(match: re.Match) -> str:
            if match.group(1) and match.group(6):  # [[name]]: WordPress prints [name]
                return html.escape(match.group(0)[1:-1], quote=False)
            rendered = self._shortcode(match, notes, post_id)
            if rendered is None:
                return match.group(0)
            shortcodes.append(rendered)
            return "\n\n" + PLACEHOLDER.format(len(shortcodes) - 1) + "\n\n"

        content = SHORTCODE.sub(set_aside, content)
        content = URL_LINE.sub(lambda m: "\n\n" + link(m.group(1)) + "\n\n", content)
        if not has_blocks:
            content = autop(content)
        content = PLACEHOLDER_RE.sub(lambda m: shortcodes[int(m.group(1))], content)
        content = HREF_SRC.sub(self._rewrite, content)
        return re.sub(r"\n\s*\n(?:\s*\n)+", "\n\n", content).strip(), notes

    def _rewrite(self, match: re.Match) -> str:
        url = html.unescape(match.group(3))
        new = self.rewrite_url(url)
        if new == url:
            return match.group(0)
        return f"{match.group(1)}{match.group(2)}{html.escape(new, quote=True)}{match.group(2)}"

    def _embed_block(self, match: re.Match) -> str:
        try:
            url = json.loads(match.group(1)).get("url", "")
        except ValueError:
            url = ""
        return "\n\n" + link(url) + "\n\n" if url.startswith(("http://", "https://")) else ""

    def _shortcode(self, match: re.Match, notes: Conversion, post_id: int) -> str | None:
        """The shortcode's HTML; None to leave the text exactly as it is."""
        opening, name, raw, _slash, inner, closing = match.groups()
        rendered = self._render(name, raw, inner, notes, post_id)
        if rendered is None:
            return None
        return f"{html.escape(opening)}{rendered}{html.escape(closing)}"

    def _render(
        self, name: str, raw: str, inner: str | None, notes: Conversion, post_id: int
    ) -> str | None:
        attributes = parse_attributes(raw)
        lowered = name.lower()
        if lowered in {"caption", "wp_caption"}:
            return self._caption(attributes, inner or "")
        if lowered == "gallery":
            return self._gallery(attributes, notes, post_id)
        if lowered == "embed":
            url = (inner or attributes.get("src", "")).strip()
            return link(url) if url.startswith(("http://", "https://")) else ""
        if lowered in {"audio", "video"}:
            url = next(
                (v for k, v in attributes.items() if k in {"src", "mp3", "mp4", "m4a", "ogg",
                 "webm", "wav"} and v.startswith(("http://", "https://"))),
                "",
            )  # fmt: skip
            return link(url) if url else ""
        if inner is None and not raw.strip() and lowered not in KNOWN:
            return None  # [sic], [1], [citation needed]: ordinary text
        notes.removed_shortcodes[lowered] += 1
        return autop(inner) if inner else ""

    def _caption(self, attributes: dict[str, str], inner: str) -> str:
        caption = attributes.get("caption", "")
        inner = inner.strip()
        media = re.match(r"^\s*((?:<a\s[^>]*>\s*)?<img\s[^>]*>(?:\s*</a>)?)(.*)$", inner, re.S)
        if media:
            image, text = media.group(1), media.group(2).strip()
        else:
            image, text = "", inner
        caption = caption or text
        figcaption = f"<figcaption>{caption}</figcaption>" if caption else ""
        return f"<figure>{image}{figcaption}</figure>"

    def _gallery(self, attributes: dict[str, str], notes: Conversion, post_id: int) -> str:
        if attributes.get("ids"):
            ids = [int(part) for part in re.findall(r"\d+", attributes["ids"])]
        else:
            ids = sorted(pk for pk, a in self.attachments.items() if a.parent == post_id)
        figures = []
        for pk in ids:
            attachment = self.attachments.get(pk)
            if attachment is None or not attachment.url:
                notes.missing_attachments += 1
                continue
            alt = html.escape(attachment.alt or attachment.title, quote=True)
            src = html.escape(attachment.url, quote=True)
            caption = (
                f"<figcaption>{html.escape(attachment.caption)}</figcaption>"
                if attachment.caption
                else ""
            )
            figures.append(f'<li><figure><img src="{src}" alt="{alt}">{caption}</figure></li>')
        return f"<ul>{''.join(figures)}</ul>" if figures else ""
