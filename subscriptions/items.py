"""What newsletters carry (articles and inspections) and the one matching rule: an item
goes to a subscriber who takes everything, or who follows any of its keys (its tags, its
author, its organisations or its inspectorate)."""

from collections.abc import Iterable

from blog.models import Article
from inspections.models import Inspection
from subscriptions.models import Follow, Keys


def article_keys(article: Article) -> Keys:
    """What an article is about (tags prefetched): its tags and its author."""
    return {
        Follow.Kind.TAG: {tag.pk for tag in article.tags.all()},
        Follow.Kind.AUTHOR: {article.author_id},
    }


def inspection_keys(inspection: Inspection) -> Keys:
    """What an inspection is about (tags and `inspected` prefetched)."""
    return {
        Follow.Kind.TAG: {tag.pk for tag in inspection.tags.all()},
        Follow.Kind.ORGANISATION: {row.organisation_id for row in inspection.inspected.all()},
        Follow.Kind.INSPECTORATE: {inspection.inspectorate_id},
    }


def merged_keys(all_keys: Iterable[Keys]) -> Keys:
    merged: Keys = {}
    for keys in all_keys:
        for kind, ids in keys.items():
            merged.setdefault(kind, set()).update(ids)
    return merged


class Interests:
    """What one subscriber follows, for matching items in hand (no queries)."""

    __slots__ = ("everything", "followed")

    def __init__(self, *, everything: bool, followed: Iterable[tuple[str, int]] = ()):
        self.everything = everything
        self.followed = frozenset(followed)

    def wants(self, keys: Keys) -> bool:
        if self.everything:
            return True
        return any((kind, pk) in self.followed for kind, ids in keys.items() for pk in ids)
