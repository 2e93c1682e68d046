"""An issued document's register entry and file are kept as issued, by the database itself: a trigger on
`documents_document` refuses an UPDATE that changes what was issued (body, kind, type, series, year, number,
symbol, date, summary, signer, recipients, source, the file and its checksum), on SQLite and on PostgreSQL, whoever
sends it. Its PDF (made later, in the background) may still be filled in; a replacement is a new document that
supersedes it. `install_triggers()` runs after every migrate (the app's `post_migrate` handler), so a migration
that rebuilds the table never leaves it unguarded."""

from django.db import DEFAULT_DB_ALIAS, connections

TABLE = "documents_document"
TRIGGER = "documents_document_as_issued"
MESSAGE = "an issued document is kept as issued: issue a new one that supersedes it"
COLUMNS = (
    "body_id",
    "kind",
    "type_code",
    "series",
    "year",
    "number",
    "symbol",
    "issued_on",
    "summary",
    "signer_name",
    "signer_position",
    "recipients",
    "source",
    "file",
    "sha256",
    "created_by_id",
    "created_at",
)


def _changed(distinct: str) -> str:
    return " OR ".join(f"OLD.{c} {distinct} NEW.{c}" for c in COLUMNS)


def install_triggers(using: str = DEFAULT_DB_ALIAS) -> bool:
    connection = connections[using]
    with connection.cursor() as cursor:
        if TABLE not in connection.introspection.table_names(cursor):
            return False
        if connection.vendor == "sqlite":
            cursor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER}")
            cursor.execute(
                f"CREATE TRIGGER {TRIGGER} BEFORE UPDATE ON {TABLE} WHEN {_changed('IS NOT')} "
                f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
            )
        elif connection.vendor == "postgresql":
            cursor.execute(
                f"""CREATE OR REPLACE FUNCTION {TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation'; END $$"""
            )
            cursor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {TABLE}")
            cursor.execute(
                f"CREATE TRIGGER {TRIGGER} BEFORE UPDATE ON {TABLE} FOR EACH ROW "
                f"WHEN ({_changed('IS DISTINCT FROM')}) EXECUTE FUNCTION {TRIGGER}()"
            )
        else:
            return False
    return True


def after_migrate(sender, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    install_triggers(using)
