"""Fill the coarse count tables from the full ones, so that the figures read from them are right from the migration
on (without waiting for `rebuild_counts`)."""

from django.db import migrations
from django.db.models import Sum

MEASURES = (
    "enrolled",
    "insured",
    "transfers_in",
    "transfers_out",
    "transfers_in_after_count",
    "transfers_out_after_count",
    "dropouts",
    "dropouts_after_count",
    "returned",
    "continuing",
    "not_continued",
    "grade9_completers",
    "grade9_not_grade10",
)


def fill(apps, schema_editor):
    EnrolmentCount = apps.get_model("indicators", "EnrolmentCount")
    EnrolmentGradeCount = apps.get_model("indicators", "EnrolmentGradeCount")
    CensusCount = apps.get_model("indicators", "CensusCount")
    CensusAgeCount = apps.get_model("indicators", "CensusAgeCount")
    keys = ("school_id", "year_id", "period", "grade")
    rows = EnrolmentCount.objects.values(*keys).annotate(**{m: Sum(m) for m in MEASURES}).order_by()
    EnrolmentGradeCount.objects.bulk_create((EnrolmentGradeCount(**row) for row in rows.iterator()), batch_size=2000)
    keys = ("hamlet_id", "year_id", "birth_year", "status", "grade", "enrolled")
    rows = CensusCount.objects.values(*keys).annotate(children=Sum("children")).order_by()
    CensusAgeCount.objects.bulk_create((CensusAgeCount(**row) for row in rows.iterator()), batch_size=2000)


def empty(apps, schema_editor):
    apps.get_model("indicators", "EnrolmentGradeCount").objects.all().delete()
    apps.get_model("indicators", "CensusAgeCount").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("indicators", "0005_enrolment_grade_count_census_age_count")]

    operations = [migrations.RunPython(fill, empty)]
