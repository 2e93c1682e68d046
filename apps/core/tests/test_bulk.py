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
