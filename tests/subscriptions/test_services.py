import datetime
import smtplib

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from subscriptions import services
from subscriptions.emails import Composer
from subscriptions.models import Announcement, Delivery, Digest, Subscriber
from subscriptions.services import (
    announcements_prepare,
    deliveries_send_due,
    digest_prepare,
    sending,
    subscription_cancel,
    subscription_confirm,
)
from tests.factories import ArticleFactory
from tests.subscriptions.factories import SubscriberFactory

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


def ago(delta: datetime.timedelta) -> datetime.datetime:
    return timezone.now() - delta


def test_the_first_daily_digest_takes_the_last_24_hours():
    SubscriberFactory()
    recent = ArticleFactory(published=True, published_at=ago(23 * HOUR))
    ArticleFactory(published=True, published_at=ago(25 * HOUR))
    ArticleFactory(scheduled=True)
    ArticleFactory()

    plan = digest_prepare(period="daily")

    assert plan.articles == [recent]
    assert list(plan.digest.articles.all()) == [recent]
    assert plan.digest.sequence == 1
    assert plan.recipients == 1


def test_the_first_weekly_digest_takes_the_last_7_days():
    SubscriberFactory(weekly=True)
    SubscriberFactory()  # daily: not in the weekly digest
    week = ArticleFactory(published=True, published_at=ago(6 * DAY))
    ArticleFactory(published=True, published_at=ago(8 * DAY))

    plan = digest_prepare(period="weekly")

    assert plan.articles == [week]
    assert plan.recipients == 1
    assert Delivery.objects.get().subscriber.frequency == "weekly"


def test_later_digests_take_what_was_published_since_the_previous_one():
    SubscriberFactory()
    first = ArticleFactory(published=True, published_at=ago(3 * HOUR))
    digest_prepare(period="daily", now=ago(2 * HOUR))
    second = ArticleFactory(published=True, published_at=ago(HOUR))

    plan = digest_prepare(period="daily")

    assert plan.articles == [second]
    assert plan.since == Digest.objects.get(sequence=1).until
    assert plan.digest.sequence == 2
    assert first not in plan.articles


def test_no_new_articles_means_no_digest_and_no_deliveries():
    SubscriberFactory()
    ArticleFactory(published=True, published_at=ago(2 * DAY))
    plan = digest_prepare(period="daily")
    assert plan.articles == [] and plan.digest is None
    assert not Digest.objects.exists() and not Delivery.objects.exists()


def test_rerunning_the_digest_queues_nothing_twice():
    SubscriberFactory.create_batch(3)
    ArticleFactory(published=True)
    digest_prepare(period="daily")
    again = digest_prepare(period="daily")
    assert again.digest is None
    assert Digest.objects.count() == 1
    assert Delivery.objects.count() == 3


def test_an_article_published_late_with_an_earlier_date_is_not_lost():
    SubscriberFactory()
    digest_prepare(period="daily", now=ago(10 * HOUR))  # nothing yet: no digest
    ArticleFactory(published=True, published_at=ago(20 * HOUR))
    first = digest_prepare(period="daily", now=ago(5 * HOUR))
    # An editor publishes a piece dated before that digest was prepared.
    late = ArticleFactory(published=True, published_at=ago(8 * HOUR))
    announcements_prepare()

    plan = digest_prepare(period="daily")

    assert plan.articles == [late]
    assert first.digest.articles.count() == 1
    assert digest_prepare(period="daily").digest is None


def test_digests_respect_tag_filters_and_only_due_subscribers():
    everything = SubscriberFactory()
    prisons = SubscriberFactory(tags=["prisons"])
    SubscriberFactory(tags=["courts"])
    SubscriberFactory(pending=True)
    SubscriberFactory(unsubscribed=True)
    SubscriberFactory(suppressed=True)
    SubscriberFactory(each=True)
    bouncing = SubscriberFactory(status=Subscriber.Status.BOUNCING, bounce_count=1)
    ArticleFactory(published=True, tags=["prisons"])

    digest_prepare(period="daily")

    assert set(Delivery.objects.values_list("subscriber", flat=True)) == {
        everything.pk,
        prisons.pk,
        bouncing.pk,
    }


def test_a_tag_filtered_subscriber_only_sees_their_articles():
    SubscriberFactory(email="prisons@example.net", tags=["prisons"])
    ArticleFactory(published=True, title="About prisons", tags=["prisons"])
    ArticleFactory(published=True, title="About courts", tags=["courts"])
    digest_prepare(period="daily")

    deliveries_send_due()

    [message] = mail.outbox
    assert "About prisons" in message.body and "About courts" not in message.body
    assert "about what you follow" in message.body  # the footer says why


def test_digest_preparation_queues_send_tasks_after_commit(settings, on_commit, run_tasks):
    settings.SUBSCRIPTIONS_BATCH_SIZE = 2
    settings.SUBSCRIPTIONS_SEND_PARALLELISM = 2
    SubscriberFactory.create_batch(5)
    ArticleFactory(published=True)
    with on_commit():
        digest_prepare(period="daily")
    assert DBTaskResult.objects.filter(task_path__endswith="send_deliveries").count() == 2
    run_tasks()  # the send tasks chain on until the queue is empty
    assert len(mail.outbox) == 5
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}


def test_each_article_is_announced_once_to_matching_subscribers():
    eager = SubscriberFactory(each=True)
    SubscriberFactory(each=True, tags=["courts"])
    SubscriberFactory()  # daily: waits for the digest
    article = ArticleFactory(published=True, tags=["prisons"])

    [announced] = announcements_prepare()
    assert announced.article == article and announced.recipients == 1
    assert announcements_prepare() == []
    assert Announcement.objects.get().article == article
    assert list(Delivery.objects.values_list("subscriber", "article")) == [(eager.pk, article.pk)]


def test_old_articles_are_never_announced_as_new():
    SubscriberFactory(each=True)
    ArticleFactory(published=True, published_at=ago(30 * DAY))
    assert announcements_prepare() == []
    assert not Delivery.objects.exists()


def test_saving_a_public_article_queues_its_announcement(on_commit):
    with on_commit():
        ArticleFactory(published=True)
        ArticleFactory(scheduled=True)
        ArticleFactory()
        ArticleFactory(published=True, published_at=ago(90 * DAY))  # an archive import
    paths = list(DBTaskResult.objects.values_list("task_path", flat=True))
    assert paths == ["subscriptions.tasks.announce_articles"]


def test_dry_runs_write_nothing():
    SubscriberFactory()
    SubscriberFactory(each=True)
    ArticleFactory(published=True)
    [announced] = announcements_prepare(dry_run=True)
    plan = digest_prepare(period="daily", dry_run=True)
    assert announced.recipients == 1
    assert plan.recipients == 1 and plan.digest is None and len(plan.articles) == 1
    assert not Announcement.objects.exists()
    assert not Digest.objects.exists() and not Delivery.objects.exists()


def test_confirming_activates_only_pending_subscribers():
    pending = SubscriberFactory(pending=True)
    assert subscription_confirm(subscriber=pending) is True
    assert pending.status == Subscriber.Status.ACTIVE
    assert subscription_confirm(subscriber=pending) is False
    gone = SubscriberFactory(unsubscribed=True)
    assert subscription_confirm(subscriber=gone) is False
    gone.refresh_from_db()
    assert gone.status == Subscriber.Status.UNSUBSCRIBED


def test_unsubscribed_and_suppressed_subscribers_are_skipped_at_send_time():
    reader = SubscriberFactory()
    ArticleFactory(published=True)
    digest_prepare(period="daily")
    Subscriber.objects.filter(pk=reader.pk).update(status=Subscriber.Status.SUPPRESSED)

    report = deliveries_send_due()

    assert report.cancelled == 1 and report.sent == 0
    assert mail.outbox == []
    assert Delivery.objects.get().status == Delivery.Status.CANCELLED


def test_an_article_unpublished_before_sending_is_left_out():
    SubscriberFactory()
    keep = ArticleFactory(published=True, title="Still public")
    pulled = ArticleFactory(published=True, title="Pulled by the editor")
    digest_prepare(period="daily")
    type(pulled).objects.filter(pk=pulled.pk).update(status="draft")

    deliveries_send_due()

    assert keep.title in mail.outbox[0].body
    assert pulled.title not in mail.outbox[0].body


class RefusingBackend:
    """An email backend whose server refuses everything with `error`."""

    error: Exception = smtplib.SMTPDataError(451, b"4.3.0 Try later")

    def __init__(self, *args, **kwargs):
        pass

    def open(self):
        return True

    def close(self):
        pass

    def send_messages(self, messages):
        raise self.error


def test_retries_back_off_exponentially_then_fail(settings, monkeypatch):
    settings.EMAIL_MAX_ATTEMPTS = 3
    settings.EMAIL_RETRY_SECONDS = 60
    monkeypatch.setattr(sending, "get_connection", RefusingBackend)
    SubscriberFactory()
    ArticleFactory(published=True)
    digest_prepare(period="daily")
    delays = []
    for _attempt in range(3):
        before = timezone.now()
        report = deliveries_send_due()
        delivery = Delivery.objects.get()
        delays.append(round((delivery.next_attempt_at - before).total_seconds() / 60))
        Delivery.objects.update(next_attempt_at=timezone.now())
    assert report.failed == 1
    assert delays[:2] == [1, 2]
    assert delivery.status == Delivery.Status.FAILED
    assert delivery.attempts == 3
    assert "Gave up after 3 attempts" in delivery.last_error
    assert deliveries_send_due().claimed == 0


def test_a_refused_sender_is_retried_not_held_against_the_reader(monkeypatch):
    RefusingBackend.error = smtplib.SMTPSenderRefused(550, b"Sender rejected", "noreply@x")
    monkeypatch.setattr(sending, "get_connection", RefusingBackend)
    reader = SubscriberFactory()
    ArticleFactory(published=True)
    digest_prepare(period="daily")
    report = deliveries_send_due()
    assert report.retrying == 1
    reader.refresh_from_db()
    assert reader.bounce_count == 0
    RefusingBackend.error = smtplib.SMTPDataError(451, b"4.3.0 Try later")


def test_a_delivery_claimed_by_a_vanished_worker_is_claimed_again(settings):
    settings.SUBSCRIPTIONS_CLAIM_TIMEOUT_SECONDS = 600
    SubscriberFactory()
    ArticleFactory(published=True)
    digest_prepare(period="daily")
    Delivery.objects.update(
        status=Delivery.Status.SENDING,
        claim="dead-worker",
        claimed_at=ago(
            datetime.timedelta(seconds=settings.SUBSCRIPTIONS_CLAIM_TIMEOUT_SECONDS + 1)
        ),
    )
    assert deliveries_send_due().sent == 1


def test_a_delivery_being_sent_is_not_claimed_twice():
    SubscriberFactory()
    ArticleFactory(published=True)
    digest_prepare(period="daily")
    Delivery.objects.update(status=Delivery.Status.SENDING, claim="busy", claimed_at=timezone.now())
    assert deliveries_send_due().claimed == 0


def test_a_success_clears_the_bounce_count():
    reader = SubscriberFactory(status=Subscriber.Status.BOUNCING, bounce_count=2)
    ArticleFactory(published=True)
    digest_prepare(period="daily")
    deliveries_send_due()
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.ACTIVE and reader.bounce_count == 0


def test_unsubscribing_cancels_queued_deliveries():
    reader = SubscriberFactory()
    ArticleFactory(published=True)
    digest_prepare(period="daily")
    assert subscription_cancel(subscriber=reader) is True
    assert subscription_cancel(subscriber=reader) is False
    assert Delivery.objects.get().status == Delivery.Status.CANCELLED
    assert deliveries_send_due().claimed == 0


def test_the_sweep_requeues_deliveries_no_worker_took(on_commit, run_tasks):
    SubscriberFactory()
    ArticleFactory(published=True)
    digest_prepare(period="daily")  # its on-commit task enqueue is lost (never committed)
    assert services.deliveries_sweep() == 0  # not overdue yet
    Delivery.objects.update(next_attempt_at=ago(datetime.timedelta(minutes=10)))
    with on_commit():
        assert services.deliveries_sweep() > 0
    run_tasks()
    assert len(mail.outbox) == 1


def test_digest_emails_are_queried_in_constant_time(django_assert_max_num_queries, settings):
    settings.SUBSCRIPTIONS_BATCH_SIZE = 50
    ArticleFactory(published=True, tags=["a", "b"])
    SubscriberFactory(tags=["a"])
    digest_prepare(period="daily")
    with django_assert_max_num_queries(20) as one:
        deliveries_send_due()
    Digest.objects.all().delete()
    ArticleFactory(published=True, tags=["c"])
    for n in range(10):
        SubscriberFactory(tags=[f"t{n}", "c"])
    digest_prepare(period="daily")
    with django_assert_max_num_queries(20) as eleven:
        deliveries_send_due()
    # Fixed queries per batch: sent deliveries are recorded in groups.
    assert len(eleven.captured_queries) == len(one.captured_queries)


def test_with_the_immediate_backend_everything_is_sent_inline(settings, client, on_commit):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.SUBSCRIPTIONS_BATCH_SIZE = 3
    SubscriberFactory.create_batch(10)
    with on_commit():
        client.post("/subscribe/", {"email": "new@example.net", "frequency": "daily"})
    assert [m.to for m in mail.outbox] == [["new@example.net"]]  # `make run`: on the console

    with on_commit():
        ArticleFactory(published=True)
        digest_prepare(period="daily")
    assert len(mail.outbox) == 11
    assert not DBTaskResult.objects.exists()


def test_a_failing_batch_releases_its_deliveries_with_an_attempt_counted(monkeypatch):
    SubscriberFactory.create_batch(2)
    ArticleFactory(published=True)
    digest_prepare(period="daily")

    def broken(deliveries):
        raise RuntimeError("a bug")

    monkeypatch.setattr(sending, "_batch_context", broken)
    with pytest.raises(RuntimeError):
        deliveries_send_due()
    assert list(Delivery.objects.values_list("status", "attempts")) == [("pending", 1)] * 2
    assert "RuntimeError: a bug" in Delivery.objects.first().last_error


def test_one_bad_email_does_not_hold_up_the_others(monkeypatch):
    bad, good = SubscriberFactory(email="bad@example.net"), SubscriberFactory()
    ArticleFactory(published=True)
    digest_prepare(period="daily")
    real_message = Composer.message

    def message(self, *, to, **kwargs):
        if to == bad.email:
            raise UnicodeError("cannot encode")
        return real_message(self, to=to, **kwargs)

    monkeypatch.setattr(Composer, "message", message)
    report = deliveries_send_due()
    assert report.sent == 1 and report.retrying == 1
    assert Delivery.objects.get(subscriber=good).status == "sent"
    assert Delivery.objects.get(subscriber=bad).status == "pending"


def test_prepared_smtp_bytes_match_what_django_would_send(one_signing_second):
    import email
    from email import policy

    reader = SubscriberFactory(email="reader@example.net", tags=["prisons"])
    ArticleFactory(published=True, title="Prisons: “quoted” & more", tags=["prisons"])
    plan = digest_prepare(period="daily")
    composer = Composer(digest_ids=[plan.digest.pk])
    outgoing = composer.message(
        to=reader.email,
        kind="digest",
        period="daily",
        articles=composer.digest_articles[plan.digest.pk],
        subscriber=reader,
        narrowed=True,
    )
    assert outgoing.raw is not None
    fast = email.message_from_bytes(outgoing.raw, policy=policy.default)
    slow = email.message_from_bytes(
        outgoing.email().message().as_bytes(linesep="\r\n"), policy=policy.default
    )
    for header in ("To", "From", "Subject", "Message-ID", "List-Id", "List-Unsubscribe"):
        assert str(fast[header]).strip() == str(slow[header]).strip(), header
    assert fast["To"] == "reader@example.net"
    assert reader.get_unsubscribe_url() in fast["List-Unsubscribe"]
    for kind in ("plain", "html"):
        assert (
            fast.get_body(preferencelist=(kind,)).get_content()
            == slow.get_body(preferencelist=(kind,)).get_content()
        )
    assert reader.get_manage_url() in fast.get_body(preferencelist=("html",)).get_content()
    assert "placeholder.invalid" not in outgoing.raw.decode()


def test_an_email_with_very_long_lines_is_serialised_for_each_subscriber():
    reader = SubscriberFactory()
    ArticleFactory(published=True, standfirst="word " * 400)  # a 2,000-character line
    plan = digest_prepare(period="daily")
    composer = Composer(digest_ids=[plan.digest.pk])
    outgoing = composer.message(
        to=reader.email,
        kind="digest",
        period="daily",
        articles=composer.digest_articles[plan.digest.pk],
        subscriber=reader,
    )
    assert outgoing.raw is None
    deliveries_send_due()
    assert "word word" in mail.outbox[0].body
