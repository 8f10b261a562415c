import datetime
import re
import time
import xml.etree.ElementTree as ET

import pytest
import time_machine
from django import forms
from django.test import Client
from django.utils import formats, translation
from django.views.defaults import server_error

from comments.forms import form_token
from comments.views import post_url
from tests.factories import ArticleFactory
from tests.inspections.factories import (
    FindingFactory,
    InspectedOrganisationFactory,
    InspectionFactory,
    RatingLevelFactory,
    four_point_scale,
)

pytestmark = pytest.mark.django_db


def welsh_client() -> Client:
    client = Client()
    client.cookies["django_language"] = "cy"
    return client


def html_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_pages_say_which_language_they_are_in():
    english = Client().get("/")
    assert english["Content-Language"] == "en-gb"
    assert '<html lang="en-gb">' in html_of(english)
    welsh = welsh_client().get("/")
    assert welsh["Content-Language"] == "cy"
    assert '<html lang="cy">' in html_of(welsh)
    assert "Accept-Language" in welsh["Vary"]


def test_a_browser_asking_for_welsh_gets_welsh():
    response = Client().get("/", headers={"Accept-Language": "cy,en;q=0.5"})
    assert response["Content-Language"] == "cy"
    assert ">Hafan</a>" in html_of(response)


def test_the_switcher_remembers_the_choice_for_a_year():
    client = Client()
    response = client.post("/i18n/setlang/", {"language": "cy", "next": "/inspections/"})
    assert response.status_code == 302 and response["Location"] == "/inspections/"
    cookie = response.cookies["django_language"]
    assert cookie.value == "cy"
    assert int(cookie["max-age"]) >= 364 * 24 * 60 * 60
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    for path in ["/", "/inspections/", "/subscribe/"]:
        html = html_of(client.get(path))
        assert '<html lang="cy">' in html
        assert '<option value="cy" lang="cy" selected>Cymraeg</option>' in html
    client.post("/i18n/setlang/", {"language": "en-gb", "next": "/"})
    assert '<html lang="en-gb">' in html_of(client.get("/"))


def test_the_switcher_is_a_form_that_works_without_javascript():
    html = html_of(Client().get("/"))
    form = re.search(r'<form class="language-switcher".*?</form>', html, re.S).group(0)
    assert 'method="post"' in form and 'action="/i18n/setlang/"' in form
    assert '<button type="submit">' in form and "<script" not in form
    assert '<label for="language-select">' in form


def test_lang_in_the_address_answers_in_that_language_without_a_cookie():
    response = Client().get("/?lang=cy")
    assert response["Content-Language"] == "cy"
    assert '<html lang="cy">' in html_of(response)
    assert not response.cookies
    english = welsh_client().get("/?lang=en-gb")
    assert english["Content-Language"] == "en-gb"


@pytest.mark.parametrize("value", ["xx", "", "cy" * 40, "../../etc", "cy\x00", "cy\n"])
def test_an_unknown_lang_in_the_address_is_ignored(value):
    response = Client().get("/", {"lang": value})
    assert response["Content-Language"] == "en-gb"
    assert response.status_code == 200


def test_the_switcher_sends_the_reader_back_without_the_lang_parameter():
    html = html_of(Client().get("/?page=1&lang=cy"))
    assert '<input name="next" type="hidden" value="/?page=1">' in html


def test_pages_link_to_themselves_in_each_language(settings):
    settings.SITE_URL = "https://oversight.example"
    html = html_of(Client().get("/inspections/?year=2016"))
    alternates = re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html)
    assert alternates == [
        ("en-GB", "https://oversight.example/inspections/?year=2016&amp;lang=en-gb"),
        ("cy", "https://oversight.example/inspections/?year=2016&amp;lang=cy"),
        ("x-default", "https://oversight.example/inspections/?year=2016"),
    ]


def test_a_missing_page_has_no_language_alternates():
    response = Client().get("/no-such-page-anywhere/")
    assert response.status_code == 404
    assert "hreflang" not in response.content.decode()


@time_machine.travel(datetime.datetime(2025, 3, 6, 12, 0, tzinfo=datetime.UTC), tick=False)
def test_welsh_interface_on_an_article_with_comments():
    article = ArticleFactory(
        published=True,
        title="Probation caseloads",
        published_at=datetime.datetime(2025, 3, 5, 9, 0, tzinfo=datetime.UTC),
    )
    html = html_of(welsh_client().get(article.get_absolute_url()))
    for welsh in [
        "Gadael sylw",  # comment form heading
        "Ni fyddwn byth yn cyhoeddi eich cyfeiriad e-bost.",
        "Postio sylw",
        "Dim ymatebion",
        "Dewis iaith",
        "Neidio i'r cynnwys",
        "Map o'r wefan",  # footer
        "Trwyddedir y testun o dan CC BY 4.0",
        "5 Mawrth 2025",  # dates in Welsh
    ]:
        assert welsh in html, welsh
    subscribe_box = re.search(r'<h2 id="subscribe-box-title"[^>]*>([^<]+)</h2>', html).group(1)
    assert subscribe_box.endswith("drwy e-bost"), subscribe_box
    for english in ["Leave a comment", "Post comment", "Skip to content", "Sitemap", "March"]:
        assert english not in html, english


def test_welsh_interface_on_an_inspection():
    inspection = InspectionFactory(published_on=datetime.date(2016, 12, 14))
    InspectedOrganisationFactory(inspection=inspection)
    FindingFactory(inspection=inspection, organisation=None)
    html = html_of(welsh_client().get(inspection.get_absolute_url()))
    for welsh in [
        "Yr hyn a ganfu'r arolygwyr",
        "Sefydliad a arolygwyd",
        "Canfyddiadau ar y cyd a chydgysylltu",
        "14 Rhagfyr 2016",
    ]:
        assert welsh in html, welsh
    assert "What the inspectors found" not in html


def test_welsh_interface_on_the_subscribe_page_and_search():
    client = welsh_client()
    html = html_of(client.get("/subscribe/"))
    assert "Cael erthyglau newydd drwy e-bost" in html
    assert "Get new articles by email" not in html
    html = html_of(client.get("/search/", {"q": "dimbydynyrunman"}))
    assert "Does dim yn cyfateb i “dimbydynyrunman”" in html
    assert "Nothing matches" not in html


def test_welsh_interface_on_the_inspection_list_filters():
    html = html_of(welsh_client().get("/inspections/"))
    for welsh in [
        "Hidlo arolygiadau",
        "Unrhyw arolygiaeth",
        "Unrhyw flwyddyn",
        "Dangos arolygiadau",
    ]:
        assert welsh in html, welsh


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (0, "Dim canlyniadau ar gyfer “x”"),
        (1, "1 canlyniad ar gyfer “x”"),
        (2, "2 ganlyniad ar gyfer “x”"),
        (3, "3 chanlyniad ar gyfer “x”"),
        (6, "6 chanlyniad ar gyfer “x”"),
        (11, "11 canlyniad ar gyfer “x”"),
        (26, "26 canlyniad ar gyfer “x”"),
    ],
)
def test_welsh_has_six_plural_forms(count, expected):
    with translation.override("cy"):
        text = translation.ngettext(
            "%(counter)s result for “%(text)s”", "%(counter)s results for “%(text)s”", count
        )
    assert text % {"counter": count, "text": "x"} == expected


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (0, "Dim ymatebion"),
        (1, "Un Ymateb"),
        (2, "2 Ymateb"),
        (3, "3 Ymateb"),
        (6, "6 Ymateb"),
        (11, "11 Ymateb"),
    ],
)
def test_comment_counts_in_welsh(count, expected):
    with translation.override("cy"):
        text = translation.ngettext("One Response", "%(counter)s Responses", count)
    assert text % {"counter": count} == expected


def test_the_page_cache_keeps_each_language_apart(settings):
    settings.PAGE_CACHE = True
    for _ in range(2):
        english = Client().get("/")
    assert english["X-Page-Cache"] == "hit" and '<html lang="en-gb">' in english.content.decode()
    for client, path in [(welsh_client(), "/"), (Client(), "/?lang=cy")]:
        for _ in range(2):
            welsh = client.get(path)
        assert welsh["X-Page-Cache"] == "hit", path
        assert welsh["Content-Language"] == "cy"
        assert '<html lang="cy">' in welsh.content.decode()
    assert '<html lang="en-gb">' in Client().get("/").content.decode()


def test_social_metadata_names_the_page_language():
    article = ArticleFactory(published=True)
    assert '<meta property="og:locale" content="en_GB">' in html_of(
        Client().get(article.get_absolute_url())
    )
    assert '<meta property="og:locale" content="cy_GB">' in html_of(
        welsh_client().get(article.get_absolute_url())
    )


def test_the_server_error_page_is_in_welsh_for_a_welsh_reader(rf):
    request = rf.get("/")
    with translation.override("cy"):
        html = server_error(request).content.decode()
    assert '<html lang="cy">' in html and "Aeth rhywbeth o'i le" in html


def test_ratings_use_the_inspectorates_welsh_words():
    levels = four_point_scale()
    inspection = InspectionFactory()
    InspectedOrganisationFactory(
        inspection=inspection, overall_rating=levels["Requires improvement"]
    )
    InspectedOrganisationFactory(inspection=inspection, overall_rating=levels["Outstanding"])
    welsh = html_of(welsh_client().get(inspection.get_absolute_url()))
    assert "Angen gwella</span>" in welsh and "Rhagorol</span>" in welsh
    assert "Requires improvement</span>" not in welsh
    english = html_of(Client().get(inspection.get_absolute_url()))
    assert "Requires improvement</span>" in english and "Outstanding</span>" in english


def test_a_rating_word_the_catalogue_does_not_know_is_shown_as_stored():
    level = RatingLevelFactory(label="Sufficient, with caveats", rank=2)
    inspection = InspectionFactory()
    InspectedOrganisationFactory(inspection=inspection, overall_rating=level)
    assert "Sufficient, with caveats</span>" in html_of(
        welsh_client().get(inspection.get_absolute_url())
    )


def test_feeds_say_which_language_they_are_in():
    ArticleFactory(published=True)
    rss = Client().get("/feed/?lang=cy").content.decode()
    assert "<language>cy</language>" in rss
    assert "Yr erthyglau diweddaraf gan" in rss
    atom = welsh_client().get("/feed/atom/").content.decode()
    assert 'xml:lang="cy"' in atom
    assert "<language>en-gb</language>" in Client().get("/feed/").content.decode()


def test_rating_filter_timeline_and_feed_use_the_welsh_words():
    levels = four_point_scale()
    row = InspectedOrganisationFactory(overall_rating=levels["Requires improvement"])
    filters = html_of(welsh_client().get("/inspections/"))
    assert re.search(r'<option value="[^"]+">Angen gwella</option>', filters)
    timeline = html_of(welsh_client().get(row.organisation.get_absolute_url()))
    assert "Angen gwella" in timeline and "Requires improvement" not in timeline
    feed = Client().get("/inspections/feed/?lang=cy").content.decode()
    assert ": Angen gwella)" in feed


def test_dates_and_numbers_follow_the_interface_language():
    when = datetime.datetime(2025, 10, 25, 14, 30, tzinfo=datetime.UTC)
    with translation.override("cy"):
        assert formats.date_format(when, "DATE_FORMAT") == "25 Hydref 2025"
        assert formats.date_format(when.date(), "YEAR_MONTH_FORMAT") == "Hydref 2025"
        assert formats.number_format(1234567.5, decimal_pos=1, force_grouping=True) == (
            "1,234,567.5"
        )
    with translation.override("en-gb"):
        assert formats.date_format(when, "DATE_FORMAT") == "25 Oct 2025"


@pytest.mark.parametrize(
    ("field", "value", "welsh"),
    [
        (forms.CharField(), "a\x00b", "Ni chaniateir nodau null."),
        (forms.SlugField(), "a b", "Rhowch “slug” dilys"),
        (forms.EmailField(), "nobody", "Rhowch gyfeiriad ebost dilys."),
    ],
)
def test_djangos_own_form_messages_are_welsh_too(field, value, welsh):
    with translation.override("cy"):
        with pytest.raises(forms.ValidationError) as error:
            field.clean(value)
        assert error.value.messages[0].startswith(welsh)


def test_a_comment_with_errors_is_answered_in_welsh():
    article = ArticleFactory(published=True)
    started = form_token(article, when=time.time() - 60)
    data = {"name": "", "email": "not-an-address", "body": "", "started": started}
    response = welsh_client().post(post_url(article), data)
    html = response.content.decode()
    assert response.status_code in (200, 400)
    assert '<html lang="cy">' in html
    for welsh in [
        "Mae problem",
        "Enw: Mae angen y maes hwn.",
        "E-bost: Rhowch gyfeiriad ebost dilys.",
        "Gadael sylw",
    ]:
        assert welsh in html, welsh
    assert "This field is required." not in html and "There is a problem" not in html


def test_the_sitemap_lists_each_address_in_both_languages(settings):
    settings.SITE_URL = "https://oversight.example"
    article = ArticleFactory(published=True)
    sitemap = ET.fromstring(Client().get("/sitemap.xml").content)
    sitemaps = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    address = f"https://oversight.example{article.get_absolute_url()}"
    url = next(
        u for u in sitemap.iter(f"{sitemaps}url") if u.find(f"{sitemaps}loc").text == address
    )
    links = [
        (link.get("hreflang"), link.get("href"))
        for link in url.iter("{http://www.w3.org/1999/xhtml}link")
    ]
    assert links == [
        ("en-GB", f"{address}?lang=en-gb"),
        ("cy", f"{address}?lang=cy"),
        ("x-default", address),
    ]
