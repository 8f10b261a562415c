"""The comment form's widgets, written out in Python, match Django's own templates."""

import pytest
from django.forms.renderers import DjangoTemplates

from comments.forms import CommentForm, WidgetRenderer
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


class DjangosOwn(CommentForm):
    default_renderer = DjangoTemplates()


def html_of(form) -> list[str]:
    return [
        str(form.non_field_errors()),
        *(f"{field.errors}{field}" for field in form),
    ]


@pytest.mark.parametrize(
    "data",
    [
        None,
        {},
        {"name": 'Ada "<b>"', "email": "not an email", "website": "javascript:x", "body": " "},
        {"name": "Ada", "email": "ada@example.net", "body": "Fine & <dandy>\n", "remember": "on"},
        {"name": "Ada", "email": "ada@example.net", "body": "Hi", "parent": "99"},
    ],
)
def test_the_comment_form_renders_as_djangos_templates_do(data):
    article = ArticleFactory(published=True)
    initial = {"started": "token", "name": "Bob & <Co>", "remember": True}
    ours = CommentForm(data, target=article, initial=initial)
    django = DjangosOwn(data, target=article, initial=initial)
    assert isinstance(ours.renderer, WidgetRenderer)
    if data is not None:
        assert ours.is_valid() == django.is_valid()
    assert html_of(ours) == html_of(django)
    assert ours.errors.as_data().keys() == django.errors.as_data().keys()
