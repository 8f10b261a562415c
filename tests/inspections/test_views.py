import datetime
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
import time_machine
from django.contrib.sites.models import Site
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from comments.forms import restamp
from inspections.models import DatePrecision, Finding, Organisation
from tests.factories import ArticleFactory, ResourcePackFactory
from tests.inspections.factories import (
    FindingFactory,
    InspectedOrganisationFactory,
    InspectionFactory,
    InspectorateFactory,
    MeasureFactory,
    OperatorFactory,
    OrganisationFactory,
    ProgrammeFactory,
    RecommendationFactory,
    ScoreFactory,
    ThemeFactory,
    four_point_scale,
)

pytestmark = pytest.mark.django_db

INSPECTION_QUERY_LIMIT = 10
LIST_QUERY_LIMIT = 6
ORGANISATION_QUERY_LIMIT = 5
COMPARE_QUERY_LIMIT = 5
SVG = "{http://www.w3.org/2000/svg}"


def fresh_caches():
    cache.clear()
    Site.objects.clear_cache()


def html_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def svgs(html: str) -> list[str]:
    return re.findall(r"<svg class=\"chart.*?</svg>", html, re.S)


@pytest.fixture
def levels():
    return four_point_scale(InspectorateFactory(slug="hmi-probation", short_name="HMI Probation"))


@pytest.fixture
def area_inspection():
    """A 2016 area inspection: a CRC and an NPS division judged side by side in percentages."""
    programme = ProgrammeFactory(name="Quality & Impact inspections")
    inspection = InspectionFactory(
        title="Quality & Impact inspection: probation work in the north of London",
        slug="north-london-2016",
        programme=programme,
        area="North London",
        published_on=datetime.date(2016, 12, 14),
        fieldwork_note="two weeks of fieldwork",
        press_release_url="https://www.justiceinspectorates.gov.uk/hmiprobation/pr/",
        report_url="https://www.justiceinspectorates.gov.uk/hmiprobation/report.pdf",
        quote="lost in the system",
        quote_attribution="Dame Glenys Stacey, HM Chief Inspector of Probation",
        tags=["probation", "London"],
    )
    crc = OrganisationFactory(
        name="London Community Rehabilitation Company",
        short_name="London CRC",
        slug="london-crc",
        operator=OperatorFactory(name="MTCnovo"),
    )
    nps = OrganisationFactory(
        name="National Probation Service - London division",
        short_name="NPS London",
        slug="nps-london",
        kind=Organisation.Kind.NPS_DIVISION,
    )
    InspectedOrganisationFactory(inspection=inspection, organisation=crc, order=1)
    InspectedOrganisationFactory(inspection=inspection, organisation=nps, order=2)
    protect = ThemeFactory(programme=programme, name="Protecting the public", order=1)
    caseloads = ThemeFactory(programme=programme, name="Caseloads", order=2)
    FindingFactory(
        inspection=inspection,
        organisation=crc,
        theme=caseloads,
        text="Some caseloads were unmanageable.",
    )
    FindingFactory(
        inspection=inspection,
        organisation=crc,
        theme=protect,
        text="Domestic abuse risks were missed.",
    )
    FindingFactory(
        inspection=inspection,
        organisation=nps,
        theme=protect,
        polarity=Finding.Polarity.STRENGTH,
        text="Public protection work was acceptable.",
    )
    FindingFactory(
        inspection=inspection,
        organisation=None,
        polarity=Finding.Polarity.MIXED,
        text="Court allocation between the two was strained.",
    )
    measure = MeasureFactory(name="Work to protect the public of sufficient quality")
    ScoreFactory(inspection=inspection, organisation=crc, measure=measure, percentage=40)
    ScoreFactory(inspection=inspection, organisation=nps, measure=measure, percentage=Decimal(70))
    RecommendationFactory(
        inspection=inspection,
        text="Reduce caseloads to a manageable level.",
        addressed_to=[crc],
        addressed_to_other="Ministry of Justice",
    )
    return inspection


def test_inspection_page_shows_header_organisations_findings_and_recommendations(
    client, area_inspection
):
    html = html_of(client.get(area_inspection.get_absolute_url()))

    assert "<h1" in html and "probation work in the north of London</h1>" in html
    assert 'datetime="2016-12-14">14 December 2016</time>' in html
    assert "North London" in html and "two weeks of fieldwork" in html
    assert 'href="https://www.justiceinspectorates.gov.uk/hmiprobation/report.pdf"' in html
    assert 'href="https://www.justiceinspectorates.gov.uk/hmiprobation/pr/"' in html
    assert "run by MTCnovo" in html
    assert 'href="/inspections/organisations/london-crc/"' in html
    assert "“lost in the system”" in html and "Dame Glenys Stacey" in html
    assert "Reduce caseloads to a manageable level." in html and "Ministry of Justice" in html
    assert 'href="/tags/probation/"' in html


def test_findings_are_grouped_by_organisation_then_theme_with_a_joint_section(
    client, area_inspection
):
    html = html_of(client.get(area_inspection.get_absolute_url()))
    findings = html[html.index("What the inspectors found") :]

    order = [
        "London CRC",
        "Protecting the public",
        "Domestic abuse risks were missed.",
        "Caseloads",
        "Some caseloads were unmanageable.",
        "NPS London",
        "Public protection work was acceptable.",
        "Joint findings and co-ordination",
        "Court allocation between the two was strained.",
    ]
    positions = [findings.index(text) for text in order]
    assert positions == sorted(positions)


def test_strengths_and_concerns_are_told_apart_by_words_not_only_colour(client, area_inspection):
    html = html_of(client.get(area_inspection.get_absolute_url()))
    concern = re.search(r'<li class="finding finding--concern">.*?</li>', html, re.S).group(0)
    strength = re.search(r'<li class="finding finding--strength">.*?</li>', html, re.S).group(0)
    assert "Concern" in concern and 'aria-hidden="true">✗' in concern
    assert "Strength" in strength and 'aria-hidden="true">✓' in strength


def test_record_note_tells_readers_what_the_record_lacks(client):
    inspection = InspectionFactory(record_note="Per-standard ratings were not readable.")
    html = html_of(client.get(inspection.get_absolute_url()))
    assert "About this record" in html and "Per-standard ratings were not readable." in html
    plain = InspectionFactory()
    assert "About this record" not in html_of(client.get(plain.get_absolute_url()))


def test_month_precision_dates_show_only_the_month(client):
    inspection = InspectionFactory(
        published_on=datetime.date(2016, 8, 1), date_precision=DatePrecision.MONTH
    )
    html = html_of(client.get(inspection.get_absolute_url()))
    assert '<time datetime="2016-08">August 2016</time>' in html
    assert "1 August 2016" not in html


def test_overall_ratings_and_rated_standards_show_the_scales_own_words(client, levels):
    programme = ProgrammeFactory(rating_scale=levels["Good"].scale)
    inspection = InspectionFactory(programme=programme)
    crc = OrganisationFactory(short_name="DTV CRC")
    InspectedOrganisationFactory(
        inspection=inspection, organisation=crc, overall_rating=levels["Requires improvement"]
    )
    ScoreFactory(
        inspection=inspection,
        organisation=crc,
        measure=MeasureFactory(code="1.1", name="Leadership"),
        percentage=None,
        rating=levels["Outstanding"],
    )
    ScoreFactory(
        inspection=inspection,
        organisation=crc,
        measure=MeasureFactory(name="Standards rated Good"),
        percentage=None,
        count=5,
    )

    html = html_of(client.get(inspection.get_absolute_url()))

    assert '<span class="rating rating--middling">Requires improvement</span>' in html
    assert "Ratings by standard" in html and "1.1 Leadership" in html
    assert '<span class="rating rating--positive">Outstanding</span>' in html
    assert "Other figures" in html and "Standards rated Good" in html
    assert not svgs(html)  # no percentages, so no bar chart


def test_inspection_chart_is_an_accessible_svg_followed_by_the_same_data_as_a_table(
    client, area_inspection
):
    html = html_of(client.get(area_inspection.get_absolute_url()))
    [svg] = svgs(html)

    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title.text and desc.text
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "40%" in texts and "70%" in texts
    assert "London CRC" in texts and "NPS London" in texts

    table = html[html.index("</svg>") :]
    table = table[table.index("<table") : table.index("</table>")]
    assert "Work to protect the public of sufficient quality" in table
    assert "40%" in table and "70%" in table
    assert '<th scope="col">London CRC</th>' in table


def test_svg_charts_have_no_style_attributes_or_elements_for_the_csp(client, area_inspection):
    pages = [
        area_inspection.get_absolute_url(),
        "/inspections/organisations/london-crc/",
        "/inspections/compare/?org=london-crc&org=nps-london",
    ]
    for url in pages:
        response = client.get(url)
        charts = svgs(html_of(response))
        assert charts, url
        for svg in charts:
            assert "style=" not in svg and "<style" not in svg and "<script" not in svg
        assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_unknown_inspection_or_organisation_is_404(client):
    assert client.get("/inspections/no-such-inspection/").status_code == 404
    assert client.get("/inspections/organisations/no-such-organisation/").status_code == 404


def test_list_shows_rows_newest_first_with_inspectorate_and_ratings(client, levels):
    older = InspectionFactory(title="Older area inspection", published_on=datetime.date(2016, 8, 1))
    newer = InspectionFactory(
        title="Newer single inspection",
        inspectorate=levels["Good"].scale.inspectorate,
        published_on=datetime.date(2019, 2, 22),
    )
    InspectedOrganisationFactory(
        inspection=newer,
        organisation=OrganisationFactory(short_name="NPS North West"),
        overall_rating=levels["Good"],
    )

    html = html_of(client.get("/inspections/"))

    assert html.index(newer.title) < html.index(older.title)
    assert "HMI Probation" in html and "NPS North West" in html
    assert '<span class="rating rating--positive">Good</span>' in html
    assert '<time datetime="2019-02-22">22 February 2019</time>' in html
    assert 'method="get"' in html


def test_list_paginates_20_a_page_and_404s_on_junk_pages(client):
    for n in range(21):
        InspectionFactory(published_on=datetime.date(2016, 1, 1) + datetime.timedelta(days=n))
    first = html_of(client.get("/inspections/"))
    assert first.count('class="card inspection-card"') == 20
    assert html_of(client.get("/inspections/?page=2")).count('class="card inspection-card"') == 1
    for page in ["0", "3", "abc", "-1", "1.5"]:
        assert client.get(f"/inspections/?page={page}").status_code == 404, page


@pytest.fixture
def filterable(levels):
    inspectorate = levels["Good"].scale.inspectorate
    other = InspectorateFactory(slug="hmi-prisons", short_name="HMI Prisons")
    good_nps = InspectionFactory(
        title="Rated NPS 2019", inspectorate=inspectorate, published_on=datetime.date(2019, 2, 1)
    )
    InspectedOrganisationFactory(
        inspection=good_nps,
        organisation=OrganisationFactory(kind=Organisation.Kind.NPS_DIVISION),
        overall_rating=levels["Good"],
    )
    ri_crc = InspectionFactory(
        title="Rated CRC 2019", inspectorate=inspectorate, published_on=datetime.date(2019, 8, 1)
    )
    InspectedOrganisationFactory(inspection=ri_crc, overall_rating=levels["Requires improvement"])
    area = InspectionFactory(
        title="Area 2016", inspectorate=inspectorate, published_on=datetime.date(2016, 8, 1)
    )
    InspectedOrganisationFactory(inspection=area)
    prison = InspectionFactory(
        title="A prison 2019", inspectorate=other, published_on=datetime.date(2019, 5, 1)
    )
    return {"good_nps": good_nps, "ri_crc": ri_crc, "area": area, "prison": prison}


@pytest.mark.parametrize(
    "query, expected",
    [
        ("inspectorate=hmi-probation", {"good_nps", "ri_crc", "area"}),
        ("inspectorate=hmi-prisons", {"prison"}),
        ("year=2019", {"good_nps", "ri_crc", "prison"}),
        ("kind=crc", {"ri_crc", "area"}),
        ("kind=nps-division", {"good_nps"}),
        ("rating=good", {"good_nps"}),
        ("rating=requires-improvement&year=2019&inspectorate=hmi-probation", {"ri_crc"}),
        ("kind=crc&year=2016", {"area"}),
        ("kind=crc&rating=good", set()),
        ("", {"good_nps", "ri_crc", "area", "prison"}),
    ],
)
def test_list_filters_combine(client, filterable, query, expected):
    html = html_of(client.get(f"/inspections/?{query}"))
    shown = {key for key, inspection in filterable.items() if inspection.title in html}
    assert shown == expected
    if not expected:
        assert "No inspections match these filters." in html


def test_rating_filter_accepts_a_level_id(client, filterable, levels):
    html = html_of(client.get(f"/inspections/?rating={levels['Good'].pk}"))
    assert "Rated NPS 2019" in html and "Rated CRC 2019" not in html


def test_filter_values_are_kept_in_the_form(client, filterable):
    html = html_of(client.get("/inspections/?year=2019&kind=crc"))
    assert '<option value="2019" selected>2019</option>' in html
    assert '<option value="crc" selected>' in html


@pytest.mark.parametrize(
    "query, message",
    [
        ("year=abc", "Unknown year."),
        ("year=99999", "Unknown year."),
        ("kind=spaceship", "Unknown organisation kind."),
        ("inspectorate=no-such-body", "No inspections match these filters."),
        ("inspectorate=%3Cscript%3E", "Unknown inspectorate."),
        ("rating=no-such-rating", "No inspections match these filters."),
        ("rating=99999", "No inspections match these filters."),
    ],
)
def test_bad_filter_values_give_an_empty_list_and_a_clear_message(
    client, filterable, query, message
):
    html = html_of(client.get(f"/inspections/?{query}"))
    assert message in html
    assert not any(inspection.title in html for inspection in filterable.values())
    assert "<script>" not in html.split("<main", 1)[1]


def test_organisation_page_shows_its_inspections_ratings_and_a_timeline(client, levels):
    crc = OrganisationFactory(name="Durham Tees Valley CRC", slug="dtv-crc", area="Durham")
    first = InspectionFactory(title="Durham 2016", published_on=datetime.date(2016, 8, 1))
    second = InspectionFactory(title="DTV CRC 2019", published_on=datetime.date(2019, 3, 1))
    InspectedOrganisationFactory(inspection=first, organisation=crc)
    InspectedOrganisationFactory(
        inspection=second, organisation=crc, overall_rating=levels["Requires improvement"]
    )
    ScoreFactory(inspection=second, organisation=crc, percentage=Decimal("48"))

    html = html_of(client.get(crc.get_absolute_url()))

    assert "<h1>Durham Tees Valley CRC</h1>" in html
    assert html.index("DTV CRC 2019") < html.index("Durham 2016")
    assert "Requires improvement" in html and "48%" in html
    [svg] = svgs(html)
    root = ET.fromstring(svg)
    assert root.get("role") == "img" and root.find(f"{SVG}title").text
    assert len(root.findall(f".//{SVG}circle")) == 2
    assert 'href="/inspections/compare/?org=dtv-crc"' in html


def test_organisation_without_inspections_has_no_timeline(client):
    organisation = OrganisationFactory()
    html = html_of(client.get(organisation.get_absolute_url()))
    assert "No inspections of this organisation are recorded yet." in html
    assert not svgs(html)


def test_compare_puts_percentages_side_by_side_using_the_latest_figure(client, area_inspection):
    crc = Organisation.objects.get(slug="london-crc")
    measure = area_inspection.scores.first().measure
    later = InspectionFactory(published_on=datetime.date(2018, 3, 1))
    ScoreFactory(inspection=later, organisation=crc, measure=measure, percentage=Decimal("55"))

    html = html_of(client.get("/inspections/compare/?org=london-crc&org=nps-london"))

    [svg] = svgs(html)
    texts = [t.text for t in ET.fromstring(svg).iter(f"{SVG}text")]
    assert "55%" in texts and "70%" in texts and "40%" not in texts
    assert 'value="london-crc" checked' in html and 'value="nps-london" checked' in html


def test_compare_reports_unknown_organisations_without_failing(client, area_inspection):
    response = client.get("/inspections/compare/?org=london-crc&org=atlantis&org=%3Cb%3E")
    html = html_of(response)
    assert "We do not know these organisations: atlantis, &lt;b&gt;" in html
    assert svgs(html)


def test_compare_shows_at_most_six_organisations_and_says_so(client):
    organisations = [OrganisationFactory(slug=f"org-{n}") for n in range(8)]
    for organisation in organisations:
        ScoreFactory(organisation=organisation, measure=MeasureFactory(slug="shared"))
    query = "&".join(f"org={o.slug}" for o in organisations)
    html = html_of(client.get(f"/inspections/compare/?{query}&org=org-0"))
    assert "Up to 6 organisations can be compared at once" in html
    assert html.count("checked>") == 6


def test_compare_without_choices_shows_the_form(client, area_inspection):
    html = html_of(client.get("/inspections/compare/"))
    assert 'name="org" value="london-crc"' in html
    assert not svgs(html)


def test_compare_without_percentages_says_so(client):
    organisation = OrganisationFactory(slug="quiet")
    html = html_of(client.get("/inspections/compare/?org=quiet"))
    assert "No percentage scores are recorded for these organisations." in html
    assert organisation.name in html


def test_inspection_card_partial_runs_no_queries(django_assert_num_queries, levels):
    from django.template.loader import render_to_string

    from inspections.models import Inspection

    inspection = InspectionFactory()
    InspectedOrganisationFactory(inspection=inspection, overall_rating=levels["Good"])
    loaded = Inspection.objects.for_listing().get()
    with django_assert_num_queries(0):
        html = render_to_string("inspections/_inspection_card.html", {"inspection": loaded})
    assert loaded.title in html and "Good" in html


# Query counts: measure with one of everything, add ten of each, expect the same number.


def test_inspection_page_queries_do_not_grow(client, django_assert_max_num_queries, levels):
    ResourcePackFactory(is_featured=True)
    programme = ProgrammeFactory(rating_scale=levels["Good"].scale)
    inspection = InspectionFactory(programme=programme, tags=["probation"])
    findings = []

    def add(count):
        for _ in range(count):
            organisation = OrganisationFactory()
            InspectedOrganisationFactory(
                inspection=inspection, organisation=organisation, overall_rating=levels["Good"]
            )
            finding = FindingFactory(
                inspection=inspection,
                organisation=organisation,
                theme=ThemeFactory(programme=programme),
            )
            findings.extend([finding, FindingFactory(inspection=inspection, organisation=None)])
            ScoreFactory(inspection=inspection, organisation=organisation, percentage=30)
            ScoreFactory(
                inspection=inspection,
                organisation=organisation,
                percentage=None,
                rating=levels["Good"],
            )
            RecommendationFactory(inspection=inspection, addressed_to=[organisation])
            inspection.tags.add(f"tag-{organisation.pk}")
            ArticleFactory(published=True, language="cy").related_inspections.add(inspection)

    add(1)
    fresh_caches()
    with django_assert_max_num_queries(INSPECTION_QUERY_LIMIT) as one:
        html = html_of(client.get(inspection.get_absolute_url()))
    assert all(finding.text in html for finding in findings)
    add(10)
    fresh_caches()
    with django_assert_max_num_queries(INSPECTION_QUERY_LIMIT) as eleven:
        html = html_of(client.get(inspection.get_absolute_url()))
    assert len(findings) == 22 and all(finding.text in html for finding in findings)
    assert len(one.captured_queries) == len(eleven.captured_queries)


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("", True),
        ("?year=2019", True),
        ("?kind=crc&rating=good&inspectorate=hmi-probation", True),
        ("?year=abc", False),  # an invalid filter lists nothing and says why
    ],
)
def test_list_page_queries_do_not_grow(
    client, django_assert_max_num_queries, levels, query, listed
):
    ResourcePackFactory(is_featured=True)
    inspectorate = levels["Good"].scale.inspectorate
    titles = []

    def add(count):
        for n in range(count):
            inspection = InspectionFactory(
                inspectorate=inspectorate,
                programme=ProgrammeFactory(),
                published_on=datetime.date(2019, 1, 1) + datetime.timedelta(days=n),
                tags=[f"tag-{n}"],
            )
            titles.append(inspection.title)
            for _ in range(2):
                InspectedOrganisationFactory(inspection=inspection, overall_rating=levels["Good"])

    add(1)
    fresh_caches()
    with django_assert_max_num_queries(LIST_QUERY_LIMIT) as one:
        html = html_of(client.get(f"/inspections/{query}"))
    assert (titles[0] in html) is listed
    add(10)
    fresh_caches()
    with django_assert_max_num_queries(LIST_QUERY_LIMIT) as eleven:
        html = html_of(client.get(f"/inspections/{query}"))
    assert len(titles) == 11
    assert [title in html for title in titles] == [listed] * 11
    assert listed or "Unknown year." in html
    assert len(one.captured_queries) == len(eleven.captured_queries)


def test_organisation_page_queries_do_not_grow(client, django_assert_max_num_queries, levels):
    ResourcePackFactory(is_featured=True)
    organisation = OrganisationFactory(slug="busy")
    titles = []

    def add(count):
        for n in range(count):
            inspection = InspectionFactory(
                published_on=datetime.date(2016, 1, 1) + datetime.timedelta(days=40 * n)
            )
            titles.append(inspection.title)
            InspectedOrganisationFactory(
                inspection=inspection, organisation=organisation, overall_rating=levels["Good"]
            )
            ScoreFactory(inspection=inspection, organisation=organisation)
            ScoreFactory(
                inspection=inspection,
                organisation=organisation,
                percentage=None,
                rating=levels["Good"],
            )

    add(1)
    fresh_caches()
    with django_assert_max_num_queries(ORGANISATION_QUERY_LIMIT) as one:
        html = html_of(client.get(organisation.get_absolute_url()))
    assert titles[0] in html
    add(10)
    fresh_caches()
    with django_assert_max_num_queries(ORGANISATION_QUERY_LIMIT) as eleven:
        html = html_of(client.get(organisation.get_absolute_url()))
    assert len(titles) == 11 and all(title in html for title in titles)
    assert len(one.captured_queries) == len(eleven.captured_queries)


def test_compare_page_queries_do_not_grow(client, django_assert_max_num_queries, levels):
    ResourcePackFactory(is_featured=True)
    organisations = [OrganisationFactory(slug=f"org-{n}") for n in range(3)]
    url = "/inspections/compare/?" + "&".join(f"org={o.slug}" for o in organisations)
    measures = []

    def add(count):
        for _ in range(count):
            inspection = InspectionFactory()
            measure = MeasureFactory()
            measures.append(measure.name)
            OrganisationFactory()  # more choices in the form
            for organisation in organisations:
                InspectedOrganisationFactory(
                    inspection=inspection, organisation=organisation, overall_rating=levels["Good"]
                )
                ScoreFactory(inspection=inspection, organisation=organisation, measure=measure)

    add(1)
    fresh_caches()
    with django_assert_max_num_queries(COMPARE_QUERY_LIMIT) as one:
        html = html_of(client.get(url))
    assert measures[0] in html
    add(10)
    fresh_caches()
    with django_assert_max_num_queries(COMPARE_QUERY_LIMIT) as eleven:
        html = html_of(client.get(url))
    assert len(measures) == 11 and all(name in html for name in measures)
    assert len(one.captured_queries) == len(eleven.captured_queries)


@pytest.mark.django_db
def test_a_rating_id_beyond_any_integer_column_lists_nothing_instead_of_failing(client):
    # Found by the generated-input test (tests/hostile/test_routes.py, deep profile).
    for url in ["/inspections/", "/inspections/data/inspections.csv"]:
        response = client.get(url, {"rating": "99999999999999999999"})
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert body


# The record under the header and the dataset description kept as fragments
# (core.pagecache.fragment, FRAGMENT_CACHE on).


@pytest.mark.parametrize("suffix", ["", "print/", "?lang=cy"])
def test_inspection_page_is_the_same_with_fragments_kept(
    client, settings, fragment_cache, area_inspection, suffix
):
    ArticleFactory(published=True, title="Our analysis").related_inspections.add(area_inspection)
    url = area_inspection.get_absolute_url() + suffix
    settings.FRAGMENT_CACHE = False
    plain = client.get(url)
    settings.FRAGMENT_CACHE = True
    first, kept = client.get(url), client.get(url)
    assert "Some caseloads were unmanageable." in html_of(plain) and "Our analysis" in html_of(
        plain
    )
    assert restamp(first.content, 0) == restamp(plain.content, 0)
    assert restamp(kept.content, 0) == restamp(plain.content, 0)


def test_a_kept_record_loads_none_of_its_rows(client, fragment_cache, area_inspection):
    url = area_inspection.get_absolute_url()
    client.get(url)
    with CaptureQueriesContext(connection) as kept:
        html = html_of(client.get(url))
    assert "Some caseloads were unmanageable." in html and "Reduce caseloads" in html
    record = ("finding", "score", "recommendation", "inspectedorganisation", "tag", "blog_article")
    assert not any(
        f"_{table}" in query["sql"] for query in kept.captured_queries for table in record
    )


def test_a_kept_inspection_page_asks_the_database_nothing(client, fragment_cache, area_inspection):
    url = area_inspection.get_absolute_url()
    client.get(url)
    with CaptureQueriesContext(connection) as kept:
        html = html_of(client.get(url))
    assert "probation work in the north of London" in html
    assert "Some caseloads were unmanageable." in html
    assert kept.captured_queries == []


def test_an_unpublished_inspection_is_gone_at_once_though_its_row_was_kept(
    client, fragment_cache, area_inspection, on_commit
):
    url = area_inspection.get_absolute_url()
    assert client.get(url).status_code == 200
    with on_commit():
        area_inspection.delete()
    assert client.get(url).status_code == 404


def test_record_changes_show_at_once_with_fragments_kept(
    client, fragment_cache, area_inspection, on_commit
):
    url = area_inspection.get_absolute_url()
    client.get(url)
    finding = area_inspection.findings.get(text="Some caseloads were unmanageable.")
    with on_commit():
        finding.text = "Caseloads were cut by half."
        finding.save()
    assert "Caseloads were cut by half." in html_of(client.get(url))
    with on_commit():
        area_inspection.tags.add("Durham")
    html = html_of(client.get(url))
    assert 'href="/tags/durham/"' in html and '"Durham"' in html  # the record and its dataset
    scheduled = ArticleFactory(scheduled=True, title="Scheduled analysis")
    with on_commit():
        scheduled.related_inspections.add(area_inspection)
    assert "Scheduled analysis" not in html_of(client.get(url))
    with time_machine.travel(scheduled.published_at + datetime.timedelta(minutes=1)):
        assert "Scheduled analysis" in html_of(client.get(url))


def test_a_signed_in_reader_gets_the_record_afresh(
    client, fragment_cache, area_inspection, admin_user
):
    Client().get(area_inspection.get_absolute_url())
    client.force_login(admin_user)
    FindingFactory(inspection=area_inspection, text="Added without a commit.")
    assert "Added without a commit." in html_of(client.get(area_inspection.get_absolute_url()))
