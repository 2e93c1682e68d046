"""The criteria sets shipped with the system (`apps.standards.catalogue`): the 2018 structure with the standards'
titles and empty, flagged criterion texts, and an empty set for the 2024 amendments — every one unverified."""

import datetime

from django.db import migrations

from apps.standards import catalogue


def ship(apps, schema_editor):
    CriteriaSet = apps.get_model("standards", "CriteriaSet")
    Standard = apps.get_model("standards", "Standard")
    Criterion = apps.get_model("standards", "Criterion")
    for code, name, circular, kind, effective, titles, counts in catalogue.SETS:
        if CriteriaSet.objects.filter(code=code).exists():
            continue
        criteria_set = CriteriaSet.objects.create(
            code=code,
            name=name,
            circular=circular,
            kind=kind,
            effective_from=datetime.date.fromisoformat(effective) if effective else None,
            verified=False,
            national_levels=dict(catalogue.RULE),
            validity_years=5,
            reregister_months=5,
            note="Tên tiêu chuẩn theo các bản tóm tắt công khai, chưa đối chiếu văn bản gốc; nội dung tiêu chí, "
            "chỉ báo chưa có.",
        )
        for number, (title, count) in enumerate(zip(titles, counts, strict=True), start=1):
            standard = Standard.objects.create(criteria_set=criteria_set, number=number, title=title)
            Criterion.objects.bulk_create([Criterion(standard=standard, number=n) for n in range(1, count + 1)])


def unship(apps, schema_editor):
    CriteriaSet = apps.get_model("standards", "CriteriaSet")
    Cycle = apps.get_model("standards", "Cycle")
    codes = [s[0] for s in catalogue.SETS]
    CriteriaSet.objects.filter(code__in=codes).exclude(pk__in=Cycle.objects.values("criteria_set")).delete()


class Migration(migrations.Migration):
    dependencies = [("standards", "0001_sets_cycles_roadmap_recognitions")]
    operations = [migrations.RunPython(ship, unship)]
