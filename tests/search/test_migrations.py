import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_each_database_has_its_own_full_text_index():
    tables = connection.introspection.table_names()
    if connection.vendor == "sqlite":
        assert "search_fts" in tables  # the FTS5 table; no PostgreSQL objects
        with connection.cursor() as cursor:
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'search_fts'")
            assert "porter unicode61" in cursor.fetchone()[0]
    else:
        assert "search_fts" not in tables
