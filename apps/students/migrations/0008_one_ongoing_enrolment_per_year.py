"""A child has at most one ongoing enrolment per school year."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("students", "0007_fill_enrolment_ongoing")]

    operations = [
        migrations.AddConstraint(
            model_name="enrolment",
            constraint=models.UniqueConstraint(
                condition=models.Q(("ongoing", True)),
                fields=("child", "start_year"),
                name="one_ongoing_enrolment_per_year",
            ),
        ),
    ]
