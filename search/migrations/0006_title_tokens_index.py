"""PostgreSQL: the titles' GIN index holds the filter tokens too.

Past the counting cap, title matches are looked for among the best; with a facet, kind or year
chosen, the title index alone then finds the titles that match within it, where before every
title match was read to be checked against the filters (or the vector's index read in full).
"""

from django.db import migrations

from search.migrations._vendor import run_for_vendor

POSTGRES_FORWARDS = [
    "CREATE INDEX searchdocument_title_tokens ON search_searchdocument USING gin "
    "((to_tsvector('english'::regconfig, title) || to_tsvector('simple'::regconfig, tokens)))",
    "DROP INDEX IF EXISTS searchdocument_title_vector",
]
POSTGRES_BACKWARDS = [
    "CREATE INDEX searchdocument_title_vector ON search_searchdocument "
    "USING gin (to_tsvector('english'::regconfig, title))",
    "DROP INDEX IF EXISTS searchdocument_title_tokens",
]


class Migration(migrations.Migration):
    dependencies = [("search", "0005_word_pairs")]

    operations = [
        migrations.RunPython(
            run_for_vendor(POSTGRES_FORWARDS, []),
            run_for_vendor(POSTGRES_BACKWARDS, []),
        ),
    ]
