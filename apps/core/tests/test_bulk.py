import datetime

import pytest
from django.db import transaction

from apps.core.bulk import insert
from apps.students.models import Child, Guardian


def test_rows_get_their_own_keys_and_the_fields_defaults(cast):
    names = [f"Trẻ Chèn Nhanh {n}" for n in range(5)]
    with transaction.atomic():
        ids = insert(
            Child,
            ("full_name", "name_folded", "birth_date", "birth_year", "sex", "commune_id"),
            [
                (name, f"tre chen nhanh {n}", datetime.date(2018, 1, n + 1), 2018, "F", cast.commune_a.pk)
                for n, name in enumerate(names)
            ],
            ids=True,
        )
        insert(Guardian, ("child_id", "full_name"), [(ids[0], "Mẹ Của Trẻ")])
    children = Child.objects.in_bulk(ids)
    assert [children[pk].full_name for pk in ids] == names  # each key belongs to its row, in order
    first = children[ids[0]]
    assert first.birth_date == datetime.date(2018, 1, 1) and first.consent == Child._meta.get_field("consent").default
    assert first.created_at is not None and first.ethnicity == "01"
    assert list(first.guardians.values_list("full_name", "relation")) == [("Mẹ Của Trẻ", "")]


def test_it_refuses_to_run_outside_a_transaction(cast, monkeypatch):
    from django.db import connection

    monkeypatch.setattr(connection, "get_autocommit", lambda: True)  # as outside transaction.atomic()
    with pytest.raises(RuntimeError):
        insert(Guardian, ("child_id", "full_name"), [(Child.objects.first().pk, "Ai Đó")])


def test_a_clash_is_django_s_integrity_error(cast):
    """So that an import tells "the data changed meanwhile" rather than failing as something else."""
    from django.db import IntegrityError, transaction

    from apps.core.bulk import insert
    from apps.students.models import Child

    values = ("Trùng Định Danh", "trung dinh danh", 2018, "M", "048218777777", cast.commune_a.pk)
    fields = ("full_name", "name_folded", "birth_year", "sex", "personal_id", "commune_id")
    with pytest.raises(IntegrityError), transaction.atomic():
        insert(Child, fields, [values, values])


class TestIdRuns:
    def test_consecutive_keys_are_one_filter_and_select_exactly_them(self, cast):
        from apps.core.bulk import id_runs

        ids = list(Child.objects.order_by("pk").values_list("pk", flat=True))
        assert len(ids) > 10
        wanted = [*ids[:3], ids[5], *ids[7:]]  # runs with holes, and a key alone
        (q,) = id_runs(reversed(wanted))
        assert list(Child.objects.filter(q("pk")).order_by("pk").values_list("pk", flat=True)) == wanted
        assert set(Guardian.objects.filter(q("child_id")).values_list("child_id", flat=True)) <= set(wanted)

    def test_scattered_keys_are_split_under_the_parameter_limit(self):
        from apps.core.bulk import MAX_RANGES, id_runs

        filters = id_runs(range(0, 5000, 2), per_query=900)  # 2,500 keys alone
        assert len(filters) == 3
        assert len(id_runs([k for n in range(0, 1000 * (MAX_RANGES + 1), 1000) for k in (n, n + 1, n + 2)])) == 2
        assert id_runs([]) == []


def test_statistics_of_a_table_a_bulk_write_grew_are_renewed_inside_the_write(cast):
    """PostgreSQL plans the reads after a bulk write on the statistics it holds: analyzed inside the write, the table
    the write filled is known to be full before the transaction ends. SQLite has nothing to renew."""
    from django.db import connection

    from apps.core.bulk import analyze_written

    rows = [(Child.objects.first().pk, f"Người Giám Hộ {n}") for n in range(3000)]

    def known_rows():
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'students_guardian'")
            return cursor.fetchone()[0]

    with transaction.atomic():
        insert(Guardian, ("child_id", "full_name"), rows)
        analyzed = analyze_written({Guardian: len(rows), Child: 0})
        if connection.vendor != "postgresql":
            assert analyzed == []
            return
        assert analyzed == ["students_guardian"]
        assert known_rows() >= len(rows)
        assert analyze_written({Guardian: 10}) == []  # a few rows: nothing to renew


# ---- the foreign keys of a bulk insert (on PostgreSQL checked set-based when the session may) ---------------------

MISSING = 2_000_000_000  # a child key nobody has


def _immediate_checks():
    """Run every check still pending (PostgreSQL's deferred triggers, SQLite's `foreign_key_check`) now."""
    from django.db import connection

    connection.check_constraints()


def test_a_bulk_insert_naming_a_missing_parent_is_refused_on_both_databases(cast):
    """Whichever way the keys are checked, a row naming no parent never stays: refused by the insert (PostgreSQL's
    set-based check) or by the deferred checks (the triggers, SQLite's)."""
    from django.db import IntegrityError

    with pytest.raises(IntegrityError), transaction.atomic():
        insert(Guardian, ("child_id", "full_name"), [(Child.objects.first().pk, "Có Thật"), (MISSING, "Không Ai")])
        _immediate_checks()
    with transaction.atomic():  # a default names a parent too (here: none)
        insert(Guardian, ("child_id", "full_name"), [(Child.objects.first().pk, "Có Thật")])
        _immediate_checks()


postgresql = pytest.mark.skipif("os.environ.get('DATABASE_URL', '').find('postgres') != 0", reason="PostgreSQL only")


def _pending_checks() -> int:
    """Deferred foreign-key checks queued in this transaction: those that fail when fired now (the rows below name a
    missing parent, so a queued check is a failing one)."""
    from django.db import IntegrityError, connection

    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    except IntegrityError:
        return 1
    return 0


@postgresql
def test_on_postgresql_the_insert_itself_refuses_a_missing_parent_and_queues_no_trigger(cast):
    from django.db import IntegrityError, connection

    child = Child.objects.first().pk
    with pytest.raises(IntegrityError, match="students_guardian_child_id"), transaction.atomic():
        insert(Guardian, ("child_id", "full_name"), [(child, "Có Thật"), (MISSING, "Không Ai")])
    with transaction.atomic():
        insert(Guardian, ("child_id", "full_name"), [(child, "Có Thật")] * 3)
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('session_replication_role')")
            assert cursor.fetchone() == ("origin",)  # only the COPY ran without the triggers
        assert _pending_checks() == 0
        Guardian.objects.create(child_id=MISSING, full_name="Qua ORM")  # every other statement: checked by them
        assert _pending_checks() == 1
        transaction.set_rollback(True)


@postgresql
def test_on_postgresql_the_parents_are_locked_until_the_insert_commits(cast):
    """The lock the per-row check would take: another transaction can neither delete nor re-key the parent (FOR
    UPDATE, which a DELETE takes, waits) while ours is open, so it cannot vanish before our COMMIT."""
    import psycopg
    from django.db import connection

    child = Child.objects.order_by("pk").first().pk  # seeded, so visible to another connection
    other_child = Child.objects.order_by("pk").last().pk
    insert_in = transaction.atomic()
    with insert_in:
        insert(Guardian, ("child_id", "full_name"), [(child, "Có Thật")])
        settings = connection.settings_dict
        with psycopg.connect(
            dbname=settings["NAME"],
            user=settings["USER"],
            password=settings["PASSWORD"] or None,
            host=settings["HOST"] or None,
            port=settings["PORT"] or None,
            autocommit=True,
        ) as other:
            with pytest.raises(psycopg.errors.LockNotAvailable):
                other.execute("SELECT 1 FROM students_child WHERE id = %s FOR UPDATE NOWAIT", [child])
            other.execute("SELECT 1 FROM students_child WHERE id = %s FOR UPDATE NOWAIT", [other_child])


@postgresql
def test_on_postgresql_a_role_that_may_not_skip_the_triggers_is_checked_by_them(cast):
    """An application role without the right to set session_replication_role (production's, unless granted) inserts
    as before, the triggers checking; with `GRANT SET ON PARAMETER` it takes the set-based way."""
    from django.db import IntegrityError, connection

    child = Child.objects.first().pk
    rows = [(child, "Có Thật"), (MISSING, "Không Ai")]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("CREATE ROLE dentruong_bulk_test NOSUPERUSER")  # rolled back with the test
        cursor.execute("GRANT ALL ON ALL TABLES IN SCHEMA public TO dentruong_bulk_test")
        cursor.execute("GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO dentruong_bulk_test")
        cursor.execute("SET LOCAL ROLE dentruong_bulk_test")
        insert(Guardian, ("child_id", "full_name"), rows)  # no permission error, and no check yet
        assert _pending_checks() == 1
        cursor.execute("RESET ROLE")
        cursor.execute("GRANT SET ON PARAMETER session_replication_role TO dentruong_bulk_test")
        cursor.execute("SET LOCAL ROLE dentruong_bulk_test")
        with pytest.raises(IntegrityError), transaction.atomic():
            insert(Guardian, ("child_id", "full_name"), rows)
        cursor.execute("RESET ROLE")
        cursor.execute("REVOKE SET ON PARAMETER session_replication_role FROM dentruong_bulk_test")
        transaction.set_rollback(True)  # the role, its grants and the first insert's rows


@postgresql
def test_on_postgresql_a_table_with_another_insert_trigger_keeps_its_triggers(cast):
    """Replica mode would skip any trigger, not only the key checks: a table with one of its own inserts the ordinary
    way, its trigger firing and its keys checked by theirs."""
    from django.db import connection

    child = Child.objects.first().pk
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION dentruong_bulk_upper() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN NEW.full_name := upper(NEW.full_name); RETURN NEW; END $$"
        )
        cursor.execute(
            "CREATE TRIGGER dentruong_bulk_upper BEFORE INSERT ON students_guardian "
            "FOR EACH ROW EXECUTE FUNCTION dentruong_bulk_upper()"
        )
        insert(Guardian, ("child_id", "full_name"), [(child, "chữ thường"), (MISSING, "Không Ai")])
        assert Guardian.objects.filter(full_name="CHỮ THƯỜNG").exists()
        assert _pending_checks() == 1
        transaction.set_rollback(True)
