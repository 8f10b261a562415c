"""Following organisations, inspectorates, tags and authors; inspections in alerts and
digests; one item never twice; the newsletter archive; personal data of follows."""

import datetime
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from taggit.models import Tag

from inspections.models import Inspection
from subscriptions import registry
from subscriptions.models import Delivery, Digest, Follow, InspectionAnnouncement, Subscriber
from subscriptions.services import announcements_prepare, deliveries_send_due, digest_prepare
from tests.factories import ArticleFactory, AuthorProfileFactory
from tests.inspections.factories import (
    FindingFactory,
    InspectedOrganisationFactory,
    InspectionFactory,
    InspectorateFactory,
    OrganisationFactory,
    RatingLevelFactory,
)
from tests.subscriptions.factories import SubscriberFactory

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


def new_inspection(organisations=(), rating=None, **fields) -> Inspection:
    """A public inspection dated today (news), with `organisations` inspected."""
    fields.setdefault("published_on", timezone.localdate())
    fields.setdefault("live_at", timezone.now() - datetime.timedelta(minutes=1))
    inspection = InspectionFactory(**fields)
    for organisation in organisations:
        InspectedOrganisationFactory(
            inspection=inspection, organisation=organisation, overall_rating=rating
        )
    return inspection


def send_digests(*args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command("send_digests", *args, stdout=out)
    return out.getvalue()


def follow(client, obj_kind: str, pk: int, email="reader@example.net"):
    return client.post(
        "/subscribe/follow/",
        {"email": email, "kind": obj_kind, "target": str(pk)},
        headers={"origin": "https://oversight.example"},
    )


# Following from pages


def test_content_pages_offer_a_follow_box_through_the_slot(client):
    organisation = OrganisationFactory(name="Kent CRC")
    inspectorate = InspectorateFactory(name="HM Inspectorate of Probation", slug="hmip")
    ArticleFactory(published=True, tags=["prisons"])
    profile = AuthorProfileFactory(display_name="Sam Writer")

    pages = {
        organisation.get_absolute_url(): ("organisation", organisation.pk, "Kent CRC"),
        "/inspections/?inspectorate=hmip": ("inspectorate", inspectorate.pk, "HM Inspectorate"),
        "/tags/prisons/": ("tag", Tag.objects.get(name="prisons").pk, "prisons"),
        profile.get_absolute_url(): ("author", profile.user_id, "Sam Writer"),
    }
    for url, (kind, pk, name) in pages.items():
        html = client.get(url).content.decode()
        assert 'action="/subscribe/follow/"' in html, url
        assert f'name="kind" value="{kind}"' in html and f'name="target" value="{pk}"' in html
        assert f"Follow {name}" in html
        assert 'name="csrfmiddlewaretoken"' not in html  # cacheable: checked by origin
    assert 'action="/subscribe/follow/"' not in client.get("/inspections/").content.decode()


def test_following_from_a_page_is_double_opt_in_and_adds_to_one_subscription(
    client, on_commit, run_tasks
):
    kent, essex = OrganisationFactory(), OrganisationFactory()
    inspectorate = InspectorateFactory()
    with on_commit():
        response = follow(client, "organisation", kent.pk)
    run_tasks()
    assert response.status_code == 200 and "Check your email" in response.content.decode()
    subscriber = Subscriber.objects.get()
    assert subscriber.status == "pending" and subscriber.everything is False
    [confirm_email] = mail.outbox
    token = re.search(r"/subscribe/confirm/([^/\s\"]+)/", confirm_email.body).group(1)

    with on_commit():
        follow(client, "organisation", essex.pk, email="READER@example.net")
        follow(client, "inspectorate", inspectorate.pk)
    assert Subscriber.objects.count() == 1
    assert set(subscriber.follows.values_list("kind", "target_id")) == {
        ("organisation", kent.pk),
        ("organisation", essex.pk),
        ("inspectorate", inspectorate.pk),
    }
    client.post(f"/subscribe/confirm/{token}/")
    subscriber.refresh_from_db()
    assert subscriber.status == "active"


def test_a_subscribed_address_must_confirm_a_new_follow_by_email(client, on_commit, run_tasks):
    subscriber = SubscriberFactory(email="reader@example.net")
    organisation = OrganisationFactory(name="Kent CRC")
    with on_commit():
        response = follow(client, "organisation", organisation.pk)
    run_tasks()
    assert "Check your email" in response.content.decode()
    assert not subscriber.follows.exists()  # a stranger cannot change what they receive
    [message] = mail.outbox
    assert "Kent CRC" in message.subject
    path = re.search(r"https://oversight\.example(/subscribe/follow/[^/\s\"]+/)", message.body)[1]

    page = client.get(path)
    assert page.status_code == 200 and "Follow Kent CRC?" in page.content.decode()
    assert client.post(path).status_code == 302
    assert list(subscriber.follows.values_list("kind", "target_id")) == [
        ("organisation", organisation.pk)
    ]
    subscriber.refresh_from_db()
    assert subscriber.everything is True  # they still get everything until they choose

    mail.outbox.clear()
    with on_commit():
        follow(client, "organisation", organisation.pk)
    run_tasks()
    assert mail.outbox == []  # already followed: nothing to confirm


def test_follow_form_errors_are_explained_not_raised(client):
    organisation = OrganisationFactory()
    bad_email = follow(client, "organisation", organisation.pk, email="not an address")
    assert bad_email.status_code == 400 and "There is a problem" in bad_email.content.decode()
    gone = follow(client, "organisation", 999999)
    assert gone.status_code == 400 and "nothing to follow" in gone.content.decode()
    tampered = follow(client, "planet", 1)
    assert tampered.status_code == 400
    huge = follow(client, "tag", 10**30)
    assert huge.status_code == 400
    assert client.get("/subscribe/follow/?kind=organisation&target=x").status_code == 404
    page = client.get(f"/subscribe/follow/?kind=organisation&target={organisation.pk}")
    assert page.status_code == 200 and organisation.name in page.content.decode()
    assert client.get("/subscribe/follow/forged-token/").status_code == 404
    assert Subscriber.objects.count() == 0


def test_a_cross_site_follow_post_is_refused():
    organisation = OrganisationFactory()
    response = Client(enforce_csrf_checks=True).post(
        "/subscribe/follow/",
        {"email": "a@example.net", "kind": "organisation", "target": organisation.pk},
        headers={"origin": "https://evil.example"},
    )
    assert response.status_code == 403 and Subscriber.objects.count() == 0


def test_the_manage_page_lists_and_edits_everything_followed(client):
    kent, essex = OrganisationFactory(name="Kent CRC"), OrganisationFactory(name="Essex CRC")
    inspectorate = InspectorateFactory(name="HMI Prisons")
    author = AuthorProfileFactory(display_name="Sam Writer")
    subscriber = SubscriberFactory(tags=["prisons"], follows=[kent, essex, inspectorate])
    Follow.objects.create(subscriber=subscriber, kind="author", target_id=author.user_id)
    url = subscriber.get_manage_url()

    html = client.get(url).content.decode()
    for name in ("Kent CRC", "Essex CRC", "HMI Prisons", "Sam Writer", "prisons"):
        assert name in html
    tag = Tag.objects.get(name="prisons")
    response = client.post(
        url,
        {
            "frequency": "weekly",
            "everything": "followed",
            "tags": [tag.pk],
            "follows": [f"organisation:{kent.pk}", f"author:{author.user_id}"],
        },
    )
    assert response.status_code == 302
    subscriber.refresh_from_db()
    assert subscriber.frequency == "weekly" and subscriber.everything is False
    assert set(subscriber.follows.values_list("kind", "target_id")) == {
        ("organisation", kent.pk),
        ("author", author.user_id),
    }
    client.post(url, {"frequency": "weekly", "everything": "all"})
    subscriber.refresh_from_db()
    assert subscriber.everything is True and not subscriber.follows.exists()


MANAGE_WITH_FOLLOWS_QUERIES = 8  # subscriber, tags, follows, 3 kinds' names, offer, pack


def test_manage_page_queries_do_not_grow_with_follows(client, django_assert_num_queries):
    ArticleFactory(published=True, tags=["one"])
    subscriber = SubscriberFactory(
        tags=["one"], follows=[OrganisationFactory(), InspectorateFactory()]
    )
    Follow.objects.create(
        subscriber=subscriber, kind="author", target_id=AuthorProfileFactory().user_id
    )
    with django_assert_num_queries(MANAGE_WITH_FOLLOWS_QUERIES):
        response = client.get(subscriber.get_manage_url())
    assert response.status_code == 200
    for _n in range(5):
        Follow.objects.create(
            subscriber=subscriber, kind="organisation", target_id=OrganisationFactory().pk
        )
        Follow.objects.create(
            subscriber=subscriber, kind="inspectorate", target_id=InspectorateFactory().pk
        )
    cache.clear()
    with django_assert_num_queries(MANAGE_WITH_FOLLOWS_QUERIES):
        response = client.get(subscriber.get_manage_url())
    assert response.content.decode().count('name="follows"') == 13


# Inspections in alerts and digests


def test_followers_of_an_organisation_inspectorate_or_tag_hear_of_a_new_inspection():
    kent = OrganisationFactory(name="Kent CRC")
    inspectorate = InspectorateFactory()
    good = RatingLevelFactory(label="Requires improvement")
    by_org = SubscriberFactory(each=True, follows=[kent])
    by_body = SubscriberFactory(each=True, follows=[inspectorate])
    by_tag = SubscriberFactory(each=True, tags=["probation"])
    everyone = SubscriberFactory(each=True)
    SubscriberFactory(each=True, follows=[OrganisationFactory()])  # someone else's
    SubscriberFactory(each=True, tags=["courts"])
    inspection = new_inspection(
        [kent], rating=good, inspectorate=inspectorate, tags=["probation"], title="Kent 2026"
    )
    for n in range(5):
        FindingFactory(inspection=inspection, organisation=kent, text=f"Finding {n} text")

    [announced] = announcements_prepare()
    assert announced.inspection == inspection and announced.recipients == 4
    deliveries_send_due()

    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        s.email for s in (by_org, by_body, by_tag, everyone)
    )
    message = mail.outbox[0]
    assert message.subject.endswith("Kent 2026")
    html = message.alternatives[0][0]
    for body in (message.body, html):
        assert f"{kent.display_name}: " in body and "Requires improvement" in body  # rating
        assert "Finding 0 text" in body and "Finding 2 text" in body  # top findings
        assert "Finding 3 text" not in body
    assert "2 more findings" in html
    assert announcements_prepare() == []  # once, ever
    assert InspectionAnnouncement.objects.count() == 1


def test_an_old_report_is_never_news_even_when_it_goes_live_today():
    SubscriberFactory(each=True)
    new_inspection(published_on=timezone.localdate() - datetime.timedelta(days=30))  # imported
    new_inspection(live_at=timezone.now() - datetime.timedelta(days=30))  # live for a month
    InspectionFactory(draft=True, published_on=timezone.localdate())
    assert announcements_prepare() == []
    assert digest_prepare(period="daily").digest is None


def test_saving_an_inspection_announces_it_after_commit(on_commit, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    SubscriberFactory(each=True)
    with on_commit():
        new_inspection()
    assert InspectionAnnouncement.objects.count() == 1
    assert Delivery.objects.filter(inspection__isnull=False).count() == 1


def test_digests_have_separate_sections_for_articles_and_inspections():
    kent = OrganisationFactory(name="Kent CRC")
    SubscriberFactory(email="all@example.net")
    ArticleFactory(published=True, title="What the report means")
    new_inspection([kent], title="Inspection of Kent CRC")

    plan = digest_prepare(period="daily")
    assert plan.items == 2 and plan.recipients == 1
    deliveries_send_due()

    [message] = mail.outbox
    text = message.body
    assert "== 1 new article ==" in text and "== 1 new inspection ==" in text
    assert text.index("What the report means") < text.index("Inspection of Kent CRC")
    html = message.alternatives[0][0]
    assert "1 new article</h2>" in html and "1 new inspection</h2>" in html


def test_overlapping_follows_never_bring_the_same_item_twice():
    kent = OrganisationFactory()
    inspectorate = InspectorateFactory()
    author = AuthorProfileFactory()
    # Every follow matches the same inspection (and the article twice over).
    reader = SubscriberFactory(tags=["probation"], follows=[kent, inspectorate])
    Follow.objects.create(subscriber=reader, kind="author", target_id=author.user_id)
    each_reader = SubscriberFactory(each=True, tags=["probation"], follows=[kent, inspectorate])
    new_inspection([kent], inspectorate=inspectorate, tags=["probation"], title="Twice over")
    ArticleFactory(published=True, author=author.user, tags=["probation"], title="Art twice")

    announcements_prepare()
    announcements_prepare()
    digest_prepare(period="daily")
    digest_prepare(period="daily")
    deliveries_send_due()

    assert Delivery.objects.filter(subscriber=reader).count() == 1
    assert Delivery.objects.filter(subscriber=each_reader).count() == 2  # one per item
    [digest] = [m for m in mail.outbox if m.to == [reader.email]]
    assert digest.body.count("Twice over") == 1
    assert digest.body.count("Art twice") == 2  # the subject line and the item, once
    each = [m for m in mail.outbox if m.to == [each_reader.email]]
    assert sorted(m.subject.split(": ", 1)[1] for m in each) == ["Art twice", "Twice over"]


def test_a_narrowed_subscriber_gets_only_the_part_of_a_digest_they_follow():
    kent, essex = OrganisationFactory(), OrganisationFactory()
    SubscriberFactory(email="kent@example.net", follows=[kent])
    new_inspection([kent], title="Kent report")
    new_inspection([essex], title="Essex report")
    ArticleFactory(published=True, title="Unrelated article")
    digest_prepare(period="daily")
    deliveries_send_due()
    [message] = mail.outbox
    assert "Kent report" in message.body
    assert "Essex report" not in message.body and "Unrelated article" not in message.body
    assert "about what you follow" in message.body


# One rule for what a digest carries


def test_running_send_digests_twice_sends_one_email_unless_something_new_appears():
    SubscriberFactory()
    ArticleFactory(published=True)
    new_inspection()
    send_digests()
    assert "No new articles or inspections" in send_digests()
    assert Digest.objects.count() == 1 and Delivery.objects.count() == 1

    new_inspection(title="Something new")
    output = send_digests()
    assert "Daily digest #2 (0 article(s), 1 inspection(s)" in output
    assert list(Digest.objects.get(sequence=2).inspections.values_list("title", flat=True)) == [
        "Something new"
    ]
    assert Delivery.objects.count() == 2


def test_late_items_go_in_the_next_digest_once_and_first_runs_follow_the_same_rule():
    SubscriberFactory()
    old = ArticleFactory(published=True, published_at=timezone.now() - 3 * DAY)
    announcements_prepare(now=timezone.now() - 3 * DAY)  # announced when it went public
    first = digest_prepare(period="daily")
    assert first.digest is None  # news three days ago is not today's

    # Published today with an earlier date: news now, in the very next digest.
    late = ArticleFactory(published=True, published_at=timezone.now() - 2 * DAY)
    late_inspection = new_inspection(
        published_on=timezone.localdate() - 2 * DAY, live_at=timezone.now() - 2 * DAY
    )
    send_digests()
    digest = Digest.objects.get()
    assert list(digest.articles.all()) == [late] and old not in digest.articles.all()
    assert list(digest.inspections.all()) == [late_inspection]
    assert "No new articles or inspections" in send_digests()
    assert Delivery.objects.count() == 1


# The newsletter archive

NEWSLETTER_LIST_QUERIES = 3  # count, page, the sidebar's featured pack
NEWSLETTER_DETAIL_QUERIES = 10  # digest, links x2, articles (+tags), findings,
# inspections (+inspected, tags), periods


def test_the_newsletter_archive_lists_digests_with_a_web_view_and_no_personal_links(
    client, django_assert_num_queries
):
    subscriber = SubscriberFactory()
    ArticleFactory(published=True, title="An article")
    kent = OrganisationFactory(name="Kent CRC")
    new_inspection([kent], rating=RatingLevelFactory(label="Good"), title="Kent inspected")
    digest_prepare(period="daily")
    deliveries_send_due()

    with django_assert_num_queries(NEWSLETTER_LIST_QUERIES):
        response = client.get("/newsletter/")
    html = response.content.decode()
    assert response.status_code == 200 and "Daily newsletter" in html
    assert "1 article" in html and "1 inspection" in html
    digest = Digest.objects.get()
    with django_assert_num_queries(NEWSLETTER_DETAIL_QUERIES):
        page = client.get(f"/newsletter/{digest.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "An article" in html and "Kent inspected" in html
    assert f"{kent.display_name}: <strong>Good" in html
    assert "/subscribe/manage/" not in html and "/subscribe/unsubscribe/" not in html
    assert subscriber.email not in html
    assert "/newsletter/" in client.get("/subscribe/").content.decode()
    assert client.get("/newsletter/999/").status_code == 404


def test_newsletter_pages_queries_do_not_grow(client, django_assert_num_queries):
    SubscriberFactory()
    for n in range(3):
        ArticleFactory(published=True, tags=[f"t{n}"])
        new_inspection([OrganisationFactory()])
    plan = digest_prepare(period="daily")
    for n in range(10):
        Digest.objects.create(
            period="weekly", sequence=n + 1, since=timezone.now() - DAY, until=timezone.now()
        )
    with django_assert_num_queries(NEWSLETTER_LIST_QUERIES):
        assert client.get("/newsletter/").status_code == 200
    with django_assert_num_queries(NEWSLETTER_DETAIL_QUERIES):
        html = client.get(f"/newsletter/{plan.digest.pk}/").content.decode()
    assert html.count('class="newsletter-item"') == 6


# Personal data


def test_personal_data_export_and_erase_cover_follows():
    kent = OrganisationFactory(name="Kent CRC")
    subscriber = SubscriberFactory(email="reader@example.net", tags=["prisons"], follows=[kent])
    [row] = registry.export("Reader@example.net")
    assert row["everything"] is False and row["tags"] == ["prisons"]
    assert row["follows"] == [
        {"kind": "organisation", "name": "Kent CRC", "url": kent.get_absolute_url()}
    ]
    assert registry.erase("reader@example.net") == {"subscriptions": 1}
    assert not Follow.objects.filter(subscriber_id=subscriber.pk).exists()


def test_a_scheduled_inspection_is_announced_when_its_time_comes_without_a_save(time_machine):
    kent = OrganisationFactory()
    reader = SubscriberFactory(each=True, follows=[kent])
    daily = SubscriberFactory(follows=[kent])
    live_at = timezone.now() + 2 * HOUR
    inspection = new_inspection([kent], live_at=live_at, title="Scheduled report")
    send_digests()
    assert not Delivery.objects.exists()  # not public yet: nobody hears of it

    time_machine.move_to(live_at + HOUR)
    send_digests()
    assert Delivery.objects.get(subscriber=reader).inspection == inspection
    assert list(Delivery.objects.get(subscriber=daily).digest.inspections.all()) == [inspection]
