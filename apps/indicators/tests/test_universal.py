"""Universal education: one child short fails by one; the ĐBKK designation's lower threshold flips it; a missing
attested input leaves the level "not evaluable", never a pass."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction

from apps.core.models import AuditEvent
from apps.indicators import services, universal
from apps.indicators.models import Threshold
from apps.orgunits.models import Designation
from apps.students.hooks import census_written
from apps.students.models import CensusRecord, Child

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def tp(cast):
    """The test province, with ten 5-year-olds in Xã Hai's census, nine of them in kindergarten."""
    from apps.indicators.tests.province import build

    tp = build(cast.admin)
    records = []
    for i in range(10):
        child = Child.objects.create(
            full_name=f"k{i}", name_folded=f"k{i}", birth_year=2020, sex="F", commune=tp.y, hamlet=tp.h3
        )
        records.append(
            CensusRecord(
                child=child,
                year=tp.year,
                hamlet=tp.h3,
                status="in_school" if i < 9 else "not_in_school",
                grade="MG5" if i < 9 else "",
            )
        )
    with transaction.atomic():
        census_written([r.pk for r in CensusRecord.objects.bulk_create(records)])
    return tp


def preschool(tp):
    return next(r for r in universal.evaluate(tp.y, tp.year)["levels"] if r.level == "preschool_5")


def attest_all(tp, cast):
    for criterion in ("preschool_programme_5", "conditions_preschool"):
        services.attested_input_set(
            actor=cast.admin,
            commune=tp.y,
            year=tp.year,
            criterion=criterion,
            met=True,
            evidence="Biên bản kiểm tra số 12/BB-UBND",
        )


class TestUniversalEducation:
    def test_children_needed_are_counted_in_integers(self):
        assert universal.needed(Decimal("95"), 10) == 10  # ⌈9.5⌉
        assert universal.needed(Decimal("90"), 10) == 9
        assert universal.needed(Decimal("99.9"), 1000) == 999
        assert universal.needed(Decimal("80"), 0) == 0

    def test_one_child_short_fails_by_one_child(self, tp, cast):
        attest_all(tp, cast)
        result = preschool(tp)
        assert result.status == universal.FAILED
        [failing] = result.failing
        assert failing.threshold.criterion == "kinder5_attend"
        assert (failing.numerator, failing.denominator, failing.short) == (9, 10, 1)

    def test_the_dbkk_designation_on_the_count_day_flips_it_to_passing(self, tp, cast):
        attest_all(tp, cast)
        Designation.objects.create(
            unit=tp.y, kind=Designation.Kind.DBKK, valid_from=D(2021, 1, 1), decision_ref="QĐ 861/QĐ-TTg"
        )
        result = universal.evaluate(tp.y, tp.year)
        assert result["dbkk"] is True
        assert next(r for r in result["levels"] if r.level == "preschool_5").status == universal.PASSED

    def test_a_designation_ended_before_the_count_day_does_not_count(self, tp, cast):
        attest_all(tp, cast)
        Designation.objects.create(
            unit=tp.y,
            kind=Designation.Kind.DBKK,
            valid_from=D(2021, 1, 1),
            valid_to=D(2025, 9, 1),
            decision_ref="QĐ 861/QĐ-TTg",
        )
        assert preschool(tp).status == universal.FAILED

    def test_a_missing_attested_input_is_not_evaluable(self, tp, cast):
        Designation.objects.create(
            unit=tp.y, kind=Designation.Kind.DBKK, valid_from=D(2021, 1, 1), decision_ref="QĐ 861/QĐ-TTg"
        )
        services.attested_input_set(
            actor=cast.admin, commune=tp.y, year=tp.year, criterion="conditions_preschool", met=True, evidence="BB 1"
        )
        assert preschool(tp).status == universal.NOT_EVALUABLE  # the programme completion is not attested

    def test_a_level_needs_the_one_below(self, tp):
        levels = {r.level: r for r in universal.evaluate(tp.x, tp.year)["levels"]}
        assert levels["primary_2"].status in (universal.CHAIN, universal.FAILED, universal.NOT_EVALUABLE)
        assert levels["primary_1"].status != universal.PASSED

    def test_the_province_rolls_up_the_share_of_communes(self, tp, cast):
        attest_all(tp, cast)
        Designation.objects.create(
            unit=tp.y, kind=Designation.Kind.DBKK, valid_from=D(2021, 1, 1), decision_ref="QĐ 861/QĐ-TTg"
        )
        rollup = {r["level"]: r for r in universal.province_rollup(tp.province, tp.year)}
        assert (rollup["preschool_5"]["passed"], rollup["preschool_5"]["communes"]) == (1, 2)
        assert rollup["preschool_5"]["share"] == Decimal("50.0")


class TestThresholds:
    def test_they_are_seeded_with_the_rows_to_check_flagged(self):
        assert Threshold.objects.get(level="preschool_5", criterion="kinder5_attend").value == 95
        assert Threshold.objects.get(level="lower_2", criterion="thcs_diploma_15_18").verified is False

    def test_an_administrator_edits_one_and_it_is_audited(self, cast):
        t = Threshold.objects.get(level="preschool_5", criterion="kinder5_attend")
        services.threshold_update(actor=cast.admin, threshold=t, value=Decimal("90"))
        t.refresh_from_db()
        assert t.value == 90
        assert AuditEvent.objects.get(action="indicators.threshold_update").changes["value"] == ["95.000", "90"]

    def test_no_one_else_edits_them(self, cast):
        t = Threshold.objects.first()
        with pytest.raises(PermissionDenied):
            services.threshold_update(actor=cast.province_officer, threshold=t, value=Decimal("1"))
