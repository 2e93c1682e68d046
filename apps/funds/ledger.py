"""The ledger's append-only rule, kept by the database itself: triggers on `funds_entry` refuse every UPDATE and
DELETE, on SQLite and on PostgreSQL, whoever sends it (the application, a shell, a script).

`install_triggers()` (re)creates them; it runs after every `migrate` (the app's `post_migrate` handler), so a
migration that rebuilds the table (SQLite remakes a table to alter it) never leaves it unguarded, and a system
check (`funds.E001`, a database check: `manage.py check --database default`, and every `migrate` before it runs)
fails while a trigger is missing; `manage.py ledger_triggers` puts them back.

The one documented exception is emptying the table for maintenance, which the test suite needs between
transactional tests (`manage.py flush`):
- SQLite: the DELETE trigger lets rows go while `funds_ledgermaintenance` holds a row. This app's `flush` command
  (it overrides Django's) inserts one, deletes the entries, and the flush then empties the marker table itself.
- PostgreSQL: TRUNCATE, which row triggers do not see (Django's flush on PostgreSQL truncates).
Nothing else writes the marker; doing so by hand is a maintenance act, to be recorded outside the application.
"""

from django.core import checks
from django.db import DEFAULT_DB_ALIAS, connections

TABLE = "funds_entry"
MARKER = "funds_ledgermaintenance"
TRIGGERS = ("funds_entry_no_update", "funds_entry_no_delete")
MESSAGE = "funds_entry is append-only: correct an entry with a reversing entry (entry_correct)"

_SQLITE = [
    f"""CREATE TRIGGER funds_entry_no_update BEFORE UPDATE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER funds_entry_no_delete BEFORE DELETE ON {TABLE}
        WHEN NOT EXISTS (SELECT 1 FROM {MARKER})
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
]

_POSTGRES = [
    f"""CREATE OR REPLACE FUNCTION funds_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation'; END $$""",
    f"""CREATE TRIGGER funds_entry_no_update BEFORE UPDATE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION funds_entry_append_only()""",
    f"""CREATE TRIGGER funds_entry_no_delete BEFORE DELETE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION funds_entry_append_only()""",
]


def _table_exists(connection) -> bool:
    with connection.cursor() as cursor:
        return TABLE in connection.introspection.table_names(cursor)


def install_triggers(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Drop and create the ledger's triggers on database `using`; False when the table is not there yet."""
    connection = connections[using]
    if not _table_exists(connection):
        return False
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise NotImplementedError(f"the ledger's triggers exist for SQLite and PostgreSQL, not {vendor}")
    with connection.cursor() as cursor:
        for name in TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}" + (f" ON {TABLE}" if vendor == "postgresql" else ""))
        for sql in _SQLITE if vendor == "sqlite" else _POSTGRES:
            cursor.execute(sql)
    return True


def installed_triggers(using: str = DEFAULT_DB_ALIAS) -> set[str]:
    """The names of the ledger's triggers present in the database."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [TABLE])
        elif connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = to_regclass(%s) AND NOT tgisinternal", [TABLE]
            )
        else:
            return set()
        return {row[0] for row in cursor.fetchall()} & set(TRIGGERS)


def after_migrate(sender, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    """`post_migrate` handler: every migrate (and flush) ends with the triggers in place."""
    install_triggers(using)


def clear_for_maintenance(using: str = DEFAULT_DB_ALIAS) -> None:
    """Empty the ledger: the documented exception (see the module's docstring). Only the `flush` command calls it."""
    connection = connections[using]
    if not _table_exists(connection):
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {TABLE} CASCADE")
        else:
            cursor.execute(f"INSERT INTO {MARKER} (reason, started_at) VALUES ('flush', CURRENT_TIMESTAMP)")
            cursor.execute(f"DELETE FROM {TABLE}")
            cursor.execute(f"DELETE FROM {MARKER}")


@checks.register(checks.Tags.database)
def check_triggers(app_configs=None, databases=None, **kwargs):
    """funds.E001 while a ledger trigger is missing from a database that has the ledger's table (run by
    `manage.py check --database default` and by `migrate`)."""
    errors = []
    for alias in databases or ():
        connection = connections[alias]
        if connection.vendor not in ("sqlite", "postgresql") or not _table_exists(connection):
            continue
        missing = set(TRIGGERS) - installed_triggers(alias)
        if missing:
            errors.append(
                checks.Error(
                    f"the ledger's triggers {sorted(missing)} are missing from database {alias!r}",
                    hint="run `manage.py ledger_triggers` (migrate also recreates them once it may run)",
                    id="funds.E001",
                )
            )
    return errors
