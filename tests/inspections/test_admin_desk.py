"""The editor's desk for inspections: workflow and roles, badges, preview, history, the
findings inline and importing open data from the admin."""

import datetime
import importlib
import re

import pytest
from django.apps import apps as global_apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.roles import AUTHOR
from inspections.admin import status_badge
from inspections.models import Finding, Inspection, InspectionVersion
from inspections.preview import preview_inspection_pk, preview_token
from tests.blog.factories import StaffFactory
from tests.inspections.factories import (
    FindingFactory,
    InspectedOrganisationFactory,
    InspectionFactory,
    InspectorateFactory,
    OrganisationFactory,
    ProgrammeFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

INLINES = ["inspected", "findings", "scores", "recommendations"]


def form_data(inspection=None, **fields) -> dict:
    """What the inspection's admin page posts, with no inline rows unless given."""
    data = {
        "title": "Caseloads in the north",
        "slug": "caseloads-in-the-north",
        "inspectorate": InspectorateFactory().pk
        if inspection is None
        else inspection.inspectorate_id,
        "published_on": "2019-03-04",
        "date_precision": "day",
        "fieldwork_precision": "day",
        "status": "draft",
        "comments_open": "on",
        "tags": "",
    }
    for prefix in INLINES:
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data.update(fields)
    return data


@pytest.fixture
def editor(client):
    client.force_login(StaffFactory(editor=True))
    return client


@pytest.fixture
def author(client):
    client.force_login(StaffFactory(role=AUTHOR))
    return client


ADD = "admin:inspections_inspection_add"


def change_url(inspection) -> str:
    return reverse("admin:inspections_inspection_change", args=[inspection.pk])


# Workflow and roles.


def test_author_drafts_and_sends_for_review_but_cannot_publish(author):
    response = author.post(reverse(ADD), form_data(status="published"))
    assert response.status_code == 200  # the form again, with the reason
    assert not Inspection.objects.exists()
    assert author.post(reverse(ADD), form_data(status="review")).status_code == 302
    assert Inspection.objects.get().status == Inspection.Status.REVIEW


def test_author_cannot_change_a_published_inspection(author):
    inspection = InspectionFactory()
    response = author.post(change_url(inspection), form_data(inspection, title="Changed"))
    assert response.status_code == 403
    inspection.refresh_from_db()
    assert inspection.title != "Changed"


def test_editor_publishing_with_no_time_goes_live_now(editor):
    response = editor.post(reverse(ADD), form_data(status="published"))
    assert response.status_code == 302
    inspection = Inspection.objects.get()
    assert inspection.is_published
    assert timezone.now() - inspection.live_at < datetime.timedelta(minutes=1)


def test_editor_schedules_with_a_future_time(editor):
    later = timezone.localtime() + datetime.timedelta(days=2)
    fields = {"status": "published", "live_at_0": later.date(), "live_at_1": "09:30"}
    assert editor.post(reverse(ADD), form_data(**fields)).status_code == 302
    inspection = Inspection.objects.get()
    assert inspection.is_scheduled and not Inspection.objects.published().exists()


def test_actions_send_for_review_publish_and_unpublish(editor):
    inspection = InspectionFactory(draft=True)
    url = reverse("admin:inspections_inspection_changelist")
    for action, status in [
        ("submit_for_review", "review"),
        ("publish", "published"),
        ("unpublish", "draft"),
    ]:
        editor.post(url, {"action": action, "_selected_action": [inspection.pk]})
        inspection.refresh_from_db()
        assert inspection.status == status, action
    assert inspection.live_at is not None  # kept from publishing


def test_authors_have_no_publish_action(author):
    InspectionFactory(draft=True)
    response = author.get(reverse("admin:inspections_inspection_changelist"))
    actions = dict(response.context["action_form"].fields["action"].choices)
    assert "submit_for_review" in actions and "publish" not in actions


def test_change_list_shows_short_status_badges(editor):
    live_at = timezone.make_aware(datetime.datetime(2031, 12, 3, 9, 30))
    InspectionFactory(title="Drafted", draft=True)
    InspectionFactory(title="Reviewed", in_review=True)
    InspectionFactory(title="Waiting", status="published", live_at=live_at)
    InspectionFactory(title="Live")
    html = editor.get(reverse("admin:inspections_inspection_changelist")).content.decode()
    for text in ["Draft", "In review", "Scheduled for 3 Dec 09:30", "Published"]:
        assert f">{text}</span>" in html, text
    assert "scheduled while" not in html


def test_status_badge_names_the_scheduled_time():
    inspection = Inspection(
        status="published", live_at=timezone.make_aware(datetime.datetime(2031, 12, 3, 9, 30))
    )
    assert "Scheduled for 3 Dec 09:30" in status_badge(inspection)


def test_view_on_site_only_when_public(editor):
    draft, public = InspectionFactory(draft=True), InspectionFactory()
    assert public.get_absolute_url() in editor.get(change_url(public)).content.decode()
    html = editor.get(change_url(draft)).content.decode()
    assert "viewsitelink" not in html and draft.get_absolute_url() not in html


# Preview.


def test_preview_link_shows_a_draft_to_staff(editor):
    draft = InspectionFactory(draft=True, title="Not yet public")
    # The link on the page is signed when the page is drawn (its second may not be ours).
    html = editor.get(change_url(draft)).content.decode()
    prefix = reverse("inspections:inspection-preview", args=["TOKEN"]).split("TOKEN")[0]
    token = re.search(re.escape(prefix) + r"([^/\"]+)/", html).group(1)
    assert preview_inspection_pk(token) == draft.pk
    response = editor.get(f"{prefix}{token}/")
    assert response.status_code == 200
    assert "Not yet public" in response.content.decode()
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"]


def test_preview_link_is_for_staff_only_and_must_be_genuine(client):
    draft = InspectionFactory(draft=True)
    url = reverse("inspections:inspection-preview", args=[preview_token(draft.pk)])
    assert client.get(url).status_code == 302  # to the admin login
    client.force_login(StaffFactory(editor=True))
    bad = reverse("inspections:inspection-preview", args=["not-a-token"])
    assert client.get(bad).status_code == 404


# History.


def test_each_save_records_a_version_with_its_findings_and_a_diff(editor):
    programme = ProgrammeFactory()
    inspection = InspectionFactory(programme=programme, title="First title")
    organisation = InspectedOrganisationFactory(inspection=inspection).organisation
    data = form_data(inspection, title="Second title", slug=inspection.slug)
    data["programme"] = programme.pk
    data.update(
        {
            "inspected-TOTAL_FORMS": "1",
            "inspected-INITIAL_FORMS": "1",
            "inspected-0-id": inspection.inspected.get().pk,
            "inspected-0-inspection": inspection.pk,
            "inspected-0-organisation": organisation.pk,
            "inspected-0-role": "subject",
            "inspected-0-order": "0",
            "findings-TOTAL_FORMS": "1",
            "findings-0-organisation": organisation.pk,
            "findings-0-polarity": "concern",
            "findings-0-text": "Caseloads were far too high.",
            "findings-0-order": "1",
        }
    )
    assert editor.post(change_url(inspection), data).status_code == 302
    version = InspectionVersion.objects.get()
    assert version.data["title"] == "Second title"
    assert version.data["findings"][0]["text"] == "Caseloads were far too high."

    data["title"] = "Third title"
    data.update(
        {
            "findings-INITIAL_FORMS": "1",
            "findings-0-id": Finding.objects.get().pk,
            "findings-0-inspection": inspection.pk,
            "findings-0-text": "Caseloads were high.",
        }
    )
    assert editor.post(change_url(inspection), data).status_code == 302
    older, newer = InspectionVersion.objects.order_by("created_at", "pk")
    url = reverse("admin:inspections_inspection_versions", args=[inspection.pk])
    html = editor.get(url, {"old": older.pk, "new": newer.pk}).content.decode()
    assert "<del>Second</del>" in html and "<ins>Third</ins>" in html
    assert "<del>far too </del>" in html or "<del>far</del>" in html


def test_saving_without_a_change_records_no_new_version(editor):
    inspection = InspectionFactory()
    data = form_data(inspection, title=inspection.title, slug=inspection.slug)
    editor.post(change_url(inspection), data)
    editor.post(change_url(inspection), data)
    assert InspectionVersion.objects.count() == 1


def test_restoring_a_version_brings_back_fields_and_findings_as_a_new_version(editor):
    from inspections.versions import inspection_version_record

    inspection = InspectionFactory(title="Original")
    FindingFactory(inspection=inspection, text="The original finding.")
    first = inspection_version_record(inspection=inspection, user=None)
    inspection.title = "Rewritten"
    inspection.save()
    inspection.findings.all().delete()
    FindingFactory(inspection=inspection, text="A new finding.")
    inspection_version_record(inspection=inspection, user=None)

    url = reverse("admin:inspections_inspection_version_restore", args=[inspection.pk, first.pk])
    page = editor.get(url).content.decode()
    assert "<ins>Original</ins>" in page
    assert editor.post(url).status_code == 302
    inspection.refresh_from_db()
    assert inspection.title == "Original"
    assert list(inspection.findings.values_list("text", flat=True)) == ["The original finding."]
    assert InspectionVersion.objects.count() == 3
    assert InspectionVersion.objects.first().note.startswith("Restored")


def test_authors_cannot_restore_a_published_inspection(author):
    from inspections.versions import inspection_version_record

    inspection = InspectionFactory()
    version = inspection_version_record(inspection=inspection, user=None)
    url = reverse("admin:inspections_inspection_version_restore", args=[inspection.pk, version.pk])
    assert author.post(url).status_code == 403


def test_history_page_query_count_stays_constant_with_versions(editor):
    from inspections.versions import inspection_version_record

    inspection = InspectionFactory()
    url = reverse("admin:inspections_inspection_versions", args=[inspection.pk])

    def add(count):
        for n in range(count):
            inspection.title = f"Title {InspectionVersion.objects.count()} {n}"
            inspection.save()
            inspection_version_record(inspection=inspection, user=StaffFactory(editor=True))

    add(1)
    editor.get(url)  # the session and content types, read once
    with CaptureQueriesContext(connection) as one:
        response = editor.get(url)
    assert response.status_code == 200 and len(response.context["versions"]) == 1
    add(10)
    with CaptureQueriesContext(connection) as eleven:
        response = editor.get(url)
    assert response.status_code == 200 and len(response.context["versions"]) == 11
    assert "Title 10 9" in response.content.decode()
    assert len(one.captured_queries) == len(eleven.captured_queries)


# Findings: quick entry.


def test_finding_inline_offers_only_the_inspections_organisations_and_themes(editor):
    programme = ProgrammeFactory()
    inspection = InspectionFactory(programme=programme)
    own = InspectedOrganisationFactory(inspection=inspection).organisation
    other = OrganisationFactory(name="Somewhere else entirely")
    own_theme = ThemeFactory(programme=programme, name="Court work")
    ThemeFactory(name="Another programme's theme")
    FindingFactory(inspection=inspection, organisation=own, theme=own_theme)
    response = editor.get(change_url(inspection))
    formset = next(
        f.formset
        for f in response.context["inline_admin_formsets"]
        if f.formset.prefix == "findings"
    )
    form = formset.forms[0]
    organisations = {str(value) for value, _label in form.fields["organisation"].choices}
    themes = {label for _value, label in form.fields["theme"].choices}
    assert str(own.pk) in organisations and str(other.pk) not in organisations
    assert "Court work" in themes and "Another programme's theme" not in themes
    assert "js/admin-inspection-findings.js" in response.content.decode()


def test_change_page_query_count_does_not_grow_with_findings(editor):
    inspection = InspectionFactory(programme=ProgrammeFactory())
    own = InspectedOrganisationFactory(inspection=inspection).organisation
    FindingFactory(inspection=inspection, organisation=own)
    editor.get(change_url(inspection))
    with CaptureQueriesContext(connection) as one:
        editor.get(change_url(inspection))
    for _ in range(10):
        FindingFactory(inspection=inspection, organisation=own)
    with CaptureQueriesContext(connection) as eleven:
        editor.get(change_url(inspection))
    # Each finding's tags are one query (taggit's form field); the choices are read once.
    assert len(eleven.captured_queries) - len(one.captured_queries) <= 10


# Importing open data from the admin.

IMPORT = "admin:inspections_inspection_import"


@pytest.fixture
def exported(client):
    """An inspections.csv from the site's own open data, its inspection then deleted."""
    inspection = InspectionFactory(slug="from-the-file", title="From the file")
    response = client.get(reverse("inspections:data-download", args=["inspections", "csv"]))
    content = b"".join(response.streaming_content)
    inspection.delete()
    return content


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/plain")


def test_import_dry_run_reports_then_confirm_writes_everything(editor, exported):
    response = editor.post(
        reverse(IMPORT), {"files": [upload("inspections.csv", exported)], "publish": "on"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Dry run" in html and "read 1 rows of inspections" in html
    assert not Inspection.objects.exists()
    token = response.context["token"]
    response = editor.post(reverse(IMPORT), {"token": token, "_confirm": "1"})
    assert response.status_code == 302
    assert Inspection.objects.get().is_published
    # The same files cannot be imported twice from one check.
    again = editor.post(reverse(IMPORT), {"token": token, "_confirm": "1"})
    assert "expired" in again.content.decode()


def test_import_can_bring_new_inspections_in_as_drafts(editor, exported):
    response = editor.post(
        reverse(IMPORT), {"files": [upload("inspections.csv", exported)], "publish": ""}
    )
    editor.post(reverse(IMPORT), {"token": response.context["token"], "_confirm": "1"})
    assert Inspection.objects.get().status == Inspection.Status.DRAFT


def test_import_of_malformed_json_lists_the_line_and_writes_nothing(editor):
    content = b'[\n  {"slug": "a"},\n  {"slug": \n'
    response = editor.post(reverse(IMPORT), {"files": [upload("inspections.json", content)]})
    assert response.status_code == 200
    problems = response.context["problems"]
    assert problems and all(problem.startswith("inspections.json:") for problem in problems)
    assert "not valid JSON" in " ".join(problems) or "header" in " ".join(problems)
    assert not response.context["token"]
    assert not Inspection.objects.exists()


def test_import_of_a_csv_with_the_wrong_columns_says_which(editor):
    content = b"slug,colour\nsome-inspection,blue\n"
    response = editor.post(reverse(IMPORT), {"files": [upload("mine.csv", content)]})
    problems = " ".join(response.context["problems"])
    assert "mine.csv:1: header: not the columns of any dataset" in problems
    assert "/tmp" not in problems and "inspections-import-" not in problems


def test_import_of_bad_rows_names_each_line(editor, exported):
    lines = exported.decode().splitlines()
    header, row = lines[0], lines[1]
    bad = row.replace("2016-12-14", "2016-13-45")
    content = "\n".join([header, row.replace("from-the-file", "first"), bad]).encode()
    response = editor.post(reverse(IMPORT), {"files": [upload("inspections.csv", content)]})
    problems = response.context["problems"]
    assert any(problem.startswith("inspections.csv:3: published_on") for problem in problems)
    assert not Inspection.objects.exists()


def test_import_refuses_oversized_and_unknown_files_with_a_form_error(editor, monkeypatch):
    monkeypatch.setattr("inspections.forms.MAX_IMPORT_BYTES", 10)
    response = editor.post(reverse(IMPORT), {"files": [upload("big.csv", b"x" * 11)]})
    assert response.status_code == 200
    assert "larger than" in str(response.context["form"].errors["files"])
    response = editor.post(reverse(IMPORT), {"files": [upload("notes.txt", b"hello")]})
    assert "not a .csv or .json file" in str(response.context["form"].errors["files"])
    response = editor.post(reverse(IMPORT), {})
    assert response.context["form"].errors["files"]


def test_import_of_binary_junk_is_a_report_not_a_traceback(editor):
    response = editor.post(
        reverse(IMPORT), {"files": [upload("inspections.csv", b"\xff\xfe\x00junk\x00")]}
    )
    assert response.status_code == 200
    assert "not UTF-8 text" in " ".join(response.context["problems"])


def test_only_editors_import(author):
    assert author.get(reverse(IMPORT)).status_code == 403


def test_change_list_links_to_the_import_for_editors(editor):
    html = editor.get(reverse("admin:inspections_inspection_changelist")).content.decode()
    assert reverse(IMPORT) in html


# The migration: records entered before the workflow stay public.


def test_existing_inspections_become_published_from_their_report_date():
    migration = importlib.import_module("inspections.migrations.0003_workflow_history_language")
    inspection = InspectionFactory(draft=True, published_on=datetime.date(2019, 3, 4))
    migration.publish_existing(global_apps, None)
    inspection.refresh_from_db()
    assert inspection.status == Inspection.Status.PUBLISHED
    assert timezone.localtime(inspection.live_at).date() == datetime.date(2019, 3, 4)
    assert inspection.is_published


def test_authors_change_rows_of_drafts_only_on_the_rows_own_pages(author):
    public = FindingFactory(inspection=InspectionFactory())
    draft = FindingFactory(inspection=InspectionFactory(draft=True))
    url = "admin:inspections_finding_change"
    data = {
        "inspection": public.inspection_id,
        "polarity": "concern",
        "text": "Changed",
        "order": "0",
        "tags": "",
    }
    assert author.post(reverse(url, args=[public.pk]), data).status_code == 403
    data["inspection"] = draft.inspection_id
    response = author.post(reverse(url, args=[draft.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    # Nor can a new row be added to a published inspection.
    data["inspection"] = public.inspection_id
    response = author.post(reverse("admin:inspections_finding_add"), data)
    assert response.status_code == 200 and "inspection" in response.context["adminform"].form.errors
    public.refresh_from_db()
    assert public.text != "Changed" and Finding.objects.count() == 2


def test_change_list_query_count_is_pinned_whatever_the_statuses(editor):
    url = reverse("admin:inspections_inspection_changelist")

    def add(count):
        for n in range(count):
            traits = [{}, {"draft": True}, {"in_review": True}, {"scheduled": True}][n % 4]
            inspection = InspectionFactory(**traits)
            InspectedOrganisationFactory(inspection=inspection)

    add(1)
    editor.get(url)
    with CaptureQueriesContext(connection) as one:
        response = editor.get(url)
    assert response.context["cl"].result_count == 1
    add(10)
    with CaptureQueriesContext(connection) as eleven:
        response = editor.get(url)
    html = response.content.decode()
    assert response.context["cl"].result_count == 11
    assert html.count("status-badge--scheduled") == 2 and html.count("status-badge--draft") == 3
    assert len(one.captured_queries) == len(eleven.captured_queries)
