"""Load the demo content into the database, once: a second run finds everything and stops.

Content goes in through the paths a real site uses: articles through `article_save` (as the
admin saves them), inspection records through the open-data import, readers' comments
through `comment_submit` and `comment_moderate`. What editors set up by hand in the admin
(authors, categories, the resource pack, flat pages, reference rows) is created directly.
"""

import datetime
import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.core.files.base import ContentFile
from django.db import transaction
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from blog.models import Article, AuthorProfile, Category, ResourcePack, ResourcePackItem
from blog.services import article_save
from core.content import registry
from core.roles import EDITOR
from demo import content, images, records
from demo.specs import CREDIT, DemoArticle, DemoAuthor, DemoCategory, DemoPack
from inspections.models import Inspection

NOTHING_CHANGED = "Demo content already loaded: nothing changed."
# Historical articles appear at a plausible morning publishing time, site time zone.
PUBLISH_TIME = datetime.time(9, 30)
# How long the demo's readers spend on the comment form: a reader's pace, not a robot's.
READING_SECONDS = 240.0
READER_USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
_LINK = re.compile(r'(href|cite)="(source|article):([\w-]+)"')
# What DemoResult counts, singular -> plural, in the order it is reported.
KINDS = {
    "author": "authors",
    "category": "categories",
    "article": "articles",
    "tag": "tags",
    "resource pack": "resource packs",
    "resource pack item": "resource pack items",
    "inspection record": "inspection records",
    "article-inspection link": "article-inspection links",
    "comment": "comments",
    "page": "pages",
    "editor account": "editor accounts",
}


@dataclass
class DemoResult:
    created: Counter[str] = field(default_factory=Counter)
    editor_login: str = ""

    @property
    def changed(self) -> bool:
        return any(self.created.values())

    def report(self) -> list[str]:
        """Lines for the command to print."""
        if self.changed:
            made = ", ".join(
                f"{count} {kind if count == 1 else plural}"
                for kind, plural in KINDS.items()
                if (count := self.created[kind])
            )
            lines = [f"Demo content loaded: {made}."]
        else:
            lines = [NOTHING_CHANGED]
        if self.editor_login:
            lines.append(self.editor_login)
        return lines


def demo_sources() -> dict[str, str]:
    """Source id -> URL from the facts file the articles were written from."""
    return {source["id"]: source["url"] for source in records.facts()["sources"]}


def resolve_links(html: str, sources: dict[str, str]) -> str:
    """Turn `source:<id>` and `article:<slug>` placeholders into real addresses."""

    def replace(match: re.Match) -> str:
        attribute, kind, key = match.groups()
        if kind == "source":
            url = sources[key]
        else:
            url = reverse("blog:article-detail", kwargs={"slug": key})
        return f'{attribute}="{url}"'

    return _LINK.sub(replace, html)


def demo_load(*, now: datetime.datetime | None = None) -> DemoResult:
    """Create the demo authors, articles, records, comments, pages and editor not there yet.

    Raises inspections.imports.ImportFailed, writing nothing, if the import refuses the demo's
    inspection files.
    """
    now = now or timezone.now()
    sources = demo_sources()
    result = DemoResult()
    with registry.bulk(), transaction.atomic():
        tags_before = Tag.objects.count()
        authors = {spec.username: _author(spec, result) for spec in content.AUTHORS}
        categories = {spec.slug: _category(spec, result) for spec in content.CATEGORIES}
        for spec in content.ARTICLES:
            _article(
                spec,
                authors=authors,
                categories=categories,
                now=now,
                sources=sources,
                result=result,
            )
        result.created["tag"] = Tag.objects.count() - tags_before
        _pack(content.RESOURCE_PACK, sources=sources, result=result)
        result.created["inspection record"] = records.records_load()
        _link_inspections(result)
    if apps.is_installed("comments"):
        # The comments commit on their own, before the demo editor exists: the comment
        # service tells the moderators there are about each held comment, as for any reader.
        with transaction.atomic():
            _comments(result)
    with transaction.atomic():
        _pages(result)
        result.editor_login = _editor(result)
    return result


def _author(spec: DemoAuthor, result: DemoResult):
    user, created = get_user_model().objects.get_or_create(
        username=spec.username,
        defaults={"first_name": spec.first_name, "last_name": spec.last_name},
    )
    if created:
        # Demo authors have bylines, not logins.
        user.set_unusable_password()
        user.save(update_fields=["password"])
    profile, created = AuthorProfile.objects.get_or_create(
        user=user, defaults={"display_name": spec.display_name, "bio": spec.bio}
    )
    if created:
        initials = spec.first_name[0] + spec.last_name[0]
        photo = images.avatar(initials=initials, colour=spec.colour)
        profile.photo.save(f"{spec.username}.jpg", ContentFile(photo))
        result.created["author"] += 1
    return user


def _category(spec: DemoCategory, result: DemoResult) -> Category:
    category, created = Category.objects.get_or_create(
        slug=spec.slug, defaults={"name": spec.name, "description": spec.description}
    )
    result.created["category"] += created
    return category


def _publication_date(spec: DemoArticle, now: datetime.datetime) -> datetime.datetime:
    if spec.days_ago is not None:
        return now - datetime.timedelta(days=spec.days_ago)
    return timezone.make_aware(datetime.datetime.combine(spec.published_on, PUBLISH_TIME))


def _article(spec: DemoArticle, *, authors, categories, now, sources, result: DemoResult):
    if Article.objects.filter(slug=spec.slug).exists():
        return
    published_at = _publication_date(spec, now)
    article = Article(
        slug=spec.slug,
        title=spec.title,
        author=authors[spec.author],
        category=categories[spec.category],
        standfirst=spec.standfirst,
        body=resolve_links(spec.body, sources),
        meta_description=spec.meta_description,
        status=Article.Status.PUBLISHED,
        published_at=published_at,
    )
    changed = []
    if spec.image:
        picture = images.featured_image(
            label=spec.image.label, palette=spec.image.palette, seed=spec.slug
        )
        article.featured_image.save(f"{spec.slug}.jpg", ContentFile(picture), save=False)
        article.featured_image_alt = spec.image.alt
        article.featured_image_caption = spec.image.caption
        article.featured_image_credit = CREDIT
        changed.append("featured_image")
    # As the admin saves it: a first version recorded, the image's renditions made.
    article_save(article=article, user=authors[spec.author], changed_fields=changed)
    article.tags.add(*spec.tag_names)
    # auto_now stamped today; a demo article should not claim to have been edited since.
    Article.objects.filter(pk=article.pk).update(updated_at=published_at)
    result.created["article"] += 1


def _pack(spec: DemoPack, *, sources: dict[str, str], result: DemoResult) -> None:
    pack, created = ResourcePack.objects.get_or_create(
        slug=spec.slug,
        defaults={
            "title": spec.title,
            "promo_text": spec.promo_text,
            "intro": resolve_links(spec.intro, sources),
            "image_alt": spec.image.alt,
            "is_featured": True,
        },
    )
    if not created:
        return
    result.created["resource pack"] += 1
    picture = images.featured_image(label=spec.image.label, palette=spec.image.palette)
    pack.image.save(f"{spec.slug}.jpg", ContentFile(picture))
    slugs = [item.article for item in spec.items if item.article]
    articles = Article.objects.in_bulk(slugs, field_name="slug")
    ResourcePackItem.objects.bulk_create(
        ResourcePackItem(
            pack=pack,
            order=position,
            article=articles[item.article] if item.article else None,
            url=sources[item.source] if item.source else "",
            title=item.title,
            note=item.note,
        )
        for position, item in enumerate(spec.items, start=1)
    )
    result.created["resource pack item"] += len(spec.items)


def _link_inspections(result: DemoResult) -> None:
    """Connect each article to the inspection reports it discusses."""
    articles = Article.objects.in_bulk(list(content.ARTICLE_INSPECTIONS), field_name="slug")
    inspection_slugs = {slug for slugs in content.ARTICLE_INSPECTIONS.values() for slug in slugs}
    inspections = Inspection.objects.in_bulk(list(inspection_slugs), field_name="slug")
    Link = Article.related_inspections.through
    existing = set(Link.objects.values_list("article_id", "inspection_id"))
    new_links = [
        Link(article_id=articles[article].pk, inspection_id=inspections[slug].pk)
        for article, slugs in content.ARTICLE_INSPECTIONS.items()
        for slug in slugs
        if (articles[article].pk, inspections[slug].pk) not in existing
    ]
    Link.objects.bulk_create(new_links)
    result.created["article-inspection link"] += len(new_links)


def _comments(result: DemoResult) -> None:
    """Readers' comments on a few articles and an inspection, with one reply: each sent
    through the comment service as a reader sends it, then approved as a moderator does."""
    # Imported here: a site may leave the comments plug-in out, and the demo still loads.
    from comments.models import Comment
    from comments.services import comment_moderate, comment_submit

    by_key: dict[str, Comment] = {}
    # The demo's readers wrote while the threads were open; the closing clock, counted from
    # today, would shut every thread on a years-old report. 0 keeps threads open.
    with override_settings(COMMENTS_CLOSE_AFTER_DAYS=0):
        for number, (kind, slug, key, name, body, reply_to, days) in enumerate(
            content.DEMO_COMMENTS, start=1
        ):
            if kind == "article":
                target = Article.objects.get(slug=slug)
                published = target.published_at
            else:
                target = Inspection.objects.get(slug=slug)
                published = timezone.make_aware(
                    datetime.datetime.combine(target.published_on, PUBLISH_TIME)
                )
            email = f"{key}@readers.example"
            comment = Comment.objects.for_target(target).filter(email=email).first()
            if comment is None:
                comment = comment_submit(
                    target=target,
                    parent=by_key.get(reply_to),
                    name=name,
                    email=email,
                    website="",
                    body=body,
                    notify_replies=False,
                    # One reader, one address, from the range kept for documentation.
                    ip_address=f"192.0.2.{number}",
                    user_agent=READER_USER_AGENT,
                    seconds_on_form=READING_SECONDS,
                    honeypot="",
                ).comment
                comment_moderate(comments=[comment], status=Comment.Status.APPROVED)
                # The service stamps the comment now; the demo's thread belongs to the days
                # after the article or report came out.
                created = min(published + datetime.timedelta(days=days), timezone.now())
                Comment.objects.filter(pk=comment.pk).update(created=created)
                result.created["comment"] += 1
            by_key[key] = comment


def _pages(result: DemoResult) -> None:
    site, _created = Site.objects.get_or_create(
        pk=settings.SITE_ID,
        defaults={"domain": urlsplit(settings.SITE_URL).netloc, "name": settings.SITE_NAME},
    )
    for spec in content.PAGES:
        page, created = FlatPage.objects.get_or_create(
            url=spec.url, defaults={"title": spec.title, "content": spec.content}
        )
        if created:
            page.sites.add(site)
            result.created["page"] += 1


def _editor(result: DemoResult) -> str:
    """Create the demo editor if missing; the login line while it keeps the demo password."""
    user, created = get_user_model().objects.get_or_create(
        username=content.EDITOR_USERNAME,
        defaults={"email": content.EDITOR_EMAIL, "is_staff": True, "is_superuser": True},
    )
    if created:
        user.set_password(content.EDITOR_PASSWORD)
        user.save(update_fields=["password"])
        user.groups.add(*Group.objects.filter(name=EDITOR))
        result.created["editor account"] += 1
    elif not user.check_password(content.EDITOR_PASSWORD):
        return ""
    admin_url = settings.SITE_URL + reverse("admin:index")
    return (
        f"Demo editor login: {content.EDITOR_USERNAME} / {content.EDITOR_PASSWORD} at {admin_url}"
    )
