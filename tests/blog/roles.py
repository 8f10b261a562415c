"""Admin users in each editorial role, for the admin tests."""

from django.contrib.auth.models import Group

from blog.roles import AUTHOR, EDITOR, MODERATOR
from tests.factories import AuthorProfileFactory, UserFactory

PASSWORD = "correct horse battery staple"


def user_in_role(role: str, username: str | None = None):
    kwargs = {"username": username} if username else {}
    user = UserFactory(is_staff=True, **kwargs)
    user.set_password(PASSWORD)
    user.save()
    user.groups.add(Group.objects.get(name=role))
    AuthorProfileFactory(user=user)
    return user


def editor(username=None):
    return user_in_role(EDITOR, username)


def author(username=None):
    return user_in_role(AUTHOR, username)


def moderator(username=None):
    return user_in_role(MODERATOR, username)


def article_form_data(**overrides) -> dict:
    data = {
        "title": "Caseloads under strain",
        "slug": "caseloads-under-strain",
        "standfirst": "Too many cases.",
        "body": "<p>Caseloads were too high.</p>",
        "featured_image_alt": "",
        "featured_image_caption": "",
        "featured_image_credit": "",
        "category": "",
        "tags": "",
        "status": "draft",
        "published_at_0": "",
        "published_at_1": "",
        "comments_open": "on",
        "meta_description": "",
    }
    data.update(overrides)
    return data
