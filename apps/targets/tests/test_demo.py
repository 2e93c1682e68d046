"""The demo's targets: seed 003's defaults (and seed 001's health insurance) published by the province for the two
demo years, and the 2025-2026 annexes in each state of the workflow."""

from decimal import Decimal

import pytest

from apps.schools.models import SchoolYear
from apps.targets import catalogue
from apps.targets.models import Annex, Publication, Target

pytestmark = pytest.mark.django_db


def test_the_province_published_seed_003s_values_for_both_demo_years(cast):
    for start in (2024, 2025):
        year = SchoolYear.objects.get(province=cast.province, start_year=start)
        publication = Publication.objects.get(org_unit=cast.province, year=year)
        assert publication.deadline.strftime("%d/%m") == "20/09"
        values = {
            (t.indicator, t.level): (t.comparison, t.value) for t in Target.objects.filter(publication=publication)
        }
        assert values == {
            ("enrol_net", catalogue.PRESCHOOL): (">=", Decimal("77.300")),
            ("enrol_net", catalogue.PRIMARY): (">=", Decimal("99.000")),
            ("enrol_net", catalogue.LOWER): (">=", Decimal("99.000")),
            ("retention", catalogue.PRESCHOOL): (">=", Decimal("100.000")),
            ("retention", catalogue.PRIMARY): (">=", Decimal("99.900")),
            ("retention", catalogue.LOWER): (">", Decimal("99.500")),
            ("health_insurance", catalogue.ALL): (">=", Decimal("90.000")),
        }


def test_the_2025_annexes_stand_in_each_state(cast):
    year = SchoolYear.objects.get(province=cast.province, start_year=2025)
    status = dict(Annex.objects.filter(year=year).values_list("school__moet_code", "status"))
    assert status == {"48010002": "approved", "48010003": "submitted", "48095003": "returned"}
    assert Target.objects.filter(school__moet_code="48010002", year=year).count() == 3


def test_seeding_again_adds_nothing(cast):
    from django.core.management import call_command

    before = (Publication.objects.count(), Annex.objects.count(), Target.objects.count())
    call_command("seed_demo", province="48", stdout=open("/dev/null", "w"))
    assert (Publication.objects.count(), Annex.objects.count(), Target.objects.count()) == before


def test_the_demo_s_history_tells_nobody(cast):
    from apps.notifications.models import Notification

    assert not Notification.objects.filter(kind__startswith="targets.").exists()
