"""The content registry and template slots: the ground floor plug-ins attach through."""

import pytest
from django.template import Context, Template
from django.utils.safestring import mark_safe

from blog.models import Article
from core.content import ContentKind, PageFacts, Registry, plain_summary, registry
from core.slots import register_slot, render_slot, unregister_slot
from inspections.models import Finding, Inspection
from tests.factories import ArticleFactory, UserFactory


def test_content_apps_register_their_public_kinds():
    kinds = {kind.key: kind for kind in registry.kinds()}
    assert kinds["articles"].model is Article
    assert kinds["inspections"].model is Inspection
    assert kinds["findings"].model is Finding
    assert kinds["articles"].commentable and kinds["inspections"].commentable
    assert not kinds["findings"].commentable and kinds["findings"].describe is None


@pytest.mark.django_db
def test_a_kinds_public_rule_is_its_querysets_named_rule():
    ArticleFactory(published=True, title="Out")
    ArticleFactory(title="Draft")
    assert [a.title for a in registry.get("articles").public()] == ["Out"]
    assert registry.get("articles").public == Article.objects.published
    assert registry.get("inspections").public == Inspection.objects.published


def test_kinds_are_found_by_key_model_and_label():
    assert registry.for_model(Article).key == "articles"
    assert registry.for_label("Inspections.Inspection").key == "inspections"
    assert registry.for_model(PageFacts) is None
    with pytest.raises(LookupError):
        registry.get("nothing")
    with pytest.raises(LookupError):
        registry.for_label("auth.user")


def test_describing_an_unregistered_object_is_a_type_error():
    with pytest.raises(TypeError):
        Registry().describe(object())


@pytest.mark.django_db
def test_page_facts_are_worked_out_once_per_object(django_assert_num_queries):
    article = ArticleFactory(published=True, tags=["probation"])
    article = Article.objects.for_listing().get(pk=article.pk)
    first = registry.describe(article)
    with django_assert_num_queries(0):
        assert registry.describe(article) is first
    assert first.kind == "articles" and first.slug == article.slug
    assert first.url == f"https://oversight.example{article.get_absolute_url()}"


@pytest.mark.django_db
def test_byline_of_an_author_without_a_profile_falls_back_to_their_name():
    staff = UserFactory(username="pat", first_name="Pat", last_name="Lee", is_staff=True)
    article = ArticleFactory(published=True, author=staff)
    article = Article.objects.for_listing().get(pk=article.pk)
    facts = registry.describe(article)
    assert facts.author_name == "Pat Lee"
    assert facts.author_url == ""


def test_sitemaps_come_from_the_registry():
    assert {"articles", "inspections", "organisations", "tags"} <= set(registry.sitemaps())


def test_listing_annotations_apply_in_registration_order():
    local = Registry()
    local.register_listing_annotation("a", lambda calls: [*calls, "a"])
    local.register_listing_annotation("b", lambda calls: [*calls, "b"])
    assert local.annotate_listing([]) == ["a", "b"]


def test_a_slot_renders_what_plugins_attach_in_order_and_nothing_otherwise():
    register_slot("test-slot", "second", lambda context, obj, **o: f"<b>{obj}</b>", order=2)
    register_slot("test-slot", "first", lambda context, obj, **o: mark_safe("<i>1</i>"), order=1)
    try:
        html = Template('{% load core_tags %}{% slot "test-slot" "x" %}').render(Context())
        # What a renderer has not marked safe is escaped.
        assert html == "<i>1</i>&lt;b&gt;x&lt;/b&gt;"
        assert Template('{% load core_tags %}[{% slot "empty-slot" %}]').render(Context()) == "[]"
    finally:
        unregister_slot("test-slot", "first")
        unregister_slot("test-slot", "second")
    assert render_slot("test-slot", {}) == ""


def test_a_kind_is_frozen_data():
    kind = ContentKind(key="k", model=Article, public=Article.objects.published)
    with pytest.raises(AttributeError):
        kind.key = "other"


def test_plain_summary_strips_markup_and_cuts_at_the_limit():
    assert plain_summary("<p>Too   many</p> <b>cases</b>") == "Too many cases"
    assert plain_summary("x" * 20, 10) == "x" * 9 + "…"


def test_plain_summary_ends_at_a_word_or_sentence_never_mid_word():
    text = "The inspectors found the same weakness again. The same staff were stretched thin."
    assert plain_summary(text, 60) == "The inspectors found the same weakness again."
    assert plain_summary("Inspectors found that caseloads were far too high", 30) == (
        "Inspectors found that…"
    )
    assert not plain_summary("word " * 100, 42).endswith("wor…")
    assert len(plain_summary("word " * 100, 42)) <= 42


@pytest.mark.django_db
def test_work_deferred_in_bulk_runs_once_at_the_end_with_everything(
    django_capture_on_commit_callbacks,
):
    bulk_registry = Registry()
    runs = []
    with django_capture_on_commit_callbacks(execute=True), bulk_registry.bulk():
        bulk_registry.defer("index", runs.append, [1, 2])
        with bulk_registry.bulk():  # nested: still the one outer block
            bulk_registry.defer("index", runs.append, [2, 3])
        assert runs == []
    assert runs == [[1, 2, 3]]
    bulk_registry.defer("index", runs.append, [4])  # outside a block: at once
    assert runs == [[1, 2, 3], [4]]
