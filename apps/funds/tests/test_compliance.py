"""The legal rules of Circular 16/2018 (sponsorship) and Circular 55/2011 (Parents' Association)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.funds import purposes, services, workdays
from apps.funds.models import CalendarDay, Payout
from apps.funds.tests.conftest import DAY, give

pytestmark = pytest.mark.django_db


def pay(actor, fund, amount, purpose, **extra):
    fields = {"recipients": Payout.Recipients.PURPOSE, "paid_on": DAY, "amount": amount, **extra}
    return services.payout_record(actor=actor, fund=fund, purpose=purpose, **fields)


class TestPurposes:
    def test_every_forbidden_purpose_has_a_rule_to_quote(self):
        for p in purposes.purposes().values():
            if p.regimes != {"sponsorship", "parents_association", "association"}:
                assert p.rule, p.code

    @pytest.mark.parametrize("code", ["teacher_pay", "security", "cleaning", "parking", "teacher_award"])
    def test_sponsorship_spent_on_what_circular_16_forbids_is_refused_with_the_rule(self, cast, code):
        fund = services.fund_create(
            actor=cast.principal_a,
            code="T-TT16",
            name="t",
            kind="facilities",
            regime="sponsorship",
            school=cast.school_a,
            opened_on=DAY,
        )
        give(cast.principal_a, fund, 1_000_000)
        with pytest.raises(ValidationError) as error:
            pay(cast.principal_a, fund, 100_000, code)
        message = error.value.message_dict["purpose"][0]
        assert "Thông tư 16/2018/TT-BGDĐT" in message
        assert purposes.purpose(code).rule in message

    def test_a_study_promotion_fund_may_still_reward_teachers(self, cast, study_fund):
        give(cast.partner, study_fund, 1_000_000)
        assert pay(cast.partner, study_fund, 500_000, "teacher_award").amount == 500_000


class TestParentsAssociation:
    def test_only_the_association_s_partner_officers_change_it_and_the_principal_reads_it(
        self, cast, parents_fund, pa_officer
    ):
        from apps.core.scoping import CHANGE, can

        give(pa_officer, parents_fund, 2_000_000)
        assert can(cast.principal_a, parents_fund, "view")
        assert not can(cast.principal_a, parents_fund, CHANGE)
        assert not can(cast.commune_officer, parents_fund, CHANGE)
        with pytest.raises(PermissionDenied):
            give(cast.principal_a, parents_fund, 100_000)
        with pytest.raises(PermissionDenied):
            pay(cast.principal_a, parents_fund, 100_000, "gift_tet", board_agreement="BB 01")

    def test_the_principal_cannot_change_it_through_the_page_either(self, cast, client_for, parents_fund):
        from django.urls import reverse

        client = client_for(cast.principal_a)
        assert client.get(reverse("funds:detail", args=[parents_fund.pk])).status_code == 200
        response = client.post(reverse("funds:donation_new", args=[parents_fund.pk]), {"kind": "cash", "amount": "1"})
        assert response.status_code == 403

    @pytest.mark.parametrize(
        "campaign",
        [
            "Đóng quỹ hội 200.000 đ/học sinh",
            "Mức đóng mỗi phụ huynh 150.000đ",
            "Thu bình quân 100.000 đồng",
            "Mức tối thiểu 50.000",
        ],
    )
    def test_a_levy_or_per_parent_amount_is_refused_at_collection(self, cast, parents_fund, pa_officer, campaign):
        with pytest.raises(ValidationError) as error:
            give(pa_officer, parents_fund, 200_000, campaign=campaign)
        assert "Thông tư 55/2011/TT-BGDĐT" in error.value.message_dict["campaign"][0]
        assert not parents_fund.donations.exists()

    def test_a_voluntary_gift_with_a_campaign_goal_is_accepted(self, cast, parents_fund, pa_officer):
        assert give(pa_officer, parents_fund, 200_000, campaign="Vận động ủng hộ Tết cho học sinh").pk

    def test_a_pledge_cannot_be_a_levy_either(self, cast, parents_fund, pa_officer):
        donor = services.donor_create(actor=pa_officer, kind="person", name="Phụ huynh thử", org_unit=cast.commune_a)
        with pytest.raises(ValidationError):
            services.pledge_record(
                actor=pa_officer,
                fund=parents_fund,
                donor=donor,
                made_on=DAY,
                instalments=[(DAY, 100_000)],
                campaign="Mỗi học sinh 100.000 đồng",
            )

    def test_spending_needs_the_board_s_recorded_agreement(self, cast, parents_fund, pa_officer):
        give(pa_officer, parents_fund, 1_000_000)
        with pytest.raises(ValidationError) as error:
            pay(pa_officer, parents_fund, 100_000, "gift_tet")
        assert "board_agreement" in error.value.message_dict
        assert pay(
            pa_officer, parents_fund, 100_000, "gift_tet", board_agreement="Biên bản họp Ban đại diện 05/01/2026"
        )

    def test_it_refuses_what_circular_55_forbids(self, cast, parents_fund, pa_officer):
        give(pa_officer, parents_fund, 1_000_000)
        for code in ("construction", "teaching_equipment", "security"):
            with pytest.raises(ValidationError, match="Thông tư 55/2011"):
                pay(pa_officer, parents_fund, 100_000, code, board_agreement="BB 01")

    def test_its_fund_belongs_to_a_parents_association(self, cast):
        with pytest.raises(ValidationError):
            services.fund_create(
                actor=cast.admin,
                code="T-CMHS-X",
                name="x",
                kind="parents_association",
                regime="parents_association",
                school=cast.school_a,
                opened_on=DAY,
            )


class TestUsagePlans:
    def test_fifteen_working_days_without_holidays(self):
        # Posted Monday 6 October 2025: 15 working days end on Monday 27 October; carried out from the 28th.
        assert workdays.executable_on(datetime.date(2025, 10, 6)) == datetime.date(2025, 10, 28)

    def test_a_holiday_inside_the_fifteen_working_days_delays_it(self):
        # Posted Monday 18 August 2025: 1 and 2 September (Quốc khánh) fall inside, so two days later.
        assert CalendarDay.objects.filter(day=datetime.date(2025, 9, 2), kind="holiday").exists()
        assert workdays.executable_on(datetime.date(2025, 8, 18)) == datetime.date(2025, 9, 11)
        CalendarDay.objects.filter(day__in=[datetime.date(2025, 9, 1), datetime.date(2025, 9, 2)]).delete()
        assert workdays.executable_on(datetime.date(2025, 8, 18)) == datetime.date(2025, 9, 9)

    def test_a_make_up_working_day_counts(self):
        # Saturday 26 April 2025 was worked in exchange for Friday 2 May.
        assert workdays.is_working_day(datetime.date(2025, 4, 26))
        assert not workdays.is_working_day(datetime.date(2025, 5, 2))

    def test_a_plan_cannot_be_carried_out_before_its_date(self, cast, sponsorship_fund):
        give(cast.principal_a, sponsorship_fund, 5_000_000)
        plan = services.usage_plan_post(
            actor=cast.principal_a,
            fund=sponsorship_fund,
            title="Sửa mái lớp học điểm trường",
            amount=3_000_000,
            posted_on=datetime.date(2025, 8, 18),
        )
        assert plan.executable_on == datetime.date(2025, 9, 11)
        with pytest.raises(ValidationError, match="chỉ được thực hiện từ ngày 11/09/2025"):
            pay(
                cast.principal_a,
                sponsorship_fund,
                3_000_000,
                "construction",
                usage_plan=plan,
                paid_on=datetime.date(2025, 9, 10),
            )
        assert pay(
            cast.principal_a,
            sponsorship_fund,
            3_000_000,
            "construction",
            usage_plan=plan,
            paid_on=datetime.date(2025, 9, 11),
        )

    def test_sponsorship_is_spent_only_through_a_posted_plan(self, cast, sponsorship_fund):
        give(cast.principal_a, sponsorship_fund, 5_000_000)
        with pytest.raises(ValidationError) as error:
            pay(cast.principal_a, sponsorship_fund, 100_000, "construction")
        assert "usage_plan" in error.value.message_dict


class TestPayoutsToStudents:
    def test_the_school_s_staff_link_the_children_and_partner_officers_never_see_them(self, cast, study_fund):
        from apps.funds.models import PayoutRecipient
        from apps.students.models import Enrolment

        give(cast.partner, study_fund, 2_000_000)
        payout = pay(
            cast.partner,
            study_fund,
            1_500_000,
            "scholarship",
            recipients=Payout.Recipients.STUDENTS,
            school=cast.school_a,
            recipient_count=3,
        )
        children = [e.child for e in Enrolment.objects.filter(school=cast.school_a, class_group__name="1A")[:3]]
        with pytest.raises(PermissionDenied):
            services.payout_link_children(actor=cast.partner, payout=payout, children=children)
        assert services.payout_link_children(actor=cast.teacher_a, payout=payout, children=children) == 3
        assert PayoutRecipient.objects.restrict(cast.principal_a).filter(payout=payout).count() == 3
        assert PayoutRecipient.objects.restrict(cast.partner).count() == 0
        assert PayoutRecipient.objects.restrict(cast.teacher_b).count() == 0

    def test_no_more_children_than_recorded(self, cast, study_fund):
        from apps.students.models import Enrolment

        give(cast.partner, study_fund, 2_000_000)
        payout = pay(
            cast.partner,
            study_fund,
            500_000,
            "gift_tet",
            recipients=Payout.Recipients.STUDENTS,
            school=cast.school_a,
            recipient_count=1,
        )
        children = [e.child for e in Enrolment.objects.filter(school=cast.school_a)[:2]]
        with pytest.raises(ValidationError):
            services.payout_link_children(actor=cast.principal_a, payout=payout, children=children)

    def test_a_payout_to_students_names_the_school_and_the_count(self, cast, study_fund):
        give(cast.partner, study_fund, 2_000_000)
        with pytest.raises(ValidationError) as error:
            pay(cast.partner, study_fund, 500_000, "gift_tet", recipients=Payout.Recipients.STUDENTS)
        assert {"school", "recipient_count"} <= set(error.value.message_dict)

    def test_a_fund_pays_only_students_of_its_own_schools(self, cast, study_fund):
        give(cast.partner, study_fund, 2_000_000)
        with pytest.raises(ValidationError) as error:
            pay(
                cast.admin,
                study_fund,
                500_000,
                "gift_tet",
                recipients=Payout.Recipients.STUDENTS,
                school=cast.school_b,
                recipient_count=2,
            )
        assert "school" in error.value.message_dict


def test_the_public_action_reaches_totals_and_plans_never_donations_payouts_or_unconsenting_donors(cast, study_fund):
    from apps.core.scoping import PUBLIC, Scope
    from apps.funds.models import Donation, Donor, Entry, Fund

    donor = services.donor_create(actor=cast.partner, kind="person", name="Người Không Đồng Ý", org_unit=cast.commune_a)
    give(cast.partner, study_fund, 100_000, donor=donor)
    nobody = Scope()
    assert Fund.objects.within(nobody, PUBLIC).filter(pk=study_fund.pk).exists()
    assert Entry.objects.within(nobody, PUBLIC).filter(fund=study_fund).exists()
    assert not Donation.objects.within(nobody, PUBLIC).exists()
    assert not Payout.objects.within(nobody, PUBLIC).exists()
    assert not Donor.objects.within(nobody, PUBLIC).filter(pk=donor.pk).exists()
