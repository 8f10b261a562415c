import datetime

import pytest
from django.utils import timezone

from core.tokens import (
    LINK_MAX_AGE,
    ExpiredToken,
    InvalidToken,
    make_token,
    read_token,
)

OLD_KEY = "an-old-secret-key-that-is-being-rotated-out-of-service"


def test_a_token_names_its_key_for_its_purpose_only():
    token = make_token("test.stop", 42)
    assert read_token("test.stop", token).key == 42
    assert read_token("test.manage", make_token("test.manage", "abc")).key == "abc"
    with pytest.raises(InvalidToken):
        read_token("test.unsubscribe", token)


@pytest.mark.parametrize(
    "forge",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
        lambda token: "MQ" + token[token.index(":") :],  # another key, the same signature
        lambda token: "junk",
        lambda token: "",
        lambda token: "%00" * 700,
    ],
)
def test_forged_tokens_are_invalid(forge):
    with pytest.raises(InvalidToken) as refused:
        read_token("test.stop", forge(make_token("test.stop", 42)))
    assert not isinstance(refused.value, ExpiredToken)


def test_tokens_expire_after_their_max_age(time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    token = make_token("test.confirm", "abc")
    week = datetime.timedelta(days=7)
    time_machine.shift(week - datetime.timedelta(minutes=1))
    assert read_token("test.confirm", token, max_age=week).key == "abc"
    time_machine.shift(datetime.timedelta(minutes=2))
    with pytest.raises(ExpiredToken):
        read_token("test.confirm", token, max_age=week)


def test_long_lived_links_are_bounded_at_a_year(time_machine):
    assert LINK_MAX_AGE.days == 365
    time_machine.move_to(timezone.now(), tick=False)
    token = make_token("test.stop", 42)
    time_machine.shift(datetime.timedelta(days=364))
    assert read_token("test.stop", token).key == 42
    time_machine.shift(datetime.timedelta(days=2))
    with pytest.raises(ExpiredToken):
        read_token("test.stop", token)


def test_a_new_object_secret_revokes_its_links_only():
    token = make_token("test.manage", "abc", secret="first secret")
    signed = read_token("test.manage", token)
    signed.check("first secret")
    with pytest.raises(InvalidToken):
        signed.check("second secret")
    with pytest.raises(InvalidToken):
        read_token("test.manage", make_token("test.manage", "abc")).check("first secret")


def test_a_rotated_secret_key_keeps_links_while_it_is_a_fallback(settings):
    settings.SECRET_KEY = OLD_KEY
    plain = make_token("test.stop", 42)
    with_secret = make_token("test.manage", "abc", secret="object secret")

    settings.SECRET_KEY = "the-new-secret-key-" + "x" * 40
    settings.SECRET_KEY_FALLBACKS = [OLD_KEY]
    assert read_token("test.stop", plain).key == 42
    read_token("test.manage", with_secret).check("object secret")
    assert read_token("test.stop", make_token("test.stop", 42)).key == 42

    settings.SECRET_KEY_FALLBACKS = []
    for purpose, token in [("test.stop", plain), ("test.manage", with_secret)]:
        with pytest.raises(InvalidToken):
            read_token(purpose, token)


@pytest.mark.django_db
def test_every_signed_link_of_the_site_follows_secret_key_rotation(client, settings):
    from tests.comments.factories import CommentFactory
    from tests.subscriptions.factories import SubscriberFactory

    settings.SECRET_KEY = OLD_KEY
    subscriber = SubscriberFactory()
    pending = SubscriberFactory(pending=True)
    comment = CommentFactory(notify_replies=True)
    links = [
        subscriber.get_manage_url(),
        subscriber.get_unsubscribe_url(),
        pending.get_confirm_url(),
        f"/comments/replies/stop/{comment.stop_token()}/",
    ]

    settings.SECRET_KEY = "the-new-secret-key-" + "x" * 40
    settings.SECRET_KEY_FALLBACKS = [OLD_KEY]
    assert [client.get(link).status_code for link in links] == [200] * 4

    settings.SECRET_KEY_FALLBACKS = []
    assert [client.get(link).status_code for link in links] == [404] * 4
