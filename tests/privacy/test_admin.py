import json

import pytest
from django.urls import reverse

from comments.models import Comment
from privacy.models import DataRequest
from subscriptions.models import Subscriber
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:privacy_datarequest_changelist"


@pytest.fixture
def editor(client):
    user = UserFactory(is_staff=True, is_superuser=True, email="editor@example.org")
    client.force_login(user)
    return user


def action(client, name: str, pks: list[int], **extra):
    return client.post(reverse(CHANGELIST), {"action": name, "_selected_action": pks, **extra})


def test_an_editor_records_a_request_and_sees_what_is_held(client, editor, ada_and_bob):
    response = client.post(reverse("admin:privacy_datarequest_add"), {"email": "ada@example.net"})
    assert response.status_code == 302
    request = DataRequest.objects.get()

    html = client.get(reverse("admin:privacy_datarequest_change", args=[request.pk])).content
    assert b"2 comments" in html and b"A subscription (active)" in html


def test_the_download_action_exports_each_address_once(client, editor, ada_and_bob):
    first = DataRequest.objects.create(email="ada@example.net")
    second = DataRequest.objects.create(email="ADA@example.net")

    response = action(client, "download", [first.pk, second.pk])

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    [export] = json.loads(response.content)
    assert len(export["comments"]) == 2 and len(export["subscriptions"]) == 1
    assert "bob@example.net" not in response.content.decode()


def test_the_erase_action_asks_then_erases(client, editor, ada_and_bob):
    request = DataRequest.objects.create(email="ada@example.net")

    confirm = action(client, "erase", [request.pk])

    html = confirm.content.decode()
    assert confirm.status_code == 200
    assert "ada@example.net" in html and "2 comments" in html and "A reader" in html
    assert 'name="post" value="yes"' in html
    assert Comment.objects.filter(email="ada@example.net").exists()

    done = action(client, "erase", [request.pk], post="yes")

    assert done.status_code == 302
    assert not Comment.objects.filter(email__iexact="ada@example.net").exists()
    assert not Subscriber.objects.filter(email__iexact="ada@example.net").exists()
    assert not DataRequest.objects.exists()
    ada_and_bob["bob"].refresh_from_db()
    assert ada_and_bob["bob"].parent_id == ada_and_bob["ada"].pk


def test_the_changelist_answers(client, editor):
    DataRequest.objects.create(email="ada@example.net")
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 200 and b"ada@example.net" in response.content
