"""Subscribers, the digests and announcements prepared for them, and one delivery per email."""

import datetime
import secrets
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, Value
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from blog.models import Article
from core.email import email_language, link_in_language
from core.site import absolute_url
from core.tokens import LINK_MAX_AGE, InvalidToken, make_token, read_token
from inspections.models import Inspection

# Link purposes (core.tokens salts): "confirm" expires after SUBSCRIPTIONS_CONFIRM_MAX_AGE_DAYS,
# "follow" (an active subscriber adding a follow) like "confirm";
# "manage" and "unsubscribe" after core.tokens.LINK_MAX_AGE; all die with the token secret.
TOKEN_PURPOSES = ("confirm", "manage", "unsubscribe", "follow")


def new_token_secret() -> str:
    return secrets.token_urlsafe(24)


class SubscriberQuerySet(models.QuerySet):
    def receiving(self):
        """Subscribers newsletters go to: confirmed and neither unsubscribed nor suppressed."""
        return self.filter(status__in=RECEIVING_STATUSES)

    def with_email(self, email: str):
        """The subscriber with `email` in any letter case (the unique Lower(email) index)."""
        return self.alias(email_lower=Lower("email")).filter(email_lower=Lower(Value(email)))

    def matching(self, keys: "Keys"):
        """Subscribers who want an item with `keys` (see item_keys): those taking everything,
        and those following any of its tags, organisations, inspectorates or authors."""
        condition = Q(everything=True)
        tag_ids = keys.get(Follow.Kind.TAG, ())
        if tag_ids:
            links = Subscriber.tags.through.objects.filter(
                subscriber=OuterRef("pk"), tag_id__in=sorted(tag_ids)
            )
            condition |= Exists(links)
        followed = Q()
        for kind, ids in sorted(keys.items()):
            if kind != Follow.Kind.TAG and ids:
                followed |= Q(kind=kind, target_id__in=sorted(ids))
        if followed:
            condition |= Exists(Follow.objects.filter(followed, subscriber=OuterRef("pk")))
        return self.filter(condition)

    def matching_tags(self, tag_ids: Iterable[int]):
        """Subscribers taking everything, and those following any of `tag_ids`."""
        return self.matching({Follow.Kind.TAG: set(tag_ids)})

    def due_for(self, *, frequency: str, keys: "Keys"):
        """Receiving subscribers of `frequency` who want an email about an item with `keys`."""
        return self.receiving().filter(frequency=frequency).matching(keys)

    def from_token(self, token: str, purpose: str) -> "Subscriber":
        """The subscriber a `purpose` link token belongs to (core.tokens); ExpiredToken, or
        InvalidToken if it is forged, for another purpose or made before the token secret
        was replaced."""
        if purpose == "confirm":
            max_age = datetime.timedelta(days=settings.SUBSCRIPTIONS_CONFIRM_MAX_AGE_DAYS)
        else:
            max_age = LINK_MAX_AGE
        signed = read_token(_token_salt(purpose), token, max_age=max_age)
        try:
            subscriber = self.filter(key=signed.key).first()
        except ValidationError:
            subscriber = None
        if subscriber is None:
            raise InvalidToken(token)
        signed.check(subscriber.token_secret)
        return subscriber

    def from_follow_token(self, token: str) -> tuple["Subscriber", str, int]:
        """(subscriber, kind, target id) of a link confirming a new follow; ExpiredToken or
        InvalidToken like from_token."""
        max_age = datetime.timedelta(days=settings.SUBSCRIPTIONS_CONFIRM_MAX_AGE_DAYS)
        signed = read_token(_token_salt("follow"), token, max_age=max_age)
        parts = str(signed.key).split(":")
        if (
            len(parts) != 3
            or parts[1] not in Follow.Kind.values
            or not parts[2].isdigit()
            or len(parts[2]) > 18
        ):
            raise InvalidToken(token)
        try:
            subscriber = self.filter(key=parts[0]).first()
        except ValidationError:
            subscriber = None
        if subscriber is None:
            raise InvalidToken(token)
        signed.check(subscriber.token_secret)
        return subscriber, parts[1], int(parts[2])

    def from_confirm_token(self, token: str) -> "Subscriber":
        """The subscriber a confirmation token belongs to; ExpiredToken or InvalidToken."""
        return self.from_token(token, "confirm")


class Subscriber(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending confirmation")
        ACTIVE = "active", _("Active")
        BOUNCING = "bouncing", _("Bouncing (still sent)")
        SUPPRESSED = "suppressed", _("Suppressed: bouncing")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")

    class Frequency(models.TextChoices):
        DAILY = "daily", _("Daily digest")
        EACH = "each", _("Each new article or inspection")
        WEEKLY = "weekly", _("Weekly digest")

    email = models.EmailField(_("email address"), max_length=254)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    frequency = models.CharField(
        _("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.DAILY
    )
    everything = models.BooleanField(
        _("everything new"),
        default=True,
        help_text=_(
            "Send every new article and inspection; when off, only what the subscriber "
            "follows (these tags, and the organisations, inspectorates and authors below)."
        ),
    )
    tags = models.ManyToManyField(
        Tag,
        blank=True,
        related_name="+",
        verbose_name=_("followed tags"),
        help_text=_("Topics the subscriber follows, for articles and inspections."),
    )
    language = models.CharField(
        _("email language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_(
            "The language of the subscriber's emails: the interface's when they subscribed, "
            "or what they chose since; empty: the site's language."
        ),
    )
    created_at = models.DateTimeField(_("subscribed"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    token_secret = models.CharField(
        max_length=64,
        default=new_token_secret,
        editable=False,
        help_text=_("Part of every link in the subscriber's emails; a new one breaks old links."),
    )
    confirmations_sent_on = models.DateField(null=True, blank=True, editable=False)
    confirmations_sent = models.PositiveSmallIntegerField(default=0, editable=False)
    bounce_count = models.PositiveSmallIntegerField(
        _("bounces"),
        default=0,
        help_text=_("Permanent refusals by the recipient's mail server since the last success."),
    )

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("subscriber")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="subscriber_email_ci_unique",
                violation_error_message=_("There is already a subscriber with this address."),
            )
        ]
        indexes = [models.Index(fields=["frequency", "status"], name="subscriber_due_idx")]

    def __str__(self):
        return self.email

    @property
    def is_receiving(self) -> bool:
        """Mirror of SubscriberQuerySet.receiving() for an instance in hand."""
        return self.status in RECEIVING_STATUSES

    @property
    def email_language(self) -> str:
        """The language their emails are written in (blank or retired: the site's)."""
        return email_language(self.language)

    def email_url(self, path: str) -> str:
        """`path` as their emails give it: absolute, and opening in their language."""
        return link_in_language(absolute_url(path), self.email_language)

    def token(self, purpose: str) -> str:
        """A signed link token for `purpose` (core.tokens), dead once the secret changes."""
        return make_token(_token_salt(purpose), self.key.hex, secret=self.token_secret)

    def confirm_token(self) -> str:
        """A confirmation token that expires (SUBSCRIPTIONS_CONFIRM_MAX_AGE_DAYS)."""
        return self.token("confirm")

    def follow_token(self, kind: str, target_id: int) -> str:
        """A link token confirming that this (active) subscriber follows `kind` `target_id`."""
        key = f"{self.key.hex}:{kind}:{target_id}"
        return make_token(_token_salt("follow"), key, secret=self.token_secret)

    def get_confirm_url(self) -> str:
        return reverse("subscriptions:subscription-confirm", args=[self.confirm_token()])

    def get_manage_url(self) -> str:
        return reverse("subscriptions:subscription-manage", args=[self.token("manage")])

    def get_unsubscribe_url(self) -> str:
        return reverse("subscriptions:subscription-unsubscribe", args=[self.token("unsubscribe")])

    def rotate_token(self) -> None:
        """Invalidate every link sent so far (a leaked manage link, say)."""
        self.token_secret = new_token_secret()
        self.save(update_fields=["token_secret"])


RECEIVING_STATUSES = (Subscriber.Status.ACTIVE, Subscriber.Status.BOUNCING)


class Follow(models.Model):
    """Something a subscriber follows besides tags (which are Subscriber.tags): an
    organisation, an inspectorate or an author. Rows exist only once the address confirmed."""

    class Kind(models.TextChoices):
        ORGANISATION = "organisation", _("Organisation")
        INSPECTORATE = "inspectorate", _("Inspectorate")
        TAG = "tag", _("Topic")
        AUTHOR = "author", _("Author")

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="follows")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    target_id = models.PositiveBigIntegerField(
        _("followed id"), help_text=_("The organisation's, inspectorate's or author's id.")
    )
    created_at = models.DateTimeField(_("followed since"), auto_now_add=True)

    class Meta:
        ordering = ["kind", "pk"]
        verbose_name = _("follow")
        constraints = [
            models.UniqueConstraint(fields=["subscriber", "kind", "target_id"], name="follow_once"),
            # Tags are followed through Subscriber.tags.
            models.CheckConstraint(condition=~Q(kind="tag"), name="follow_not_a_tag"),
        ]
        indexes = [models.Index(fields=["kind", "target_id"], name="follow_target_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.target_id}"


# What an item is about, for matching it to subscribers: {Follow.Kind: {ids}}.
Keys = dict[str, set[int]]


def _token_salt(purpose: str) -> str:
    if purpose not in TOKEN_PURPOSES:
        raise ValueError(f"Unknown link purpose {purpose!r}")
    return f"subscriptions.{purpose}"


def offered_tags(*, include: Iterable[int] = ()) -> models.QuerySet:
    """Tags offered on the forms: the most used on public articles, plus `include`."""
    popular = (
        Article.objects.published()
        .filter(tags__isnull=False)
        .values("tags")
        .annotate(uses=Count("pk"))
        .order_by("-uses", "tags")
        .values("tags")[: settings.SUBSCRIPTIONS_TAG_CHOICES]
    )
    return Tag.objects.filter(Q(pk__in=popular) | Q(pk__in=list(include))).order_by("name")


class Digest(models.Model):
    class Period(models.TextChoices):
        DAILY = "daily", _("Daily")
        WEEKLY = "weekly", _("Weekly")

    period = models.CharField(_("period"), max_length=10, choices=Period.choices)
    sequence = models.PositiveIntegerField(
        _("number"), editable=False, help_text=_("Counts the digests of one period.")
    )
    since = models.DateTimeField(_("articles since"))
    until = models.DateTimeField(_("articles until"))
    articles = models.ManyToManyField(Article, related_name="+", verbose_name=_("articles"))
    inspections = models.ManyToManyField(
        Inspection, related_name="+", blank=True, verbose_name=_("inspections")
    )
    prepared_at = models.DateTimeField(_("prepared"), auto_now_add=True)

    class Meta:
        ordering = ["-until", "-pk"]
        verbose_name = _("digest")
        get_latest_by = "until"
        constraints = [
            # Two runs of send_digests at once compute the same number: one of them fails.
            models.UniqueConstraint(fields=["period", "sequence"], name="digest_period_sequence")
        ]

    def __str__(self):
        return f"{self.get_period_display()} #{self.sequence} ({self.until:%Y-%m-%d %H:%M})"

    @staticmethod
    def length(period: str) -> datetime.timedelta:
        return datetime.timedelta(days=7 if period == Digest.Period.WEEKLY else 1)


class AnnouncementRecord(models.Model):
    """The record that an item became public and "each" subscribers were queued (once)."""

    announced_at = models.DateTimeField(_("announced"), default=timezone.now, db_index=True)

    item_field = ""

    class Meta:
        abstract = True
        ordering = ["-announced_at"]

    def __str__(self):
        return str(getattr(self, self.item_field))


class Announcement(AnnouncementRecord):
    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, related_name="+", verbose_name=_("article")
    )

    item_field = "article"

    class Meta(AnnouncementRecord.Meta):
        verbose_name = _("announcement")


class InspectionAnnouncement(AnnouncementRecord):
    inspection = models.OneToOneField(
        Inspection, on_delete=models.CASCADE, related_name="+", verbose_name=_("inspection")
    )

    item_field = "inspection"

    class Meta(AnnouncementRecord.Meta):
        verbose_name = _("inspection announcement")


class DeliveryQuerySet(models.QuerySet):
    def due(self, now: datetime.datetime | None = None):
        """Deliveries a worker may claim: pending and due, or claimed by a worker that vanished."""
        now = now or timezone.now()
        stale = now - datetime.timedelta(seconds=settings.SUBSCRIPTIONS_CLAIM_TIMEOUT_SECONDS)
        return self.filter(
            Q(status=Delivery.Status.PENDING, next_attempt_at__lte=now)
            | Q(status=Delivery.Status.SENDING, claimed_at__lt=stale)
        )

    def waiting(self):
        """Deliveries not finished yet: pending (maybe for a retry) or being sent."""
        return self.filter(status__in=[Delivery.Status.PENDING, Delivery.Status.SENDING])


class Delivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled (subscriber left or changed tags)")

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    digest = models.ForeignKey(
        Digest, on_delete=models.CASCADE, null=True, blank=True, related_name="deliveries"
    )
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    claim = models.CharField(max_length=64, blank=True, editable=False)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("queued"), auto_now_add=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "digest"], name="delivery_once_per_digest"
            ),
            models.UniqueConstraint(
                fields=["subscriber", "article"], name="delivery_once_per_article"
            ),
            models.UniqueConstraint(
                fields=["subscriber", "inspection"], name="delivery_once_per_inspection"
            ),
            models.CheckConstraint(
                condition=Q(digest__isnull=False, article__isnull=True, inspection__isnull=True)
                | Q(digest__isnull=True, article__isnull=False, inspection__isnull=True)
                | Q(digest__isnull=True, article__isnull=True, inspection__isnull=False),
                name="delivery_one_subject",
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_queue_idx")]

    def __str__(self):
        # Ids only: the admin's delete confirmation lists many of these.
        if self.digest_id:
            what = f"digest {self.digest_id}"
        elif self.article_id:
            what = f"article {self.article_id}"
        else:
            what = f"inspection {self.inspection_id}"
        return f"Delivery {self.pk} ({what})"
