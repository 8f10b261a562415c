"""The PostgreSQL index: a stored weighted vector with a GIN index, and pg_trgm suggestions."""

import pytest
from django.db import connection

from search.backends import PostgresBackend, backend
from tests.factories import ArticleFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_documents_have_a_stored_vector_with_a_gin_index():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT is_generated FROM information_schema.columns "
            "WHERE table_name = 'search_searchdocument' AND column_name = 'vector'"
        )
        assert cursor.fetchone() == ("ALWAYS",)
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'searchdocument_vector'")
        assert "USING gin (vector)" in cursor.fetchone()[0]


def test_the_stored_vector_is_weighted_and_stemmed(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ArticleFactory(published=True, title="Caseloads", standfirst="Inspections", body="")
    with connection.cursor() as cursor:
        cursor.execute("SELECT vector::text FROM search_searchdocument")
        vector = cursor.fetchone()[0]
    assert "'caseload':1A" in vector and "'inspect':2B" in vector


def test_postgres_uses_its_own_backend_and_trigram_suggestions(django_capture_on_commit_callbacks):
    assert isinstance(backend(), PostgresBackend)
    with django_capture_on_commit_callbacks(execute=True):
        ArticleFactory(published=True, title="Safeguarding", body="<p>Rehabilitation.</p>")
    assert backend().similar_words("rehabilitaton")[0] == "rehabilitation"
    assert backend().similar_words("afeguarding")[0] == "safeguarding"  # first letter lost


def test_a_phrase_asks_for_its_adjacent_word_pairs_stemmed_as_documents_are():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_pairs_query(ARRAY['domestic abuses', 'requires improvement']), "
            "search_pairs_query(ARRAY['of the']), "
            "tsvector_to_array(search_document_pairs("
            "'Domestic abuse', '', '', 'It requires improvement'))"
        )
        pairs, none, document = cursor.fetchone()
    assert pairs == "'domest abus' & 'requir improv'"
    assert none == "'*'"  # no pair: narrows nothing, the positions decide
    assert set(document) == {"domest abus", "requir improv", "*"}  # "it" stands between
