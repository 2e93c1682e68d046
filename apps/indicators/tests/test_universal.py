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


def last_years_mg5(tp, cast, *, completed: int, children: int = 10):
    """`children` 6-year-olds in Xã Hai's census (the 5-year-olds of last year), each with an MG5 enrolment of
    last year at a kindergarten of the commune, `completed` of them completed."""
    from apps.schools import services as schools
    from apps.schools.models import Level
    from apps.students import services as students

    kg = schools.school_create(
        actor=cast.admin, moet_code="97000009", name="Trường MG Hai", levels=int(Level.KINDERGARTEN), location=tp.y
    )
    records = []
    for i in range(children):
        child = Child.objects.create(
            full_name=f"m{i}", name_folded=f"m{i}", birth_year=2019, sex="M", commune=tp.y, hamlet=tp.h3
        )
        enrolment = students.enrolment_create(
            actor=cast.admin, child=child, school=kg, year=tp.last, grade="MG5", on=D(2024, 9, 5)
        )
        if i < completed:
            students.enrolment_record_event(actor=cast.admin, enrolment=enrolment, kind="completed", on=D(2025, 5, 31))
        records.append(CensusRecord(child=child, year=tp.year, hamlet=tp.h3, status="in_school", grade="1"))
    with transaction.atomic():
        census_written([r.pk for r in CensusRecord.objects.bulk_create(records)])


def programme(tp):
    return next(c for c in preschool(tp).criteria if c.threshold.criterion == "preschool_programme_5")


class TestPreschoolProgrammeCompletion:
    def test_it_is_derived_from_last_years_mg5_enrolments_where_they_exist(self, tp, cast):
        last_years_mg5(tp, cast, completed=9)
        c = programme(tp)
        assert c.derived and (c.numerator, c.denominator) == (9, 10)
        assert c.status == universal.PASSED  # ≥ 85 %: 9 of 10
        result = universal.evaluate(tp.y, tp.year)
        assert "preschool_programme_5" not in result["to_attest"]
        assert "conditions_preschool" in result["to_attest"]

    def test_a_derived_completion_short_of_the_threshold_says_by_how_many(self, tp, cast):
        last_years_mg5(tp, cast, completed=8)
        c = programme(tp)
        assert (c.status, c.numerator, c.short) == (universal.FAILED, 8, 1)  # ⌈85·10/100⌉ = 9

    def test_a_derived_completion_is_not_attested_over(self, tp, cast, client_for):
        last_years_mg5(tp, cast, completed=5)
        from django.core.exceptions import ValidationError

        with pytest.raises(ValidationError) as exc:
            services.attested_input_set(
                actor=cast.admin, commune=tp.y, year=tp.year, criterion="preschool_programme_5", met=True, evidence="x"
            )
        assert "năm học trước" in " ".join(exc.value.messages)
        page = client_for(cast.admin).get(f"/indicators/universal/{tp.y.pk}/?year=2025").content.decode()
        assert 'value="preschool_programme_5"' not in page
        assert "tính từ hồ sơ mẫu giáo 5 tuổi năm học trước" in page and "(5/10)" in page

    def test_where_last_years_mg5_enrolments_are_missing_it_is_an_attested_input(self, tp, cast, client_for):
        assert universal.preschool_completion(tp.y, tp.year) is None
        assert "preschool_programme_5" in universal.evaluate(tp.y, tp.year)["to_attest"]
        assert programme(tp).status == universal.NOT_EVALUABLE and not programme(tp).derived
        page = client_for(cast.admin).get(f"/indicators/universal/{tp.y.pk}/?year=2025").content.decode()
        assert 'value="preschool_programme_5"' in page
        attest_all(tp, cast)
        assert programme(tp).status == universal.PASSED and programme(tp).attested is not None


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
