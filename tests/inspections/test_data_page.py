import datetime
import json
import re

import pytest
from django.contrib.sites.models import Site
from django.core.cache import cache

from inspections.exports import DATASETS
from tests.factories import ResourcePackFactory
from tests.inspections.factories import (
    FindingFactory,
    InspectedOrganisationFactory,
    InspectionFactory,
    InspectorateFactory,
    ScoreFactory,
    two_era_dataset,
)

pytestmark = pytest.mark.django_db

DATA_PAGE_QUERY_LIMIT = 8
SITE = "https://oversight.example"


def html_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def json_ld_blocks(html: str) -> list[dict]:
    scripts = re.findall(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', html, re.S)
    return [json.loads(script) for script in scripts]


def the_dataset(html: str) -> dict:
    [dataset] = [block for block in json_ld_blocks(html) if block["@type"] == "Dataset"]
    return dataset


def assert_schema_org_dataset(dataset: dict, url: str, query: str = "") -> None:
    assert dataset["@context"] == "https://schema.org"
    assert dataset["url"] == url
    assert dataset["name"] and len(dataset["description"]) >= 50
    assert dataset["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert dataset["isAccessibleForFree"] is True
    for role in ("creator", "publisher"):
        assert dataset[role] == {"@type": "Organization", "name": "Oversight", "url": f"{SITE}/"}
    downloads = dataset["distribution"]
    assert len(downloads) == 2 * len(DATASETS)
    expected = {
        (f"{SITE}/inspections/data/{name}.{fmt}{query}", media_type)
        for name in DATASETS
        for fmt, media_type in (("csv", "text/csv"), ("json", "application/json"))
    }
    assert {(d["contentUrl"], d["encodingFormat"]) for d in downloads} == expected
    assert all(d["@type"] == "DataDownload" and d["name"] for d in downloads)


def test_data_page_describes_every_dataset_column_licence_and_citation(client):
    two_era_dataset()
    html = html_of(client.get("/inspections/data/"))

    assert "<h1>Open data</h1>" in html
    for name, dataset in DATASETS.items():
        assert f'id="dataset-{name}"' in html
        assert str(dataset.row) in html.replace("&#x27;", "'")
        for column in dataset.columns:
            assert f'<th scope="row"><code>{column.name}</code></th>' in html, column.name
        for fmt in ("csv", "json"):
            assert f'href="/inspections/data/{name}.{fmt}" download' in html
    assert "There are 7 rows at present." in html  # findings
    assert (
        '<a rel="license" href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a>' in html
    )
    assert (
        "Oversight, “Oversight inspections open data”, https://oversight.example/inspections/data/"
        in html
    )
    assert "It covers reports published from December 2016 to June 2019." in html
    assert "import_inspections" in html


def test_data_page_carries_a_schema_org_dataset(client):
    two_era_dataset()
    dataset = the_dataset(html_of(client.get("/inspections/data/")))
    assert_schema_org_dataset(dataset, f"{SITE}/inspections/data/")
    assert dataset["temporalCoverage"] == "2016-12-14/2019-06-01"
    assert datetime.datetime.fromisoformat(dataset["dateModified"])


def test_data_page_works_with_nothing_recorded(client):
    html = html_of(client.get("/inspections/data/"))
    assert "There are 0 rows at present." in html
    assert "temporalCoverage" not in the_dataset(html)


def test_each_inspection_page_carries_a_dataset_of_its_own_rows(client):
    inspection = two_era_dataset()["area"]
    html = html_of(client.get(inspection.get_absolute_url()))
    dataset = the_dataset(html)
    url = f"{SITE}/inspections/north-london-2016/"
    assert_schema_org_dataset(dataset, url, query="?inspection=north-london-2016")
    assert "Quality &amp; Impact" not in dataset["name"]
    assert inspection.title in dataset["name"] and inspection.summary in dataset["description"]
    assert dataset["isPartOf"]["url"] == f"{SITE}/inspections/data/"
    assert dataset["keywords"] == ["London", "Transforming Rehabilitation", "probation"]
    # The inspection's own download really holds its rows, and only them.
    rows = json.loads(
        b"".join(client.get("/inspections/data/findings.json?inspection=north-london-2016"))
    )
    assert len(rows) == 4 and {row["inspection"] for row in rows} == {"north-london-2016"}


def test_json_ld_cannot_be_broken_out_of_by_a_title(client):
    inspection = InspectionFactory(title="</script><script>alert(1)</script>")
    html = html_of(client.get(inspection.get_absolute_url()))
    assert "<script>alert(1)" not in html
    assert the_dataset(html)["name"] == "Data from “</script><script>alert(1)</script>”"


def test_licence_comes_from_settings(client, settings):
    settings.OPEN_DATA_LICENCE = {
        "name": "Open Government Licence v3.0",
        "url": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
    }
    html = html_of(client.get("/inspections/data/"))
    assert ">Open Government Licence v3.0</a>" in html
    assert the_dataset(html)["license"] == settings.OPEN_DATA_LICENCE["url"]


def test_list_page_links_the_data_page_and_downloads_carrying_its_filters(client):
    two_era_dataset()
    html = html_of(client.get("/inspections/?kind=crc&year=2019&page=1"))
    assert 'href="/inspections/data/"' in html
    assert 'href="/inspections/data/findings.csv?kind=crc&amp;year=2019" download' in html
    assert 'href="/inspections/data/scores.json?kind=crc&amp;year=2019" download' in html
    assert "Download the data of these inspections" in html

    unfiltered = html_of(client.get("/inspections/"))
    assert 'href="/inspections/data/inspections.csv" download' in unfiltered

    broken = html_of(client.get("/inspections/?year=abc"))
    assert "/inspections/data/inspections.csv" not in broken


def test_data_page_queries_do_not_grow(client, django_assert_max_num_queries):
    ResourcePackFactory(is_featured=True)
    inspectorate = InspectorateFactory()

    def add(count):
        for n in range(count):
            inspection = InspectionFactory(
                inspectorate=inspectorate,
                published_on=datetime.date(2016, 1, 1) + datetime.timedelta(days=n),
            )
            InspectedOrganisationFactory(inspection=inspection)
            FindingFactory(inspection=inspection)
            ScoreFactory(inspection=inspection)

    add(1)
    cache.clear()
    Site.objects.clear_cache()
    with django_assert_max_num_queries(DATA_PAGE_QUERY_LIMIT) as one:
        html = html_of(client.get("/inspections/data/"))
    assert "There is one row at present." in html
    add(10)
    cache.clear()
    Site.objects.clear_cache()
    with django_assert_max_num_queries(DATA_PAGE_QUERY_LIMIT) as eleven:
        html = html_of(client.get("/inspections/data/"))
    assert "There are 11 rows at present." in html
    assert len(one.captured_queries) == len(eleven.captured_queries)
