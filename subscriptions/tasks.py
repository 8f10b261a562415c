"""Background tasks (django-tasks; `python manage.py db_worker` runs them). Thin: each one
calls a service, so a task and a command or admin action share the same code."""

from django_tasks import task

from subscriptions import services
from subscriptions.models import Subscriber


@task()
def send_deliveries() -> dict:
    """Send one batch of due deliveries; chains the next batch and the earliest retry."""
    return services.deliveries_send_due().as_dict()


@task()
def send_confirmation(subscriber_id: int) -> bool:
    """Email one subscriber their confirmation (or manage) link."""
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None:  # erased since the request
        return False
    return services.confirmation_send(subscriber=subscriber)


@task()
def send_follow_confirmation(subscriber_id: int, kind: str, target_id: int) -> bool:
    """Email a subscribed address the link confirming one new follow."""
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None:
        return False
    return services.follow_confirmation_send(subscriber=subscriber, kind=kind, target_id=target_id)


@task()
def announce_articles() -> int:
    """Queue "each" emails for articles and inspections that have just become public."""
    return len(services.announcements_prepare())
