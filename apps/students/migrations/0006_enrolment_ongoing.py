"""Enrolment.start_year and Enrolment.ongoing (filled by the next migration, then constrained by the one after)."""

from django.db import migrations, models


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
    ]
