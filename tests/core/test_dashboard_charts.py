import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from core import dashboard
from core.dashboard import Chart, Series, chart_drawing, chart_since, register_chart
from subscriptions.models import Delivery, Digest
from tests.blog.factories import StaffFactory
from tests.comments.factories import CommentFactory
from tests.factories import ArticleFactory
from tests.subscriptions.factories import SubscriberFactory

NOW = datetime.datetime(2026, 11, 25, 12, 0, tzinfo=datetime.UTC)  # a Wednesday
INDEX = reverse("admin:index")


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def days_ago(n: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=n)


def test_weekly_charts_start_on_a_monday_about_90_days_back(frozen):
    since = timezone.localtime(chart_since("week"))

    assert since.weekday() == 0
    assert 84 <= (timezone.localdate() - since.date()).days <= 90
    assert timezone.localtime(chart_since("month")).date() == datetime.date(2025, 12, 1)


def test_a_chart_is_drawn_as_bars_with_totals_and_a_link_for_each_period(frozen):
    today = timezone.localdate()
    chart = Chart(
        title="Things",
        series=[
            Series("Made", {today: 3, today - datetime.timedelta(days=7): 1}, "/x/", "made"),
            Series("Lost", {today: 6}, "/x/?status=lost", ""),
        ],
    )

    drawn = chart_drawing(chart)

    assert [(s["label"], s["total"], s["latest"]) for s in drawn["series"]] == [
        ("Made", 4, 3),
        ("Lost", 6, 6),
    ]
    made = [bar for bar in drawn["bars"] if bar["series"] == 0]
    assert len(made) == 13
    assert made[-1]["value"] == 3
    assert made[-1]["link"] == (
        "/x/?made__gte=2026-11-23+00%3A00%3A00%2B00%3A00&made__lt=2026-11-30+00%3A00%3A00%2B00%3A00"
    )
    tallest = max(drawn["bars"], key=lambda bar: bar["height"])
    assert (tallest["value"], tallest["y"]) == (6, 4)
    assert drawn["series"][1]["link"] == "/x/?status=lost"


def test_registering_a_chart_that_answers_none_leaves_it_out(monkeypatch, rf):
    monkeypatch.setattr(dashboard, "_charts", {})
    register_chart("hidden", build=lambda request: None)
    register_chart("shown", build=lambda request: Chart("Shown", [Series("n", {}, "/", "")]))

    assert [chart["title"] for chart in dashboard.charts_for(rf.get("/"))] == ["Shown"]


def make_rows(n: int) -> None:
    for i in range(n):
        article = ArticleFactory(published=True, published_at=days_ago(20 * i + 1))
        CommentFactory(target=article, created=days_ago(i + 1))
        CommentFactory(target=article, created=days_ago(i + 2), status="approved")
        SubscriberFactory(unsubscribed=True, unsubscribed_at=days_ago(i + 3))
        SubscriberFactory()
    digest = Digest.objects.create(period="daily", sequence=n, since=NOW, until=NOW)
    for status in ["sent", "sent", "failed"][: n + 1]:
        Delivery.objects.create(digest=digest, subscriber=SubscriberFactory(), status=status)


@pytest.mark.django_db
def test_the_dashboard_draws_four_charts_with_their_numbers_and_links(client, frozen):
    make_rows(2)
    client.force_login(StaffFactory(editor=True))

    response = client.get(INDEX)

    assert response.status_code == 200
    page = response.content.decode()
    for title in [
        "Articles published per month",
        "Comments received and held for moderation",
        "Subscribers gained and lost",
        "Digest deliveries sent and failed",
    ]:
        assert title in page
    charts = {c["title"]: c for c in response.context["dashboard_charts"]}
    totals = {(title, s["label"]): s["total"] for title, c in charts.items() for s in c["series"]}
    assert totals == {
        ("Articles published per month", "Published"): 2,
        ("Comments received and held for moderation", "Received"): 4,
        ("Comments received and held for moderation", "Held"): 2,
        ("Subscribers gained and lost", "Gained"): 7,  # four here, three with a delivery
        ("Subscribers gained and lost", "Lost"): 2,
        ("Digest deliveries sent and failed", "Sent"): 2,
        ("Digest deliveries sent and failed", "Failed"): 1,
    }
    assert "<svg" in page and 'class="chart-bar chart-series-1"' in page
    assert " style=" not in page.split('id="dashboard-charts"')[1].split("</section>")[0]


@pytest.mark.django_db
def test_every_chart_link_opens_its_admin_list_filtered(client, frozen):
    make_rows(1)
    client.force_login(StaffFactory(editor=True))
    charts = client.get(INDEX).context["dashboard_charts"]
    links = {s["link"] for c in charts for s in c["series"]}
    links |= {c["bars"][-1]["link"] for c in charts}

    for link in sorted(links):
        response = client.get(link)
        assert response.status_code == 200, link  # a refused filter redirects with ?e=1
        assert "cl" in response.context, link

    held = next(s for c in charts for s in c["series"] if s["label"] == "Held")
    assert len(client.get(held["link"]).context["cl"].result_list) == 1


@pytest.mark.django_db
def test_dashboard_query_count_does_not_grow_with_rows(client, frozen, django_assert_num_queries):
    editor = StaffFactory(editor=True)
    client.force_login(editor)
    make_rows(1)
    assert client.get(INDEX).status_code == 200
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(INDEX)
    make_rows(3)

    with django_assert_num_queries(len(one)):
        response = client.get(INDEX)

    charts = response.context["dashboard_charts"]
    assert charts[0]["series"][0]["total"] == 4
    chart_queries = [q for q in one.captured_queries if "chart_" in q["sql"]]
    assert len(chart_queries) == 5  # one a chart, two for subscribers (gained, lost)


@pytest.mark.django_db
def test_an_author_sees_only_the_charts_their_role_may_see(client, frozen):
    make_rows(1)
    client.force_login(StaffFactory(author=True))

    charts = client.get(INDEX).context["dashboard_charts"]

    assert [c["title"] for c in charts] == ["Articles published per month"]
