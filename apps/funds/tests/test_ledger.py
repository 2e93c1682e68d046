"""The append-only ledger: triggers on both databases, the maintenance exception, the system check."""

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from apps.funds import ledger
from apps.funds.models import Entry
from apps.funds.tests.conftest import give


@pytest.mark.django_db
class TestTriggers:
    def test_they_exist_after_migrate(self):
        # The test database was built by `migrate`; its post_migrate handler installed them.
        assert ledger.installed_triggers() == set(ledger.TRIGGERS)
        assert ledger.check_triggers(databases=["default"]) == []

    def test_a_raw_update_of_an_entry_fails(self, cast, study_fund):
        entry = give(cast.partner, study_fund, 500_000).entries.get()
        with pytest.raises(DatabaseError, match="append-only"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("UPDATE funds_entry SET cash = 1 WHERE id = %s", [entry.pk])
        assert Entry.objects.get(pk=entry.pk).cash == 500_000

    def test_a_raw_delete_of_an_entry_fails(self, cast, study_fund):
        entry = give(cast.partner, study_fund, 500_000).entries.get()
        with pytest.raises(DatabaseError, match="append-only"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("DELETE FROM funds_entry WHERE id = %s", [entry.pk])
        assert Entry.objects.filter(pk=entry.pk).exists()

    def test_the_orm_cannot_edit_or_delete_either(self, cast, study_fund):
        entry = give(cast.partner, study_fund, 500_000).entries.get()
        with pytest.raises(DatabaseError), transaction.atomic():
            Entry.objects.filter(pk=entry.pk).update(cash=0)
        with pytest.raises(DatabaseError), transaction.atomic():
            Entry.objects.filter(pk=entry.pk).delete()

    def test_the_system_check_fails_while_a_trigger_is_missing(self):
        with connection.cursor() as cursor:
            cursor.execute(
                "DROP TRIGGER funds_entry_no_delete" + (" ON funds_entry" if connection.vendor == "postgresql" else "")
            )
        try:
            errors = ledger.check_triggers(databases=["default"])
            assert [e.id for e in errors] == ["funds.E001"]
            assert "funds_entry_no_delete" in errors[0].msg
        finally:
            ledger.install_triggers()
        assert ledger.check_triggers(databases=["default"]) == []

    def test_manage_py_check_fails_and_ledger_triggers_repairs(self):
        from django.core.management.base import SystemCheckError

        with connection.cursor() as cursor:
            cursor.execute(
                "DROP TRIGGER funds_entry_no_update" + (" ON funds_entry" if connection.vendor == "postgresql" else "")
            )
        with pytest.raises(SystemCheckError, match="funds.E001"):
            call_command("check", databases=["default"])
        call_command("ledger_triggers", stdout=open("/dev/null", "w"))
        call_command("check", databases=["default"])
        assert ledger.installed_triggers() == set(ledger.TRIGGERS)

    def test_migrate_puts_back_a_dropped_trigger(self):
        with connection.cursor() as cursor:
            cursor.execute(
                "DROP TRIGGER funds_entry_no_update" + (" ON funds_entry" if connection.vendor == "postgresql" else "")
            )
        assert "funds_entry_no_update" not in ledger.installed_triggers()
        call_command("migrate", "funds", verbosity=0)
        assert ledger.installed_triggers() == set(ledger.TRIGGERS)


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_ledger_through_the_maintenance_exception_and_keeps_the_triggers():
    """pytest-django flushes after every transactional test: the documented exception lets it, nothing else."""
    from apps.accounts.models import User
    from apps.funds.models import Fund

    admin = User.objects.create_superuser("ledger.flush", "", "x")
    fund = Fund.objects.create(
        code="T-FLUSH",
        name="t",
        kind="other",
        regime="association",
        opened_on="2025-09-01",
        created_by=admin,
        org_unit_id=_any_unit().pk,
    )
    Entry.objects.create(fund=fund, kind="donation", on="2025-09-01", cash=1, recorded_by=admin)
    call_command("flush", interactive=False, verbosity=0)
    assert not Entry.objects.exists()
    assert ledger.installed_triggers() == set(ledger.TRIGGERS)


def _any_unit():
    from apps.orgunits.models import OrgUnit

    unit = OrgUnit.objects.filter(code="T9998").first()
    if unit is None:  # an earlier transactional test's flush may have emptied every table
        unit = OrgUnit.objects.create(type="province", level=1, code="T9998", name="Tỉnh thử", path="/")
        OrgUnit.objects.filter(pk=unit.pk).update(path=f"/{unit.pk}/")
    return unit
