import pytest
from django.core.management import call_command

from blog.models import Article
from search.models import SearchDocument, SearchTerm
from tests.factories import ArticleFactory
from tests.inspections.factories import FindingFactory

pytestmark = pytest.mark.django_db


def test_rebuild_indexes_content_saved_without_signals(capsys, client):
    template = ArticleFactory(published=True, title="Template")
    Article.objects.bulk_create(  # as an importer might: no signals
        [
            Article(
                title=f"Bulk caseloads {n}",
                slug=f"bulk-{n}",
                author=template.author,
                status="published",
                published_at=template.published_at,
            )
            for n in range(3)
        ]
    )
    ArticleFactory(title="Draft caseloads")
    FindingFactory(text="Safeguarding was weak.")

    call_command("rebuild_search_index")

    out = capsys.readouterr().out
    assert "indexed 4 articles, 0 resources, 0 pages, 1 inspections, 1 findings" in out
    assert SearchDocument.objects.filter(kind="articles").count() == 4
    assert SearchTerm.objects.filter(word="safeguarding").exists()
    assert (
        "4 results for “caseloads”" in client.get("/search/", {"q": "caseloads"}).content.decode()
    )


def test_rebuild_twice_gives_the_same_index_and_dry_run_changes_nothing(capsys):
    ArticleFactory(published=True, title="Caseloads")
    call_command("rebuild_search_index")
    call_command("rebuild_search_index")
    assert SearchDocument.objects.count() == 1
    SearchDocument.objects.all().delete()
    call_command("rebuild_search_index", "--dry-run")
    assert "would index 1 articles" in capsys.readouterr().out
    assert SearchDocument.objects.count() == 0


def test_saves_in_a_bulk_block_update_the_index_once_per_kind_at_the_end(
    django_capture_on_commit_callbacks, monkeypatch
):
    from core.content import registry
    from search import signals

    calls = []
    monkeypatch.setattr(
        signals, "search_index_update", lambda **kw: calls.append(kw) or update(**kw)
    )
    from search.services import search_index_update as update

    with django_capture_on_commit_callbacks(execute=True), registry.bulk():
        for n in range(3):
            ArticleFactory(published=True, title=f"Bulk caseloads {n}")
        assert calls == []
    assert [call["kind"] for call in calls] == ["articles"]
    assert len(calls[0]["pks"]) == 3
    assert SearchDocument.objects.filter(kind="articles").count() == 3


def test_rebuild_shows_progress_for_each_kind_on_standard_error(capsys):
    for n in range(3):
        ArticleFactory(published=True, title=f"Caseloads {n}")
    call_command("rebuild_search_index")
    progress = capsys.readouterr().err  # not a terminal: plain lines, no bar
    assert "articles: 3/3 100%" in progress
    assert "\r" not in progress


def test_rebuild_is_quiet_at_verbosity_zero(capsys):
    ArticleFactory(published=True, title="Caseloads")
    call_command("rebuild_search_index", verbosity=0)
    assert capsys.readouterr().err == ""
