"""Feeds for what a reader can follow: one organisation's inspections, one inspectorate's
inspections with the articles that discuss them; advertised on their pages."""

import datetime
import xml.etree.ElementTree as ET

import pytest

from tests.factories import ArticleFactory
from tests.inspections.factories import (
    InspectedOrganisationFactory,
    InspectionFactory,
    InspectorateFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db


def items(response) -> list[tuple[str, str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)
    return [(item.findtext("title"), item.findtext("link")) for item in root.iter("item")]


def test_an_organisations_feed_has_its_inspections_newest_first(client):
    kent = OrganisationFactory(name="Kent CRC", slug="kent-crc")
    older = InspectionFactory(title="Kent 2016", published_on=datetime.date(2016, 5, 1))
    newer = InspectionFactory(title="Kent 2019", published_on=datetime.date(2019, 5, 1))
    other = InspectionFactory(title="Essex 2019")
    for inspection in (older, newer):
        InspectedOrganisationFactory(inspection=inspection, organisation=kent)
    InspectedOrganisationFactory(inspection=other)

    response = client.get("/inspections/organisations/kent-crc/feed/")

    assert items(response) == [
        ("Kent 2019", f"https://oversight.example{newer.get_absolute_url()}"),
        ("Kent 2016", f"https://oversight.example{older.get_absolute_url()}"),
    ]
    assert b"Kent CRC" in response.content
    assert client.get("/inspections/organisations/nobody/feed/").status_code == 404


def test_an_inspectorates_feed_has_its_inspections_and_the_articles_discussing_them(client):
    body = InspectorateFactory(name="HM Inspectorate of Probation", slug="hmip")
    inspection = InspectionFactory(
        inspectorate=body, title="Kent report", published_on=datetime.date(2019, 5, 1)
    )
    InspectionFactory(title="Someone else's report")
    article = ArticleFactory(published=True, title="What the Kent report means")
    article.related_inspections.add(inspection)
    ArticleFactory(title="A draft about it").related_inspections.add(inspection)
    ArticleFactory(published=True, title="Unrelated")

    titles = [title for title, _link in items(client.get("/inspections/inspectorates/hmip/feed/"))]

    assert titles == ["What the Kent report means", "Kent report"]
    assert client.get("/inspections/inspectorates/nobody/feed/").status_code == 404


def test_the_pages_advertise_their_feeds(client):
    OrganisationFactory(slug="kent-crc")
    InspectorateFactory(slug="hmip")
    html = client.get("/inspections/organisations/kent-crc/").content.decode()
    assert 'rel="alternate" type="application/rss+xml"' in html
    assert 'href="/inspections/organisations/kent-crc/feed/"' in html
    html = client.get("/inspections/?inspectorate=hmip").content.decode()
    assert 'href="/inspections/inspectorates/hmip/feed/"' in html
    assert "/inspections/inspectorates/" not in client.get("/inspections/").content.decode()


ORGANISATION_FEED_QUERIES = 4  # organisation, inspections, inspected, tags
INSPECTORATE_FEED_QUERIES = 6  # inspectorate, inspections (+inspected, tags), articles (+tags)


def test_feed_queries_do_not_grow(client, django_assert_num_queries):
    kent = OrganisationFactory(slug="kent-crc")
    body = InspectorateFactory(slug="hmip")

    def add(count):
        for _n in range(count):
            inspection = InspectionFactory(inspectorate=body, tags=["probation", "london"])
            InspectedOrganisationFactory(inspection=inspection, organisation=kent)
            article = ArticleFactory(published=True, tags=["probation"])
            article.related_inspections.add(inspection)

    add(1)
    client.get("/inspections/feed/")  # warm what every page reads once (cached after)
    with django_assert_num_queries(ORGANISATION_FEED_QUERIES):
        assert len(items(client.get("/inspections/organisations/kent-crc/feed/"))) == 1
    with django_assert_num_queries(INSPECTORATE_FEED_QUERIES):
        assert len(items(client.get("/inspections/inspectorates/hmip/feed/"))) == 2
    add(10)
    with django_assert_num_queries(ORGANISATION_FEED_QUERIES):
        assert len(items(client.get("/inspections/organisations/kent-crc/feed/"))) == 11
    with django_assert_num_queries(INSPECTORATE_FEED_QUERIES):
        assert len(items(client.get("/inspections/inspectorates/hmip/feed/"))) == 20
