"""Readers' plain text: cleaned on the way in, escaped and linked on the way out."""

import re
import unicodedata

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Bidirectional embeddings, overrides and isolates: they let a name or body display text
# in an order other than the one stored (e.g. a link that reads backwards).
BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))

URL_RE = re.compile(r"(?i)\b(?:https?://|www\.)[^\s<>\"'`]+")
TRAILING_PUNCTUATION = ".,;:!?*'\""
LINK_REL = "nofollow ugc noopener"


def clean_text(value: str, *, multiline: bool = False) -> str:
    """`value` without control characters or bidi overrides, newlines as \\n, trimmed."""
    value = value.replace("\r\n", "\n").replace("\r", "\n").translate(BIDI_CONTROLS)
    keep = "\n\t" if multiline else ""
    value = "".join(
        char if char in keep or unicodedata.category(char) != "Cc" else " " for char in value
    )
    if multiline:
        value = "\n".join(line.rstrip() for line in value.split("\n"))
        return re.sub(r"\n{3,}", "\n\n", value).strip()
    return " ".join(value.split())


def find_urls(text: str) -> list[str]:
    return [_trim(match.group(0)) for match in URL_RE.finditer(text)]


def _trim(url: str) -> str:
    """Drop trailing punctuation, and a closing bracket that does not belong to the URL."""

    def belongs(last: str) -> bool:
        if last in TRAILING_PUNCTUATION:
            return False
        return last != ")" or url.count(")") <= url.count("(")

    while url and not belongs(url[-1]):
        url = url[:-1]
    return url


def count_links(text: str) -> int:
    return len(find_urls(text)) + len(re.findall(r"(?i)<a\s|\[url", text))


def safe_href(url: str) -> str:
    """`url` if it is an http(s) address, else "" (never javascript:, data:, …)."""
    return url if re.match(r"(?i)^https?://[^\s\"'<>`]+$", url or "") else ""


def link(url: str, text: str | None = None) -> str:
    href = url if url.lower().startswith(("http://", "https://")) else f"https://{url}"
    return f'<a href="{escape(href)}" rel="{LINK_REL}">{escape(text or url)}</a>'


def _linkify_line(line: str) -> str:
    parts, position = [], 0
    for match in URL_RE.finditer(line):
        url = _trim(match.group(0))
        if not url or url.lower() in {"http://", "https://", "www."}:
            continue
        start = match.start()
        parts.append(escape(line[position:start]))
        parts.append(link(url))
        position = start + len(url)
    parts.append(escape(line[position:]))
    return "".join(parts)


def render_plain_text(text: str) -> SafeString:
    """Paragraphs and line breaks kept, web addresses linked, everything else escaped."""
    text = text.translate(BIDI_CONTROLS)
    paragraphs = [p for p in re.split(r"\n{2,}", text.strip()) if p.strip()]
    html = "".join(
        "<p>" + "<br>".join(_linkify_line(line) for line in paragraph.split("\n")) + "</p>"
        for paragraph in paragraphs
    )
    # Safe: every piece of reader text above went through escape().
    return mark_safe(html)
