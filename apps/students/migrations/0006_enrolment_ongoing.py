"""Enrolment.start_year and Enrolment.ongoing, filled from each enrolment's school year and latest event, and the
constraint that a child has at most one ongoing enrolment per school year."""

from django.db import migrations, models

ONGOING = {"enrolled", "transferred_in", "returned", "repeating"}


def fill(apps, schema_editor):
    Enrolment = apps.get_model("students", "Enrolment")
    Event = apps.get_model("students", "EnrolmentEvent")
    latest = {}
    for enrolment_id, kind in Event.objects.order_by("enrolment_id", "on", "pk").values_list("enrolment_id", "kind"):
        latest[enrolment_id] = kind
    seen, clashes, changed = {}, [], []
    for enrolment in Enrolment.objects.select_related("year").order_by("pk"):
        enrolment.start_year = enrolment.year.start_year
        enrolment.ongoing = latest.get(enrolment.pk) in ONGOING
        if enrolment.ongoing:
            key = (enrolment.child_id, enrolment.start_year)
            if key in seen:
                clashes.append(f"trẻ #{enrolment.child_id}: hồ sơ #{seen[key]} và #{enrolment.pk}")
            seen[key] = enrolment.pk
        changed.append(enrolment)
    if clashes:
        raise RuntimeError(
            "Có trẻ đang học ở hai trường trong cùng năm học; hãy ghi nhận chuyển đi ở một trường rồi chạy lại: "
            + "; ".join(clashes[:20])
        )
    Enrolment.objects.bulk_update(changed, ["start_year", "ongoing"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("students", "0005_import_job_moved")]

    operations = [
        migrations.AddField(
            model_name="enrolment",
            name="start_year",
            field=models.PositiveSmallIntegerField(default=0, editable=False, verbose_name="năm học bắt đầu"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="enrolment",
            name="ongoing",
            field=models.BooleanField(default=True, editable=False, verbose_name="đang theo học"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="enrolment",
            constraint=models.UniqueConstraint(
                condition=models.Q(("ongoing", True)),
                fields=("child", "start_year"),
                name="one_ongoing_enrolment_per_year",
            ),
        ),
    ]
