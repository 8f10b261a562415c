"""The database's own full-text index over the search documents, one per database.

PostgreSQL: a stored tsvector generated from the weighted columns (English stemming), a GIN
index on it, and pg_trgm with a trigram index on the vocabulary for suggestions.
SQLite: an FTS5 table (porter stemmer over unicode61) over the same columns, kept in step
with the documents table by triggers.

Note for later migrations of search_searchdocument on SQLite: a change that rebuilds the table
drops its triggers; create them again (FTS5_TRIGGERS) in the same migration.
"""

from django.db import migrations

from search.migrations._vendor import fts5_table, fts5_triggers, run_for_vendor

POSTGRES_FORWARDS = [
    # Not Django's TrigramExtension: its reverse runs on SQLite too. Left installed on the way
    # back, since other things may use it.
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """
    ALTER TABLE search_searchdocument ADD COLUMN vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
        || setweight(to_tsvector('english'::regconfig, coalesce(summary, '')), 'B')
        || setweight(to_tsvector('english'::regconfig, coalesce(keywords, '')), 'C')
        || setweight(to_tsvector('english'::regconfig, coalesce(body, '')), 'D')
    ) STORED
    """,
    "CREATE INDEX searchdocument_vector ON search_searchdocument USING gin (vector)",
    "CREATE INDEX searchterm_word_trgm ON search_searchterm USING gin (word gin_trgm_ops)",
]
POSTGRES_BACKWARDS = [
    "DROP INDEX IF EXISTS searchterm_word_trgm",
    "DROP INDEX IF EXISTS searchdocument_vector",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS vector",
]

COLUMNS = "title, summary, keywords, body"
FTS5_TRIGGERS = fts5_triggers(COLUMNS)
SQLITE_FORWARDS = [
    fts5_table(COLUMNS),
    *FTS5_TRIGGERS,
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARDS = [
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TABLE IF EXISTS search_fts",
]


class Migration(migrations.Migration):
    dependencies = [("search", "0001_documents")]

    operations = [
        migrations.RunPython(
            run_for_vendor(POSTGRES_FORWARDS, SQLITE_FORWARDS),
            run_for_vendor(POSTGRES_BACKWARDS, SQLITE_BACKWARDS),
        ),
    ]
