"""Roster and census jobs move from `students.ImportJob` to the import layer's `ImportJob`, kept as they were:
a school's roster keeps its school as target and the school's managing unit; a file with a school column is
the province's of its school year; a census its commune's. Jobs caught running are marked failed."""

from django.db import migrations

KINDS = {"roster": "students.roster", "census": "students.census"}
RUNNING = {"checking", "importing"}


def forwards(apps, schema_editor):
    Old = apps.get_model("students", "ImportJob")
    New = apps.get_model("imports", "ImportJob")
    for old in Old.objects.select_related("school", "year").order_by("pk"):
        if old.commune_id:
            unit = old.commune_id
        elif old.school_id:
            unit = old.school.managed_by_id
        else:
            unit = old.year.province_id
        job = New.objects.create(
            kind=KINDS.get(old.kind, old.kind),
            org_unit_id=unit,
            target_id=old.school_id,
            params={"year": old.year_id, "checked_as": old.created_by_id},
            mapping=old.mapping,
            decisions={},  # answers are asked again in the new shape
            filename=old.filename,
            file=old.file.name,
            rejected=old.rejected.name,
            # A job still being checked or written was queued for tasks that no longer exist: it failed, and says so.
            status="failed" if old.status in RUNNING else old.status,
            failure="Hệ thống được nâng cấp trong lúc tệp đang được xử lý: hãy tải tệp lên lại."
            if old.status in RUNNING
            else "",
            progress=old.progress,
            only_valid=old.only_valid,
            summary=old.summary,
            created_by_id=old.created_by_id,
        )
        New.objects.filter(pk=job.pk).update(created_at=old.created_at)


def backwards(apps, schema_editor):
    apps.get_model("imports", "ImportJob").objects.filter(kind__in=KINDS.values()).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0001_initial"),
        ("students", "0004_import_job_kinds"),
        ("schools", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
