"""What can be followed, by kind: its name and page, looked up in a fixed few queries."""

import dataclasses
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.urls import reverse
from taggit.models import Tag

from blog.models import AuthorProfile
from inspections.models import Inspectorate, Organisation
from subscriptions.models import Follow, Subscriber


@dataclasses.dataclass(frozen=True)
class Target:
    kind: str
    pk: int
    name: str
    url: str

    @property
    def value(self) -> str:
        """How forms name it: "kind:id"."""
        return f"{self.kind}:{self.pk}"

    @property
    def kind_label(self) -> str:
        return str(Follow.Kind(self.kind).label)


def _inspectorate_url(slug: str) -> str:
    return f"{reverse('inspections:inspection-list')}?inspectorate={slug}"


def targets(pairs: Iterable[tuple[str, int]]) -> list[Target]:
    """The targets named by (kind, id) pairs that exist, by kind then name (one query a kind)."""
    wanted: dict[str, set[int]] = {}
    for kind, pk in pairs:
        wanted.setdefault(kind, set()).add(pk)
    found: list[Target] = []
    if ids := wanted.get(Follow.Kind.ORGANISATION):
        found += [
            Target(Follow.Kind.ORGANISATION, org.pk, org.name, org.get_absolute_url())
            for org in Organisation.objects.filter(pk__in=ids).only("name", "slug")
        ]
    if ids := wanted.get(Follow.Kind.INSPECTORATE):
        found += [
            Target(Follow.Kind.INSPECTORATE, body.pk, body.name, _inspectorate_url(body.slug))
            for body in Inspectorate.objects.filter(pk__in=ids).only("name", "slug")
        ]
    if ids := wanted.get(Follow.Kind.TAG):
        found += [
            Target(Follow.Kind.TAG, tag.pk, tag.name, reverse("blog:tag-detail", args=[tag.slug]))
            for tag in Tag.objects.filter(pk__in=ids).only("name", "slug")
        ]
    if ids := wanted.get(Follow.Kind.AUTHOR):
        username = get_user_model().USERNAME_FIELD
        found += [
            Target(
                Follow.Kind.AUTHOR,
                profile.user_id,
                profile.display_name,
                reverse("blog:author-detail", args=[getattr(profile.user, username)]),
            )
            for profile in AuthorProfile.objects.filter(user_id__in=ids).select_related("user")
        ]
    order = {kind: n for n, kind in enumerate(Follow.Kind.values)}
    return sorted(found, key=lambda t: (order[t.kind], t.name.lower(), t.pk))


def target(kind: str, pk: int) -> Target | None:
    """The one target `kind` `pk`, or None when there is no such thing to follow."""
    if kind not in Follow.Kind.values:
        return None
    found = targets([(kind, pk)])
    return found[0] if found else None


def followed_by(subscriber: Subscriber) -> list[Target]:
    """Everything `subscriber` follows besides tags (organisations, inspectorates, authors)."""
    return targets(subscriber.follows.values_list("kind", "target_id"))


def followable(obj, *, inspectorate_slug: str = "") -> tuple[str, int, str] | None:
    """(kind, id, name) of a page's object a reader can follow, or None."""
    if isinstance(obj, Organisation):
        return Follow.Kind.ORGANISATION, obj.pk, obj.name
    if isinstance(obj, Inspectorate):
        return Follow.Kind.INSPECTORATE, obj.pk, obj.name
    if isinstance(obj, Tag):
        return Follow.Kind.TAG, obj.pk, obj.name
    if isinstance(obj, AuthorProfile):
        return Follow.Kind.AUTHOR, obj.user_id, obj.display_name
    if inspectorate_slug:
        body = Inspectorate.objects.filter(slug=inspectorate_slug).only("name").first()
        if body is not None:
            return Follow.Kind.INSPECTORATE, body.pk, body.name
    return None
