import pytest
from django.contrib.auth.models import User
from django.test import RequestFactory

from core import dashboard
from core.dashboard import head_and_count, panels_for, register_panel, registered_panels
from tests.factories import UserFactory


@pytest.fixture
def only_test_panels(monkeypatch):
    monkeypatch.setattr(dashboard, "_panels", {})


def test_panels_answer_in_order_and_those_returning_none_are_left_out(only_test_panels):
    register_panel("late", build=lambda request: {"n": 2}, template="late.html", order=20)
    register_panel("hidden", build=lambda request: None, template="hidden.html", order=5)
    register_panel("early", build=lambda request: {"n": 1}, template="early.html", order=10)

    shown = panels_for(RequestFactory().get("/admin/"))

    assert [(panel.name, panel.template, panel.context) for panel in shown] == [
        ("early", "early.html", {"n": 1}),
        ("late", "late.html", {"n": 2}),
    ]


def test_registering_a_name_again_replaces_the_panel(only_test_panels):
    register_panel("one", build=lambda request: {}, template="old.html")
    register_panel("one", build=lambda request: {}, template="new.html")

    assert [panel.template for panel in registered_panels()] == ["new.html"]


@pytest.mark.django_db
def test_head_and_count_takes_the_first_rows_and_counts_all_in_one_query(
    django_assert_num_queries,
):
    UserFactory.create_batch(5)
    users = User.objects.order_by("pk")

    with django_assert_num_queries(1):
        head, total = head_and_count(users, rows=3)

    assert total == 5
    assert head == list(users[:3])
    assert head_and_count(users.none()) == ([], 0)
