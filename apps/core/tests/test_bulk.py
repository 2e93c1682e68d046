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
