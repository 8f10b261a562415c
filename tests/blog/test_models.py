import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from blog.models import Article
from tests.factories import (
    ArticleFactory,
    AuthorProfileFactory,
    ResourcePackFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("first_name", "last_name", "name"), [("Sam", "Staff", "Sam Staff"), ("", "", "sam")]
)
def test_the_byline_of_an_author_without_a_profile_falls_back_to_the_user(
    first_name, last_name, name
):
    user = UserFactory(username="sam", first_name=first_name, last_name=last_name)
    article = ArticleFactory(author=user)
    assert (article.author_name, article.author_url) == (name, "")


def test_the_byline_of_an_author_with_a_profile_names_and_links_the_profile():
    profile = AuthorProfileFactory(display_name="Ruth Example", user__username="ruth")
    article = ArticleFactory(author=profile.user)
    assert (article.author_name, article.author_url) == ("Ruth Example", "/authors/ruth/")


def test_published_queryset_and_is_published_agree():
    live = ArticleFactory(published=True)
    scheduled = ArticleFactory(scheduled=True)
    draft = ArticleFactory()
    draft_with_past_date = ArticleFactory(published_at=timezone.now() - datetime.timedelta(days=1))

    public = set(Article.objects.published())

    assert public == {live}
    for article in (live, scheduled, draft, draft_with_past_date):
        assert article.is_published == (article in public)


def test_scheduled_article_becomes_public_when_its_time_comes(time_machine):
    article = ArticleFactory(scheduled=True)
    assert not Article.objects.published().exists()

    time_machine.move_to(article.published_at + datetime.timedelta(seconds=1))

    assert list(Article.objects.published()) == [article]


def test_body_is_sanitised_on_save():
    article = ArticleFactory(
        body=(
            '<h2 onclick="x()">Title</h2><script>alert(1)</script>'
            '<p style="color:red">Text <a href="javascript:alert(1)">bad</a>'
            ' <a href="https://example.org">good</a></p>'
        )
    )
    article.refresh_from_db()

    assert "<script" not in article.body
    assert "onclick" not in article.body
    assert "style=" not in article.body
    assert "javascript:" not in article.body
    assert "<h2>Title</h2>" in article.body
    assert 'href="https://example.org"' in article.body


def test_reading_time_counts_words_at_two_hundred_a_minute():
    article = ArticleFactory(standfirst="", body="<p>" + "word " * 401 + "</p>")
    assert article.reading_time == 3


def test_slug_is_filled_from_title_when_empty():
    article = ArticleFactory(title="Probation in Durham: what now?", slug="")
    assert article.slug == "probation-in-durham-what-now"


def test_database_refuses_published_article_without_date():
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(status=Article.Status.PUBLISHED, published_at=None)


def test_database_refuses_featured_image_without_alt_text():
    article = ArticleFactory(featured_image_alt="A prison wing")
    Article.objects.filter(pk=article.pk).update(featured_image="articles/x.jpg")
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(featured_image_alt="")


def test_related_articles_rank_by_shared_tags():
    article = ArticleFactory(published=True, tags=["probation", "london", "crc"])
    two_shared = ArticleFactory(published=True, tags=["probation", "london"])
    one_shared = ArticleFactory(published=True, tags=["crc"])
    ArticleFactory(published=True, tags=["prisons"])
    ArticleFactory(tags=["probation", "london", "crc"])  # a draft never shows
    article = Article.objects.for_listing().get(pk=article.pk)

    related = Article.objects.related_to(article)
    assert [link.slug for link in related] == [two_shared.slug, one_shared.slug]


def test_featured_pack_cache_is_cleared_when_a_pack_changes(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        pack = ResourcePackFactory(is_featured=True)
    assert type(pack).objects.featured_promo() == pack
    with django_capture_on_commit_callbacks(execute=True):
        pack.is_featured = False
        pack.save()
    assert type(pack).objects.featured_promo() is None
