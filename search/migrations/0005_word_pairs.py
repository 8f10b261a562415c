"""PostgreSQL: adjacent word pairs, so a quoted phrase is found by a GIN index.

A phrase ("domestic abuse") is checked against the positions in each document's vector, which
the GIN index does not hold: it can only offer every document with both words, and on a large
archive that is tens of thousands of rows read and checked for a few hundred matches. A second
GIN index holds each document's pairs of adjacent words ('domest abus', no positions), from
the same words and positions as `vector`; a phrase asks it for its pairs first, so only
documents with the phrase's words side by side are read and checked.

An index on an expression, not a stored column: stored, the pairs would double the rows every
search reads. A match of plain words needs no recheck, so the expression is only computed when
a document is written (its cost is declared high, so the planner asks the index rather than
computing it row by row). `search_pairs_query` turns phrases into pairs with the same
function, so both sides stem and drop stop words alike. Every document's pairs also hold '*',
which a phrase without a pair asks for (should a word the search took for an ordinary one be a
stop word to PostgreSQL): it narrows nothing, and the positions decide as before. SQLite needs
nothing: FTS5 keeps positions in its own index.
"""

from django.db import migrations

from search.migrations._vendor import run_for_vendor

POSTGRES_FORWARDS = [
    """
    CREATE FUNCTION search_word_pairs(words tsvector) RETURNS tsvector
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
        SELECT coalesce(array_to_tsvector(array_agg(DISTINCT a.lexeme || ' ' || b.lexeme)), '')
        FROM (SELECT lexeme, unnest(positions) AS at FROM unnest(words)) AS a
        JOIN (SELECT lexeme, unnest(positions) AS at FROM unnest(words)) AS b
            ON b.at = a.at + 1
    $$
    """,
    # The same words in the same order as the stored vector (0003), so the same positions.
    """
    CREATE FUNCTION search_document_pairs(title text, summary text, keywords text, body text)
    RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT search_word_pairs(
            to_tsvector('english'::regconfig, coalesce(title, ''))
            || to_tsvector('english'::regconfig, coalesce(summary, ''))
            || to_tsvector('english'::regconfig, coalesce(keywords, ''))
            || to_tsvector('english'::regconfig, coalesce(body, ''))
        ) || '*'::tsvector
    $$
    """,
    r"""
    CREATE FUNCTION search_pairs_query(phrases text[]) RETURNS tsquery
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
        SELECT coalesce(string_agg(
            '''' || replace(replace(pair, '\', '\\'), '''', '''''') || '''', ' & '
        ), '''*''')::tsquery
        FROM unnest(phrases) AS phrase,
            unnest(tsvector_to_array(
                search_word_pairs(to_tsvector('english'::regconfig, phrase))
            )) AS pair
    $$
    """,
    "CREATE INDEX searchdocument_pairs ON search_searchdocument "
    "USING gin (search_document_pairs(title, summary, keywords, body))",
]
POSTGRES_BACKWARDS = [
    "DROP INDEX IF EXISTS searchdocument_pairs",
    "DROP FUNCTION IF EXISTS search_pairs_query(text[])",
    "DROP FUNCTION IF EXISTS search_document_pairs(text, text, text, text)",
    "DROP FUNCTION IF EXISTS search_word_pairs(tsvector)",
]


class Migration(migrations.Migration):
    dependencies = [("search", "0004_document_language")]

    operations = [
        migrations.RunPython(
            run_for_vendor(POSTGRES_FORWARDS, []),
            run_for_vendor(POSTGRES_BACKWARDS, []),
        ),
    ]
