"""Each search document's language (blank: the interface's), so results keep their `lang`.

SQLite rebuilds the documents table to add a column with a default, which drops the FTS5
triggers (see 0002): they are made again after the change, both ways. Existing documents get
a blank language (the interface's) until `rebuild_search_index` or their next save.
"""

from django.db import migrations, models

from search.migrations._vendor import fts5_triggers, run_for_vendor

COLUMNS = "title, summary, keywords, body, tokens"
SQLITE_TRIGGERS = [
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_update",
    *fts5_triggers(COLUMNS),
]


class Migration(migrations.Migration):
    dependencies = [("search", "0003_filter_tokens")]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, run_for_vendor([], SQLITE_TRIGGERS)),
        migrations.AddField(
            model_name="searchdocument",
            name="language",
            field=models.CharField(blank=True, default="", max_length=10, verbose_name="language"),
        ),
        migrations.RunPython(run_for_vendor([], SQLITE_TRIGGERS), migrations.RunPython.noop),
    ]
