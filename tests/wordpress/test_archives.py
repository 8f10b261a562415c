"""WordPress's date archives (`/?m=201612`, `/2016/12/`) lead to this site's archives."""

import datetime

import pytest
from django.contrib.redirects.models import Redirect

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/?m=201612", "/articles/2016/12/"),
        ("/?m=2016", "/articles/2016/"),
        ("/?m=20161214", "/articles/2016/12/"),  # no day archives here: its month
        ("/?m=20161214093000", "/articles/2016/12/"),
        ("/?m=201612&paged=2", "/articles/2016/12/?page=2"),
        ("/?year=2016&monthnum=12", "/articles/2016/12/"),
        ("/?year=2016&monthnum=12&day=14", "/articles/2016/12/"),
        ("/?year=2016", "/articles/2016/"),
        ("/?m=201612&utm_source=x", "/articles/2016/12/"),
        ("/2016/12/", "/articles/2016/12/"),
        ("/2016/12/14/", "/articles/2016/12/"),
        ("/2016/", "/articles/2016/"),
        ("/2016/12/page/3/", "/articles/2016/12/?page=3"),
        ("/2016/1/", "/articles/2016/1/"),
    ],
)  # fmt: skip
def test_a_wordpress_date_archive_answers_301_to_the_archive_here(client, old, new):
    response = client.get(old)

    assert response.status_code == 301
    assert response["Location"] == new
    assert client.get(new.split("?")[0]).status_code == 200


def test_the_archive_it_leads_to_lists_that_months_articles(client):
    ArticleFactory(
        title="The December report",
        published=True,
        published_at=datetime.datetime(2016, 12, 14, 9, tzinfo=datetime.UTC),
    )
    ArticleFactory(
        title="A later report",
        published=True,
        published_at=datetime.datetime(2017, 1, 3, 9, tzinfo=datetime.UTC),
    )

    response = client.get("/?m=201612", follow=True)

    assert response.redirect_chain == [("/articles/2016/12/", 301)]
    assert b"The December report" in response.content
    assert b"A later report" not in response.content


@pytest.mark.parametrize(
    "old",
    [
        "/?m=201613",  # no thirteenth month
        "/?m=20160230",  # no 30 February
        "/?m=0000",
        "/?m=2016-12",
        "/?m=abc",
        "/?m=%D9%A2%D9%A0%D9%A1%D9%A6",  # Arabic-Indic digits: not WordPress's
        "/?m=1234567",
        "/?m=" + "9" * 40,
        "/?m=201612&paged=x",
        "/?year=2016&monthnum=13",
        "/?year=x",
        "/?year=" + "9" * 30,
        "/2016/13/",
        "/2016/02/30/",
        "/0000/01/",
    ],
)
def test_a_date_no_calendar_has_is_a_404_not_an_error(client, old):
    response = client.get(old)

    assert response.status_code == 404


def test_the_home_page_with_other_query_strings_is_still_the_home_page(client):
    assert client.get("/?m=").status_code == 200
    assert client.get("/?utm_source=newsletter").status_code == 200
    assert client.get("/?page=1").status_code == 200


def test_a_recorded_redirect_or_an_article_at_the_same_path_wins(client):
    Redirect.objects.create(site_id=1, old_path="/2015/06/", new_path="/about/")
    ArticleFactory(slug="2014", title="The 2014 review", published=True)

    assert client.get("/2015/06/")["Location"] == "/about/"
    assert client.get("/2014/")["Location"] == "/articles/2014/"  # the article, not the year


def test_a_post_to_a_date_address_is_not_redirected(client):
    assert client.post("/?m=201612").status_code != 301
