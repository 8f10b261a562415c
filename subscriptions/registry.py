"""What subscriptions registers with the ground floor: the personal data it holds
(core.personal_data)."""

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.personal_data import Holding, PersonalData
from subscriptions.follows import followed_by
from subscriptions.models import Delivery, Subscriber
from subscriptions.services import subscribers_erase


def describe(email: str) -> str:
    subscriber = Subscriber.objects.with_email(email).only("status").first()
    if subscriber is None:
        return ""
    count = Delivery.objects.filter(subscriber=subscriber).count()
    return ngettext(
        "A subscription (%(status)s) and a record of %(count)d email sent to it",
        "A subscription (%(status)s) and a record of %(count)d emails sent to it",
        count,
    ) % {"status": subscriber.get_status_display().lower(), "count": count}


def _when(value) -> str | None:
    return value.isoformat() if value else None


def export(email: str) -> list[dict[str, Any]]:
    """The subscription held for `email` (if any), with every delivery to it."""
    subscribers = Subscriber.objects.with_email(email).prefetch_related("tags")
    rows = []
    for subscriber in subscribers:
        follows = [
            {"kind": target.kind, "name": target.name, "url": target.url}
            for target in followed_by(subscriber)
        ]
        deliveries = (
            Delivery.objects.filter(subscriber=subscriber)
            .select_related("digest", "article", "inspection")
            .order_by("created_at", "pk")
        )
        rows.append(
            {
                "email": subscriber.email,
                "status": subscriber.status,
                "frequency": subscriber.frequency,
                "everything": subscriber.everything,
                "language": subscriber.language,
                "tags": [tag.name for tag in subscriber.tags.all()],
                "follows": follows,
                "subscribed": _when(subscriber.created_at),
                "confirmed": _when(subscriber.confirmed_at),
                "unsubscribed": _when(subscriber.unsubscribed_at),
                "bounces": subscriber.bounce_count,
                "deliveries": [
                    {
                        "email": str(delivery.digest) if delivery.digest else None,
                        "article": delivery.article.title if delivery.article else None,
                        "inspection": (delivery.inspection.title if delivery.inspection else None),
                        "status": delivery.status,
                        "queued": _when(delivery.created_at),
                        "sent": _when(delivery.sent_at),
                        "attempts": delivery.attempts,
                        "last_error": delivery.last_error,
                        "message_id": delivery.message_id,
                    }
                    for delivery in deliveries
                ],
            }
        )
    return rows


def erase(email: str) -> dict[str, int]:
    erased = subscribers_erase(subscribers=Subscriber.objects.with_email(email))
    return {"subscriptions": erased}


def notice() -> list[Holding]:
    days = settings.SUBSCRIPTIONS_CONFIRM_MAX_AGE_DAYS
    return [
        Holding(
            what=_(
                "Your email address, how often you want email, what you follow (topics, "
                "organisations, inspectorates, authors), and when you subscribed, confirmed "
                "or left."
            ),
            why=_(
                "To send you what you asked for, and never to email you unless you confirmed "
                "(the confirmation link works for %(days)d days)."
            )
            % {"days": days},
            kept=_(
                "Until you ask us to erase it. After you unsubscribe we keep the record that "
                "you left, so that nothing is sent to you again unless you subscribe again."
            ),
        ),
        Holding(
            what=_("A record of each newsletter email sent to you: when, and whether it arrived."),
            why=_("So that no email is sent twice, and failed ones are tried again."),
            kept=_("As long as your subscription record."),
        ),
    ]


PERSONAL_DATA = PersonalData(
    key="subscriptions",
    label=gettext_lazy("Email subscriptions"),
    describe=describe,
    export=export,
    erase=erase,
    notice=notice,
    on_erase=gettext_lazy(
        "Your subscription, everything you follow and the record of emails sent to it are "
        "deleted: nothing more is sent to you."
    ),
    order=20,
)
