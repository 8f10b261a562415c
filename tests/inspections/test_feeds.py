import datetime
import xml.etree.ElementTree as ET

import pytest
from django.contrib.sites.models import Site
from django.core.cache import cache

from tests.inspections.factories import (
    InspectedOrganisationFactory,
    InspectionFactory,
    InspectorateFactory,
    OrganisationFactory,
    four_point_scale,
)

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def test_feed_is_valid_rss_with_absolute_urls_newest_first(client):
    levels = four_point_scale(InspectorateFactory(name="HM Inspectorate of Probation"))
    older = InspectionFactory(title="Durham & Tees", published_on=datetime.date(2016, 8, 1))
    newer = InspectionFactory(
        title="NPS North West",
        slug="nps-north-west-2019",
        inspectorate=levels["Good"].scale.inspectorate,
        published_on=datetime.date(2019, 2, 22),
        summary="Rated good overall.",
        tags=["probation"],
    )
    InspectedOrganisationFactory(
        inspection=newer,
        organisation=OrganisationFactory(short_name="NPS NW"),
        overall_rating=levels["Good"],
    )

    response = client.get("/inspections/feed/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    assert channel.findtext("link") == "https://oversight.example/inspections/"
    assert channel.find(f"{ATOM}link").get("href") == "https://oversight.example/inspections/feed/"
    items = channel.findall("item")
    assert [item.findtext("title") for item in items] == [newer.title, older.title]
    first = items[0]
    assert first.findtext("link") == "https://oversight.example/inspections/nps-north-west-2019/"
    assert first.findtext("guid") == first.findtext("link")
    assert "Rated good overall." in first.findtext("description")
    assert "NPS NW: Good" in first.findtext("description")
    assert "22 Feb 2019" in first.findtext("pubDate")
    assert {c.text for c in first.findall("category")} >= {"probation"}
    for element in channel.iter():
        for value in [element.text or "", *element.attrib.values()]:
            if value.startswith(("http://", "https://", "/")) and "oversight" in value:
                assert value.startswith("https://oversight.example/")


def test_inspection_pages_advertise_the_feed(client):
    inspection = InspectionFactory()
    for url in ["/inspections/", inspection.get_absolute_url()]:
        html = client.get(url).content.decode()
        assert 'type="application/rss+xml"' in html and 'href="/inspections/feed/"' in html


def test_feed_queries_do_not_grow(client, django_assert_max_num_queries):
    titles = []

    def add(count):
        for _ in range(count):
            titles.append(f"Inspection number {len(titles)}")
            inspection = InspectionFactory(title=titles[-1], tags=["probation", "london"])
            InspectedOrganisationFactory(inspection=inspection)

    def feed_titles():
        response = client.get("/inspections/feed/")
        assert response.status_code == 200
        return {item.findtext("title") for item in ET.fromstring(response.content).iter("item")}

    add(1)
    cache.clear()
    Site.objects.clear_cache()
    with django_assert_max_num_queries(5) as one:
        assert feed_titles() == set(titles)
    add(10)
    cache.clear()
    Site.objects.clear_cache()
    with django_assert_max_num_queries(5) as eleven:
        assert feed_titles() == set(titles)
    assert len(one.captured_queries) == len(eleven.captured_queries)
