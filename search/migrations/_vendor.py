"""Shared by this app's migrations (the loader skips modules starting with `_`)."""


def run_for_vendor(postgres: list[str], sqlite: list[str]):
    """A RunPython function executing the statements for the migrating database's vendor."""

    def run(apps, schema_editor):
        statements = {"postgresql": postgres, "sqlite": sqlite}.get(
            schema_editor.connection.vendor, []
        )
        for statement in statements:
            schema_editor.execute(statement)

    return run


def fts5_triggers(columns: str) -> list[str]:
    """The triggers keeping the FTS5 table `search_fts` in step with the documents' `columns`
    ("title, summary, …")."""
    old = ", ".join(f"old.{column}" for column in columns.split(", "))
    new = ", ".join(f"new.{column}" for column in columns.split(", "))
    return [
        f"""CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchdocument BEGIN
            INSERT INTO search_fts(rowid, {columns}) VALUES (new.id, {new});
        END""",
        f"""CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchdocument BEGIN
            INSERT INTO search_fts(search_fts, rowid, {columns}) VALUES ('delete', old.id, {old});
        END""",
        f"""CREATE TRIGGER search_fts_update AFTER UPDATE ON search_searchdocument BEGIN
            INSERT INTO search_fts(search_fts, rowid, {columns}) VALUES ('delete', old.id, {old});
            INSERT INTO search_fts(rowid, {columns}) VALUES (new.id, {new});
        END""",
    ]


def fts5_table(columns: str) -> str:
    """The FTS5 table `search_fts` over the documents' `columns`, porter-stemmed."""
    return f"""CREATE VIRTUAL TABLE search_fts USING fts5(
        {columns},
        content='search_searchdocument',
        content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )"""
