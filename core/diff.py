"""Readable differences between two versions of a page's fields: word-level for text.

Content apps turn each version into readable texts, one per field (`{name: text}`), and
`changes()` says which fields differ and how, as escaped HTML with <del> and <ins>: inline
(`diff`, one column) and side by side (`before` and `after`). Stored HTML is compared as
its text (`html_to_text`), so nothing a version holds is ever rendered as markup. Used by
article and inspection history.
"""

import difflib
import re
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Words, runs of spaces and single punctuation marks: a changed full stop does not mark
# the word before it, and spacing and line breaks survive the round trip.
TOKEN = re.compile(r"\s+|\w+|[^\w\s]")
# Past this many tokens on either side the comparison is line by line first, then word by
# word within changed lines: SequenceMatcher is quadratic in the worst case.
WORD_DIFF_LIMIT = 20_000

BLOCK_TAGS = {
    *("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre"),
    *("ul", "ol", "table", "tr", "figure", "figcaption", "hr"),
}


@dataclass(frozen=True)
class Change:
    """One field that differs: its texts, and the difference as safe HTML."""

    name: str
    label: str
    old: str
    new: str
    diff: SafeString  # removed words in <del>, added ones in <ins>, in one text
    before: SafeString  # the old text with removed words in <del>
    after: SafeString  # the new text with added words in <ins>


class _TextParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in BLOCK_TAGS:
            self.parts.append("\n\n")
        elif tag == "li":
            self.parts.append("\n• ")
        elif tag == "br":
            self.parts.append("\n")
        elif tag in {"td", "th"}:
            self.parts.append(" | ")
        elif tag == "img":
            self.parts.append(f"[{attrs.get('alt') or 'image'}: {attrs.get('src', '')}]")
        elif tag == "a":
            self.links.append(attrs.get("href") or "")

    def handle_endtag(self, tag):
        if tag == "a" and self.links:
            href = self.links.pop()
            if href:
                self.parts.append(f" <{href}>")
        elif tag in BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        self.parts.append(data)


def html_to_text(value: str) -> str:
    """Rich text as a reader sees it: paragraphs apart, list items bulleted, link addresses
    after their words and images as [alt: address]."""
    parser = _TextParser()
    parser.feed(value or "")
    parser.close()
    text = unescape("".join(parser.parts))
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _tokens(text: str) -> list[str]:
    return TOKEN.findall(text or "")


class _Marked:
    def __init__(self):
        self.inline: list[str] = []
        self.before: list[str] = []
        self.after: list[str] = []

    def same(self, text: str) -> None:
        text = escape(text)
        self.inline.append(text)
        self.before.append(text)
        self.after.append(text)

    def replaced(self, removed: str, added: str) -> None:
        if removed:
            removed = f"<del>{escape(removed)}</del>"
            self.inline.append(removed)
            self.before.append(removed)
        if added:
            added = f"<ins>{escape(added)}</ins>"
            self.inline.append(added)
            self.after.append(added)

    def words(self, old: list[str], new: list[str]) -> None:
        matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
        runs = [
            [op == "equal", "".join(old[i1:i2]), "".join(new[j1:j2])]
            for op, i1, i2, j1, j2 in matcher.get_opcodes()
        ]
        # A lone space kept between two changes splits one edit into two: "under strain" →
        # "at breaking point" reads as one replacement, not as two around a shared space.
        merged: list[list] = []
        for index, run in enumerate(runs):
            equal, removed, added = run
            between = 0 < index < len(runs) - 1 and not runs[index + 1][0]
            if equal and between and not removed.strip():
                equal = False
            if merged and not equal and not merged[-1][0]:
                merged[-1][1] += removed
                merged[-1][2] += added
            else:
                merged.append([equal, removed, added])
        for equal, removed, added in merged:
            if equal:
                self.same(removed)
            else:
                self.replaced(removed, added)


def word_diff(old: str, new: str) -> tuple[SafeString, SafeString, SafeString]:
    """`old` turned into `new` word by word, escaped: (inline, before, after)."""
    old, new = old or "", new or ""
    marked = _Marked()
    old_tokens, new_tokens = _tokens(old), _tokens(new)
    if max(len(old_tokens), len(new_tokens)) <= WORD_DIFF_LIMIT:
        marked.words(old_tokens, new_tokens)
    else:
        old_lines, new_lines = old.splitlines(True), new.splitlines(True)
        matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                marked.same("".join(old_lines[i1:i2]))
            elif op == "replace" and i2 - i1 == j2 - j1:
                for before, after in zip(old_lines[i1:i2], new_lines[j1:j2], strict=True):
                    marked.words(_tokens(before), _tokens(after))
            else:
                marked.replaced("".join(old_lines[i1:i2]), "".join(new_lines[j1:j2]))
    # Every piece was escaped above; only our <del> and <ins> are markup.
    return (
        mark_safe("".join(marked.inline)),
        mark_safe("".join(marked.before)),
        mark_safe("".join(marked.after)),
    )


def changes(old: dict[str, str], new: dict[str, str], labels: dict[str, str]) -> list[Change]:
    """The fields of `labels` (in its order) whose text differs between `old` and `new`."""
    found = []
    for name, label in labels.items():
        before, after = old.get(name, "") or "", new.get(name, "") or ""
        if before == after:
            continue
        inline, before_html, after_html = word_diff(before, after)
        found.append(Change(name, str(label), before, after, inline, before_html, after_html))
    return found
