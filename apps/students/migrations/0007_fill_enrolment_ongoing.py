"""Fill Enrolment.start_year and Enrolment.ongoing from each enrolment's school year and latest event; refuse,
naming them, children ongoing at two schools in one school year (the next migration forbids it)."""

from django.db import migrations

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


def unfill(apps, schema_editor):
    pass  # the fields go with the previous migration's reversal


class Migration(migrations.Migration):
    dependencies = [("students", "0006_enrolment_ongoing")]

    operations = [migrations.RunPython(fill, unfill)]
