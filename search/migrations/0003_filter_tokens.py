"""Filter tokens in the full-text index: kind, year and facets narrow inside the index.

PostgreSQL: the stored vector is generated again with the tokens (no stemming) and a GIN
index on the titles' own vector finds title matches without reading any row.
SQLite: the FTS5 table is made again with a `tokens` column, with its triggers.
Existing documents get their tokens here, so no rebuild is needed after migrating.
"""

import hashlib

from django.db import migrations, models
from django.utils import timezone

from search.migrations._vendor import fts5_table, fts5_triggers, run_for_vendor

VECTOR = """
    ALTER TABLE search_searchdocument ADD COLUMN vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
        || setweight(to_tsvector('english'::regconfig, coalesce(summary, '')), 'B')
        || setweight(to_tsvector('english'::regconfig, coalesce(keywords, '')), 'C')
        || setweight(to_tsvector('english'::regconfig, coalesce(body, '')), 'D')
        || to_tsvector('simple'::regconfig, coalesce(tokens, ''))
    ) STORED
"""
OLD_VECTOR = VECTOR.replace(
    "\n        || to_tsvector('simple'::regconfig, coalesce(tokens, ''))", ""
)
POSTGRES_FORWARDS = [
    "ALTER TABLE search_searchdocument DROP COLUMN vector",
    VECTOR,
    "CREATE INDEX searchdocument_vector ON search_searchdocument USING gin (vector)",
    "CREATE INDEX searchdocument_title_vector ON search_searchdocument "
    "USING gin (to_tsvector('english'::regconfig, title))",
]
POSTGRES_BACKWARDS = [
    "DROP INDEX IF EXISTS searchdocument_title_vector",
    "ALTER TABLE search_searchdocument DROP COLUMN vector",
    OLD_VECTOR,
    "CREATE INDEX searchdocument_vector ON search_searchdocument USING gin (vector)",
]


def fts5(columns: str) -> list[str]:
    return [
        "DROP TRIGGER IF EXISTS search_fts_insert",
        "DROP TRIGGER IF EXISTS search_fts_delete",
        "DROP TRIGGER IF EXISTS search_fts_update",
        "DROP TABLE IF EXISTS search_fts",
        fts5_table(columns),
        *fts5_triggers(columns),
        "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
    ]


SQLITE_FORWARDS = fts5("title, summary, keywords, body, tokens")
SQLITE_BACKWARDS = fts5("title, summary, keywords, body")
SQLITE_DROP = SQLITE_BACKWARDS[:4]  # the triggers and the table


def filter_token(name, value):
    # A copy of search.models.filter_token as it was when this migration was written.
    digest = hashlib.blake2b(f"{name}={value}".encode(), digest_size=12).digest()
    return "zq" + "".join(chr(97 + byte % 26) for byte in digest)


def fill_tokens(apps, schema_editor):
    SearchDocument = apps.get_model("search", "SearchDocument")
    SearchFacet = apps.get_model("search", "SearchFacet")
    facets: dict[int, list[str]] = {}
    for document_id, name, value in SearchFacet.objects.values_list("document_id", "name", "value"):
        facets.setdefault(document_id, []).append(filter_token(name, value))
    changed = []
    for document in SearchDocument.objects.only("kind", "date").iterator(chunk_size=2000):
        tokens = [filter_token("kind", document.kind), *facets.get(document.pk, [])]
        if document.date:
            tokens.append(filter_token("year", timezone.localtime(document.date).year))
        document.tokens = " ".join(tokens)
        changed.append(document)
    SearchDocument.objects.bulk_update(changed, ["tokens"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_full_text_index")]

    # Backwards on SQLite, the FTS5 table and its triggers (which name `tokens`) go before the
    # column does and come back after; on PostgreSQL, the old vector is made before, as the
    # generated column depends on `tokens`.
    operations = [
        migrations.RunPython(migrations.RunPython.noop, run_for_vendor([], SQLITE_BACKWARDS)),
        migrations.AddField(
            model_name="searchdocument",
            name="tokens",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.RunPython(fill_tokens, migrations.RunPython.noop),
        migrations.RunPython(
            run_for_vendor(POSTGRES_FORWARDS, SQLITE_FORWARDS),
            run_for_vendor(POSTGRES_BACKWARDS, SQLITE_DROP),
        ),
    ]
