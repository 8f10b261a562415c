"""Newsletter emails: what they show of articles and inspections, rendered from templates,
and serialised once per batch for everyone who gets the same one (Composer)."""

import collections
import dataclasses
import datetime
import threading
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from blog.models import Article
from core.email import (
    Email,
    email_headers,
    link_in_language,
    new_message_id,
    render_email,
    site_host,
)
from core.site import absolute_url
from inspections.models import Finding, Inspection
from subscriptions.items import Interests, article_keys, inspection_keys
from subscriptions.models import Delivery, Digest, Keys, Subscriber

# Findings an inspection email shows (the report's own order), then a link to the rest.
TOP_FINDINGS = 3
RENDER_CACHE_SIZE = 2000
POLARITY_LABELS = dict(Finding.Polarity.choices)


@dataclasses.dataclass(frozen=True)
class EmailArticle:
    """What an email shows of an article; every link absolute (built from SITE_URL)."""

    pk: int
    title: str
    url: str
    standfirst: str
    author: str
    published_at: datetime.datetime
    image_url: str
    image_alt: str
    image_width: int | None
    image_height: int | None
    tag_ids: frozenset[int]
    keys: Keys = dataclasses.field(default_factory=dict, compare=False, hash=False)
    version: datetime.datetime | None = None  # updated_at: a rendered email is reused until

    @classmethod
    def from_article(cls, article: Article) -> "EmailArticle":
        return cls(
            pk=article.pk,
            title=article.title,
            url=absolute_url(article.get_absolute_url()),
            standfirst=article.standfirst,
            author=article.author_name,
            published_at=article.published_at,
            image_url=absolute_url(article.featured_image.url) if article.featured_image else "",
            image_alt=article.featured_image_alt,
            image_width=article.featured_image_width,
            image_height=article.featured_image_height,
            tag_ids=frozenset(tag.pk for tag in article.tags.all()),
            keys=article_keys(article),
            version=article.updated_at,
        )


@dataclasses.dataclass(frozen=True)
class EmailInspection:
    """What an email shows of an inspection: who was rated what, and the top findings."""

    pk: int
    title: str
    url: str
    inspectorate: str
    published_on: datetime.date
    month_only: bool
    summary: str
    ratings: tuple[tuple[str, str], ...]  # (organisation, rating or "")
    # (polarity, organisation or "", text); the polarity a lazy label, so that each email
    # says it in its reader's language.
    findings: tuple[tuple[str, str, str], ...]
    more_findings: int
    keys: Keys = dataclasses.field(default_factory=dict, compare=False, hash=False)
    version: datetime.datetime | None = None

    @classmethod
    def from_inspection(cls, inspection: Inspection, findings: list[Finding]) -> "EmailInspection":
        """From an inspection with for_feed() prefetches and its findings in order."""
        top = findings[:TOP_FINDINGS]
        return cls(
            pk=inspection.pk,
            title=inspection.title,
            url=absolute_url(inspection.get_absolute_url()),
            inspectorate=inspection.inspectorate.display_name,
            published_on=inspection.published_on,
            month_only=inspection.date_precision == "month",
            summary=inspection.summary,
            ratings=tuple(
                (
                    row.organisation.display_name,
                    row.overall_rating.label if row.overall_rating else "",
                )
                for row in inspection.inspected.all()
            ),
            findings=tuple(
                (
                    POLARITY_LABELS.get(finding.polarity, finding.polarity),
                    finding.organisation.display_name if finding.organisation else "",
                    finding.text,
                )
                for finding in top
            ),
            more_findings=len(findings) - len(top),
            keys=inspection_keys(inspection),
            version=inspection.updated_at,
        )


@dataclasses.dataclass(frozen=True)
class Rendered:
    subject: str
    html: str
    text: str
    # The whole MIME message, serialised once by Django with stand-ins for the recipient,
    # links and Message-ID; None where a stand-in did not come out verbatim (say, a
    # quoted-printable body), and every email is then serialised on its own.
    prototype: bytes | None


# Stand-ins for what differs between subscribers: an email is rendered (and serialised)
# once per batch for everyone who gets the same articles, frequency and tags, then each
# subscriber's address, links and Message-ID are put in.
MANAGE_PLACEHOLDER = "https://placeholder.invalid/manage/"
UNSUBSCRIBE_PLACEHOLDER = "https://placeholder.invalid/unsubscribe/"
TO_PLACEHOLDER = "recipient@placeholder.invalid"
MESSAGE_ID_PLACEHOLDER = "<message-id@placeholder.invalid>"
TOKEN_SLOT = "token-placeholder"


@dataclasses.dataclass(frozen=True)
class Outgoing:
    """One subscriber's email, ready for any email backend (and as bytes for SMTP)."""

    to: str
    subject: str
    text: str
    html: str
    headers: dict[str, str]
    raw: bytes | None

    @property
    def message_id(self) -> str:
        return self.headers["Message-ID"]

    def email(self) -> EmailMultiAlternatives:
        return Email(self.to, self.subject, self.text, self.html, self.headers).message()


def _is_plain(value: str) -> bool:
    """Safe to put into the serialised message as it is: ASCII, nothing to escape or fold."""
    return value.isascii() and escape(value) == value and not any(c.isspace() for c in value)


class _RenderCache:
    """The emails this worker process rendered lately, most recent last: a digest's many
    subsets of items, and each item's alert, recur batch after batch. Keys name every input
    (items with their updated_at, options, language, site), so an edit renders afresh."""

    def __init__(self, size: int):
        self.size = size
        self._entries: collections.OrderedDict[tuple, Rendered] = collections.OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> Rendered | None:
        with self._lock:
            rendered = self._entries.get(key)
            if rendered is not None:
                self._entries.move_to_end(key)
            return rendered

    def put(self, key: tuple, rendered: Rendered) -> None:
        with self._lock:
            self._entries[key] = rendered
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


# About 20 KB an entry: at most ~40 MB a worker.
_rendered = _RenderCache(RENDER_CACHE_SIZE)


class Composer:
    """Builds the emails of one batch: each distinct email rendered once from its templates
    (and kept for later batches of this process), then only the recipient, links and
    Message-ID set per subscriber."""

    def __init__(
        self,
        *,
        digest_ids: Iterable[int] = (),
        article_ids: Iterable[int] = (),
        inspection_ids: Iterable[int] = (),
    ):
        digest_ids, article_ids = set(digest_ids), set(article_ids)
        inspection_ids = set(inspection_ids)
        links = list(
            Digest.articles.through.objects.filter(digest_id__in=digest_ids).values_list(
                "digest_id", "article_id"
            )
        )
        inspection_links = list(
            Digest.inspections.through.objects.filter(digest_id__in=digest_ids).values_list(
                "digest_id", "inspection_id"
            )
        )
        wanted = article_ids | {article_id for _digest_id, article_id in links}
        articles = {
            article.pk: EmailArticle.from_article(article)
            for article in Article.objects.published().for_listing().filter(pk__in=wanted)
        }
        wanted = inspection_ids | {pk for _digest_id, pk in inspection_links}
        inspections = {}
        if wanted:
            findings: dict[int, list[Finding]] = {}
            for finding in (
                Finding.objects.filter(inspection_id__in=wanted)
                .select_related("organisation")
                .order_by("inspection_id", "order", "pk")
            ):
                findings.setdefault(finding.inspection_id, []).append(finding)
            inspections = {
                inspection.pk: EmailInspection.from_inspection(
                    inspection, findings.get(inspection.pk, [])
                )
                for inspection in Inspection.objects.published().for_feed().filter(pk__in=wanted)
            }
        self.digest_periods = dict(
            Digest.objects.filter(pk__in=digest_ids).values_list("pk", "period")
        )
        self.digest_articles: dict[int, list[EmailArticle]] = {pk: [] for pk in digest_ids}
        members = set(links)
        newest_first = sorted(articles.values(), key=lambda a: (a.published_at, a.pk), reverse=True)
        for article in newest_first:
            for digest_id in digest_ids:
                if (digest_id, article.pk) in members:
                    self.digest_articles[digest_id].append(article)
        self.digest_inspections: dict[int, list[EmailInspection]] = {pk: [] for pk in digest_ids}
        members = set(inspection_links)
        newest_first = sorted(
            inspections.values(), key=lambda i: (i.published_on, i.pk), reverse=True
        )
        for inspection in newest_first:
            for digest_id in digest_ids:
                if (digest_id, inspection.pk) in members:
                    self.digest_inspections[digest_id].append(inspection)
        self.articles = articles
        self.inspections = inspections
        # Lazy: each email says it in its reader's language.
        self.frequency_labels = dict(Subscriber.Frequency.choices)
        self.list_id = settings.SUBSCRIPTIONS_LIST_ID or (
            f"{settings.SITE_NAME} newsletter <newsletter.{site_host()}>"
        )
        self.host = site_host()
        self._manage_url = absolute_url(
            reverse("subscriptions:subscription-manage", args=[TOKEN_SLOT])
        )
        self._unsubscribe_url = absolute_url(
            reverse("subscriptions:subscription-unsubscribe", args=[TOKEN_SLOT])
        )

    def items_for(
        self, delivery: Delivery, interests: Interests
    ) -> tuple[list[EmailArticle], list[EmailInspection]]:
        """The articles and inspections this delivery carries that the subscriber wants."""
        if delivery.digest_id:
            articles = self.digest_articles.get(delivery.digest_id, [])
            inspections = self.digest_inspections.get(delivery.digest_id, [])
        else:
            article = self.articles.get(delivery.article_id)
            inspection = self.inspections.get(delivery.inspection_id)
            articles = [article] if article else []
            inspections = [inspection] if inspection else []
        if not interests.everything:
            articles = [a for a in articles if interests.wants(a.keys)]
            inspections = [i for i in inspections if interests.wants(i.keys)]
        return articles, inspections

    def _render(
        self,
        kind: str,
        period: str,
        articles: list[EmailArticle],
        inspections: list[EmailInspection],
        frequency: str,
        narrowed: bool,
        is_test: bool,
        language: str,
    ) -> Rendered:
        """The email in the active `language` (a key part: never reused for another)."""
        key = (
            kind,
            period,
            tuple((a.pk, a.version, a.title) for a in articles),
            tuple((i.pk, i.version, i.title) for i in inspections),
            frequency,
            narrowed,
            is_test,
            language,
            settings.SITE_NAME,
            settings.SITE_URL,
            self.list_id,
        )
        rendered = _rendered.get(key)
        if rendered is None:
            first = articles[0] if articles else inspections[0]
            context = {
                "articles": articles,
                "inspections": inspections,
                "article": articles[0] if articles else None,
                "inspection": inspections[0] if inspections else None,
                "first_title": first.title,
                "count": len(articles) + len(inspections),
                "period": period,
                "frequency": frequency,
                "narrowed": narrowed,
                "manage_url": MANAGE_PLACEHOLDER,
                "unsubscribe_url": UNSUBSCRIBE_PLACEHOLDER,
                "is_test": is_test,
                "site_name": settings.SITE_NAME,
                "site_url": settings.SITE_URL,
            }
            subject, text, html = render_email(kind, context)
            rendered = Rendered(subject, html, text, self._prototype(subject, text, html))
            _rendered.put(key, rendered)
        return rendered

    def _prototype(self, subject: str, text: str, html: str) -> bytes | None:
        headers = self._headers(MESSAGE_ID_PLACEHOLDER, UNSUBSCRIBE_PLACEHOLDER)
        raw = Outgoing(TO_PLACEHOLDER, subject, text, html, headers, None).email().message()
        raw = raw.as_bytes(linesep="\r\n")
        expected = {
            TO_PLACEHOLDER: 1,
            MESSAGE_ID_PLACEHOLDER: 1,
            MANAGE_PLACEHOLDER: text.count(MANAGE_PLACEHOLDER) + html.count(MANAGE_PLACEHOLDER),
            UNSUBSCRIBE_PLACEHOLDER: 1
            + text.count(UNSUBSCRIBE_PLACEHOLDER)
            + html.count(UNSUBSCRIBE_PLACEHOLDER),
        }
        if b"quoted-printable" in raw.lower():
            return None  # its lines have a length limit that longer links could break
        for placeholder, count in expected.items():
            if raw.count(placeholder.encode()) != count:
                return None
        return raw

    def _headers(self, message_id: str, unsubscribe_url: str) -> dict[str, str]:
        return email_headers(
            message_id=message_id, list_id=self.list_id, unsubscribe_url=unsubscribe_url
        )

    def message(
        self,
        *,
        to: str,
        kind: str,
        period: str,
        articles: list[EmailArticle],
        inspections: list[EmailInspection] = (),
        subscriber: Subscriber | None,
        narrowed: bool = False,
    ) -> Outgoing:
        """One email, in the subscriber's language; `subscriber` None is an editor's test
        send (no personal links, in the active language)."""
        active = translation.get_language()
        language = active if subscriber is None else subscriber.email_language
        arguments = (to, kind, period, list(articles), list(inspections), subscriber, narrowed)
        if language == active:  # most readers, in a worker: switching costs ~8 µs
            return self._message(*arguments, language=language)
        with translation.override(language):
            return self._message(*arguments, language=language)

    def _message(
        self, to, kind, period, articles, inspections, subscriber, narrowed, *, language: str
    ) -> Outgoing:
        if subscriber is not None:
            # reverse() once per batch; only the token and language differ between
            # subscribers.
            manage_url = link_in_language(
                self._manage_url.replace(TOKEN_SLOT, subscriber.token("manage")), language
            )
            unsubscribe_url = link_in_language(
                self._unsubscribe_url.replace(TOKEN_SLOT, subscriber.token("unsubscribe")),
                language,
            )
            frequency = str(self.frequency_labels[subscriber.frequency])
        else:
            manage_url = unsubscribe_url = absolute_url(reverse("subscriptions:subscribe"))
            frequency = str(self.frequency_labels.get(period, ""))
        rendered = self._render(
            kind, period, articles, inspections, frequency, narrowed, subscriber is None, language
        )
        text = rendered.text.replace(MANAGE_PLACEHOLDER, manage_url).replace(
            UNSUBSCRIBE_PLACEHOLDER, unsubscribe_url
        )
        html = rendered.html.replace(MANAGE_PLACEHOLDER, escape(manage_url)).replace(
            UNSUBSCRIBE_PLACEHOLDER, escape(unsubscribe_url)
        )
        # Short enough never to be folded; stored on the delivery too.
        message_id = new_message_id(self.host)
        raw = None
        if rendered.prototype is not None and all(
            _is_plain(value) for value in (to, manage_url, unsubscribe_url)
        ):
            raw = (
                rendered.prototype.replace(TO_PLACEHOLDER.encode(), to.encode())
                .replace(MESSAGE_ID_PLACEHOLDER.encode(), message_id.encode())
                .replace(MANAGE_PLACEHOLDER.encode(), manage_url.encode())
                .replace(UNSUBSCRIBE_PLACEHOLDER.encode(), unsubscribe_url.encode())
            )
        headers = self._headers(message_id, unsubscribe_url)
        return Outgoing(to, rendered.subject, text, html, headers, raw)
