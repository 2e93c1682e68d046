"""The holiday and make-up working day table for 2025–2027, from apps/funds/data/holidays.csv (editable data)."""

from django.db import migrations


def load(apps, schema_editor):
    from apps.funds.workdays import seeded_days

    CalendarDay = apps.get_model("funds", "CalendarDay")
    for row in seeded_days():
        CalendarDay.objects.update_or_create(day=row["day"], defaults={"kind": row["kind"], "name": row["name"]})


def unload(apps, schema_editor):
    from apps.funds.workdays import seeded_days

    CalendarDay = apps.get_model("funds", "CalendarDay")
    CalendarDay.objects.filter(day__in=[row["day"] for row in seeded_days()]).delete()


class Migration(migrations.Migration):
    dependencies = [("funds", "0001_ledger")]

    operations = [migrations.RunPython(load, unload)]
