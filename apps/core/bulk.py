"""Inserting many rows at the speed of the database driver: many rows per INSERT on SQLite, `COPY` on PostgreSQL.

Django's `bulk_create` builds a model instance and compiles every value of every row through the ORM; for a
province's 200,000-row import that costs several times the insert itself. `insert` takes plain tuples for the
columns given, fills every other column with the field's default (computed once), makes aware datetimes naive
for SQLite and, when asked, returns the new primary keys. It must run inside `transaction.atomic()`; the callers
check and normalise the values first (the same helpers as the services).
"""

import datetime
from collections.abc import Iterable, Sequence
from itertools import chain

from django.db import IntegrityError, OperationalError, connection, models, transaction
from django.utils import timezone


def _default(field: models.Field, now: datetime.datetime):
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now if isinstance(field, models.DateTimeField) else now.date()
    if field.has_default():
        return field.get_default()
    if field.null:
        return None
    if field.empty_strings_allowed:
        return ""
    raise ValueError(f"{field.model.__name__}.{field.name} needs a value")


def _adapter(field: models.Field):
    """What a value needs before the driver takes it: on SQLite, an aware datetime is made naive (Django's own
    adapter). Dates need nothing: Django registers the same ISO text with the sqlite3 module; psycopg adapts
    dates, datetimes and booleans itself."""
    if connection.vendor == "sqlite" and isinstance(field, models.DateTimeField):
        return connection.ops.adapt_datetimefield_value
    return None


def insert(model: type[models.Model], fields: Sequence[str], rows: Iterable[tuple], *, ids: bool = False):
    """Insert `rows` (tuples in the order of `fields`, attnames such as "child_id") into the model's table;
    return the new primary keys in row order when `ids` is true."""
    if connection.get_autocommit():  # the keys below are only safe while this transaction holds the writes
        raise RuntimeError("insert() belongs inside transaction.atomic()")
    meta = model._meta
    by_attname = {f.attname: f for f in meta.concrete_fields}
    given = [by_attname[name] for name in fields]
    now = timezone.now()
    rest = [f for f in meta.concrete_fields if not f.primary_key and f.attname not in fields]
    defaults = []
    for f in rest:  # the same for every row: adapted once
        value, adapt = _default(f, now), _adapter(f)
        defaults.append(adapt(value) if adapt is not None and value is not None else value)
    defaults = tuple(defaults)
    columns = [f.column for f in given] + [f.column for f in rest]
    adapters = [(i, a, {}) for i, a in enumerate(_adapter(f) for f in given) if a is not None]

    def prepared(row):
        if not adapters:
            return (*row, *defaults)
        values = list(row)
        for i, adapt, seen in adapters:  # values repeat (a time of recording): adapted once each
            value = values[i]
            if value is not None:
                if value not in seen:
                    seen[value] = adapt(value)
                values[i] = seen[value]
        values.extend(defaults)
        return values

    rows = list(rows)
    if not rows:
        return [] if ids else None
    table = connection.ops.quote_name(meta.db_table)
    pk = meta.pk.column
    with connection.cursor() as cursor, connection.wrap_database_errors:  # driver errors as Django's
        if connection.vendor == "postgresql":
            new_ids = None
            if ids:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [meta.db_table, pk, len(rows)],
                )
                new_ids = [r[0] for r in cursor.fetchall()]
                columns = [pk, *columns]
            names = ", ".join(connection.ops.quote_name(c) for c in columns)
            inserted = columns[-len(given) - len(rest) :]  # without the key taken above
            keys = _keys_checked_set_based(cursor, meta.db_table)
            if keys is not None and not all(column in inserted for _name, column, *_parent in keys):
                keys = None  # a key on the primary key: the triggers check it
            if keys is not None:
                cursor.execute("SELECT set_config('session_replication_role', 'replica', true)")
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                if new_ids is None:
                    for row in rows:
                        copy.write_row(prepared(row))
                else:
                    for new_id, row in zip(new_ids, rows, strict=True):
                        copy.write_row((new_id, *prepared(row)))
            if keys is not None:
                cursor.execute("SELECT set_config('session_replication_role', 'origin', true)")
                _check_keys(cursor, meta.db_table, keys, inserted, rows, defaults)
            return new_ids
        # Many rows per statement, straight to the driver: from Python, executemany binds and steps one row at a
        # time, three to four times slower than a VALUES list of a hundred rows (under the 999 parameters of older
        # SQLite builds); and Django's cursor would format every statement for its debug log.
        raw = connection.connection
        raw.execute("PRAGMA cache_size = -65536")  # 64 MB of pages while the indexes grow
        names = ", ".join(connection.ops.quote_name(c) for c in columns)
        one = "(" + ", ".join(["?"] * len(columns)) + ")"
        per = max(1, min(100, 999 // len(columns)))
        head = f"INSERT INTO {table} ({names}) VALUES "
        full = head + ", ".join([one] * per)
        for start in range(0, len(rows), per):
            chunk = rows[start : start + per]
            sql = full if len(chunk) == per else head + ", ".join([one] * len(chunk))
            raw.execute(sql, list(chain.from_iterable(map(prepared, chunk))))
        if not ids:
            return None
        # Django declares SQLite keys AUTOINCREMENT, and this transaction holds the database's only write lock:
        # the rows just inserted took the consecutive keys ending at the last one.
        cursor.execute("SELECT last_insert_rowid()")
        last = cursor.fetchone()[0]
        return list(range(last - len(rows) + 1, last + 1))


# ---- PostgreSQL: the foreign keys of a bulk insert checked set-based ---------------------------------------------
#
# PostgreSQL checks a foreign key with a trigger per row and per key: Django declares every key DEFERRABLE INITIALLY
# DEFERRED, so a 200,000-row import queues about 1.8 million checks (children → commune and hamlet; two guardians
# each → child; enrolments → child, school, year, class; events → enrolment, recorder) that run one by one at
# COMMIT, each an index probe and a FOR KEY SHARE lock on the parent through SPI: a third of the write's CPU time.
# Firing them earlier (SET CONSTRAINTS … IMMEDIATE per chunk) costs the same, measured. What a check guarantees is
# that the parent exists and stays until this transaction ends: the lock is what makes a concurrent DELETE of the
# parent wait for us and then find our rows (its own check fails), or, if it committed first, makes us find nothing.
# So the same guarantee is had with one statement per key and chunk: lock the distinct parents the rows name FOR KEY
# SHARE and count them; a parent missing (never there, or deleted by a transaction that committed before the lock)
# is an IntegrityError, as the trigger's would be, only at once. Parents this transaction inserted itself are locked
# too (nobody else sees them; our own DELETE of one would still fire its check, which runs: only the insert's
# triggers are skipped). The per-row triggers are skipped by `session_replication_role = replica` around the COPY
# only (set back to `origin` right after, so every other statement of the transaction is checked as before), which
# needs a superuser or, on PostgreSQL 15 and later, `GRANT SET ON PARAMETER session_replication_role TO <role>`.
# Without that right — an application role as production has it — nothing changes: the triggers check. The keys
# come from the catalog (every foreign key of the table, so a key added later is checked too), and the fast way is
# only taken when the table's insert triggers are those checks and nothing else (a trigger replica mode would skip
# or fire instead of the checks means the ordinary way).

_RI_CHECK_INSERT = '"RI_FKey_check_ins"'


def _keys_checked_set_based(cursor, table: str) -> list[tuple[str, str, str, str]] | None:
    """The table's foreign keys (constraint, column, parent table, parent column), when this session may skip the
    per-row checks of an insert and check them set-based instead (`_check_keys`); else None: the triggers check."""
    if connection.pg_version >= 150000:
        allowed = "has_parameter_privilege('session_replication_role', 'SET')"
    else:
        allowed = "current_setting('is_superuser') = 'on'"
    cursor.execute(
        f"""SELECT {allowed} AND current_setting('session_replication_role') = 'origin',
                   EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = %s::regclass AND (t.tgtype & 4) <> 0
                           AND (t.tgenabled = 'R' OR t.tgenabled = 'O' AND t.tgfoid <> %s::regproc))""",
        [connection.ops.quote_name(table), _RI_CHECK_INSERT],
    )
    allowed, other_triggers = cursor.fetchone()
    if not allowed or other_triggers:
        return None
    cursor.execute(
        """SELECT c.conname, a.attname, quote_ident(pn.nspname) || '.' || quote_ident(p.relname), pa.attname,
                  cardinality(c.conkey) = 1 AND p.relkind = 'r'
           FROM pg_constraint c
           JOIN pg_class p ON p.oid = c.confrelid
           JOIN pg_namespace pn ON pn.oid = p.relnamespace
           JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
           JOIN pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = c.confkey[1]
           WHERE c.conrelid = %s::regclass AND c.contype = 'f'""",
        [connection.ops.quote_name(table)],
    )
    keys = cursor.fetchall()
    if not all(simple for *_key, simple in keys):  # a key over several columns, a partitioned parent
        return None
    return [key for *key, _simple in keys]


def _check_keys(cursor, table: str, keys, columns: list[str], rows: list, defaults: tuple) -> None:
    """Lock FOR KEY SHARE the distinct parents each foreign key of the inserted rows names, and refuse the insert
    (an IntegrityError) when one is missing. `columns` are the inserted columns after the key, if any: the values
    given per row, then the defaults."""
    given = len(columns) - len(defaults)
    for name, column, parent, parent_column in keys:
        i = columns.index(column)
        values = {defaults[i - given]} if i >= given else {row[i] for row in rows}
        values.discard(None)
        if not values:
            continue
        cursor.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM ONLY {parent} WHERE {connection.ops.quote_name(parent_column)}"
            " = ANY(%s) FOR KEY SHARE) AS locked",
            [list(values)],
        )
        (found,) = cursor.fetchone()
        if found != len(values):
            raise IntegrityError(
                f'insert on table "{table}" violates foreign key constraint "{name}": '
                f"{len(values) - found} of the {len(values)} rows of {parent} it names are missing"
            )


MAX_RANGES = 100  # ranges OR-ed in one filter (SQLite nests each OR one level deeper, up to 1,000)


def id_runs(ids: Iterable[int], *, per_query: int = 900) -> list:
    """The sorted, distinct `ids` as a few filters: each a `Q` over runs of consecutive keys (`>=` and `<=`) and the
    keys left alone (`__in`), with at most `per_query` parameters in all. The keys a bulk write just took are
    consecutive: a 200,000-row import's enrolments are one range, one query — not 223 `IN (…)` lists of 900
    (SQLite's limit on variables, with room to spare) that the ORM compiles one by one. Use it as
    `for q in id_runs(ids): Model.objects.filter(q("pk"))`."""
    ids = sorted(set(ids))
    runs, start = [], 0
    for i in range(1, len(ids) + 1):
        if i == len(ids) or ids[i] != ids[i - 1] + 1:
            runs.append((ids[start], ids[i - 1]))
            start = i
    filters, ranges, singles, used = [], [], [], 0
    for first, last in runs:
        cost = last - first + 1 if last - first < 2 else 2  # a pair of keys costs what a range does
        if used + cost > per_query or len(ranges) == MAX_RANGES:
            filters.append(_runs_q(ranges, singles))
            ranges, singles, used = [], [], 0
        if last - first < 2:
            singles.extend(range(first, last + 1))
        else:
            ranges.append((first, last))
        used += cost
    if ranges or singles:
        filters.append(_runs_q(ranges, singles))
    return filters


def _runs_q(ranges, singles):
    def q(field: str) -> models.Q:
        out = models.Q(**{f"{field}__in": singles}) if singles else models.Q()
        for first, last in ranges:
            out |= models.Q(**{f"{field}__gte": first, f"{field}__lte": last})  # a foreign key has no __range
        return out

    return q


ANALYZE_SCALE = 0.1  # PostgreSQL's autovacuum_analyze_scale_factor
ANALYZE_BASE = 50  # and its autovacuum_analyze_threshold


def analyze_written(written: dict[type[models.Model], int]) -> list[str]:
    """On PostgreSQL, ANALYZE the tables a bulk write just grew by more than autovacuum would let pass (50 rows and
    10% of the rows the statistics know), inside the write's transaction, before the reads that follow it (the
    after-write hooks, the deferred foreign-key checks). Autovacuum only analyzes after the commit, so those reads
    would be planned on the statistics of the tables as they were: a province's first import fills tables the
    planner believes empty, and a join planned so (a nested loop over "no rows") never ends. ANALYZE counts the
    transaction's own rows; it waits at most a second for its lock (another ANALYZE, autovacuum) and is skipped
    otherwise. Returns the tables analyzed; does nothing on SQLite (its planner reads no such statistics)."""
    if connection.vendor != "postgresql":
        return []
    tables = {m._meta.db_table: n for m, n in written.items() if n > ANALYZE_BASE}
    if not tables:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, greatest(reltuples, 0) FROM pg_class WHERE oid = ANY(%s::regclass[])", [list(tables)]
        )
        stale = sorted(t for t, known in cursor.fetchall() if tables[t] > ANALYZE_BASE + ANALYZE_SCALE * known)
        if not stale:
            return []
        cursor.execute("SELECT current_setting('lock_timeout')")
        (timeout,) = cursor.fetchone()
        try:
            with transaction.atomic():  # a savepoint: a lock not granted in time leaves the write going on
                cursor.execute("SELECT set_config('lock_timeout', '1s', true)")
                cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in stale))
        except OperationalError:
            return []
        finally:
            cursor.execute("SELECT set_config('lock_timeout', %s, true)", [timeout])
    return stale
