"""What a reader typed, read once into terms both databases search for in the same way.

The grammar is the web-search one readers know: words must all match, "quoted words" match as
a phrase, -word excludes, `or` between two terms accepts either. Anything else (stray quotes,
brackets, operators of either database's own syntax) is treated as text, so no input is an
error: at worst it matches nothing.
"""

import itertools
import re
from dataclasses import dataclass, field

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12

# A phrase in quotes (an unbalanced quote runs to the end), or a run of anything but spaces.
TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
WORD = re.compile(r"\w+")

# PostgreSQL's English stop words (tsearch_data/english.stop). A single-word term that is one
# of them is dropped on both databases, so "the" finds nothing on either, not everything on one.
ENGLISH_STOP_WORDS = """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his
    himself she her hers herself it its itself they them their theirs themselves what
    which who whom this that these those am is are was were be been being have has had
    having do does did doing a an the and but if or because as until while of at by for
    with about against between into through during before after above below to from up
    down in out on off over under again further then once here there when where why how
    all any both each few more most other some such no nor not only own same so than too
    very s t can will just don should now
"""
STOP_WORDS = frozenset(ENGLISH_STOP_WORDS.split())


@dataclass(frozen=True)
class Term:
    """One word, or several that must appear together in this order (a phrase)."""

    words: tuple[str, ...]

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1

    def __str__(self) -> str:
        text = " ".join(self.words)
        return f'"{text}"' if self.is_phrase else text


@dataclass
class ParsedQuery:
    text: str  # what was searched for, after truncation
    truncated: bool = False
    # Every group must match; a group matches when any of its terms does (`a or b`).
    groups: list[list[Term]] = field(default_factory=list)
    excluded: list[Term] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.groups)

    @property
    def words(self) -> list[str]:
        return [word for group in self.groups for term in group for word in term.words]

    def pairs(self) -> list[str]:
        """Side-by-side words ("domestic abuse") that every match has, from the phrases that
        must match: letters only and no stop words, so each word is one word to the index."""
        pairs = []
        for group in self.groups:
            if len(group) > 1 or not group[0].is_phrase:
                continue
            words = group[0].words
            pairs += [
                f"{first} {second}"
                for first, second in itertools.pairwise(words)
                if first.isalpha() and second.isalpha() and not {first, second} & STOP_WORDS
            ]
        return pairs

    def websearch(self) -> str:
        """The query in PostgreSQL's `websearch_to_tsquery` syntax (words only, no operators)."""
        parts = [" or ".join(str(term) for term in group) for group in self.groups]
        parts += [f"-{term}" for term in self.excluded]
        return " ".join(parts)

    def fts5(self, *, exclusions: bool = True) -> str:
        """The query in SQLite FTS5 syntax; every word quoted, so it is never an operator."""

        def quoted(term: Term) -> str:
            return '"' + " ".join(term.words) + '"'

        groups = []
        for group in self.groups:
            terms = [quoted(term) for term in group]
            groups.append(terms[0] if len(terms) == 1 else "(" + " OR ".join(terms) + ")")
        query = " AND ".join(groups)
        for term in self.excluded if exclusions else []:
            query = f"({query}) NOT {quoted(term)}"
        return query


def normalise(text: str) -> str:
    """Lower case, one space between words: how titles are compared for an exact match."""
    return " ".join(WORD.findall(text.lower()))


def parse_query(raw: str) -> ParsedQuery:
    """Read `raw` (any text at all) into terms; longer than MAX_QUERY_LENGTH is cut."""
    text = " ".join(raw.split())
    truncated = len(text) > MAX_QUERY_LENGTH
    if truncated:
        cut = text[:MAX_QUERY_LENGTH]
        text = cut.rsplit(" ", 1)[0] if " " in cut else cut
    parsed = ParsedQuery(text=text, truncated=truncated)
    pending_or = False
    terms = 0
    for match in TOKEN.finditer(text):
        negative, phrase, bare = match.groups()
        if bare is not None:
            if bare.lower() == "or" and parsed.groups:
                pending_or = True
                continue
            negative, phrase = ("-", bare[1:]) if bare.startswith("-") else ("", bare)
        words = tuple(word.lower() for word in WORD.findall(phrase))
        if not words or terms >= MAX_TERMS:
            continue
        if len(words) == 1 and words[0] in STOP_WORDS:
            continue
        terms += 1
        term = Term(words)
        if negative:
            parsed.excluded.append(term)
        elif pending_or:
            parsed.groups[-1].append(term)
        else:
            parsed.groups.append([term])
        pending_or = False
    return parsed
