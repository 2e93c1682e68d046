"""Planted data of the campaigns' tests: the province's Action Month 2025 (window 1/8–1/9, peak 18–25/8, reports
due 10/9, compiled by the Sở GDĐT), and in Xã Trà Linh (commune A) over its window: a child out of school enrolled,
a child who did not continue enrolled again, a dropout back, a grade-10 admission who never came, gifts and a
scholarship paid, a donation linked to the campaign; plus rows just outside the window, which must not count."""

import datetime

from apps.funds import services as funds
from apps.funds.models import DonationKind, Kind, Payout, Regime
from apps.plans import campaign_services
from apps.schools.models import SchoolYear
from apps.students.models import CensusRecord, CensusStatus, Child, Enrolment, EnrolmentEvent

STARTS, ENDS = datetime.date(2025, 8, 1), datetime.date(2025, 9, 1)
DUE = datetime.date(2025, 9, 10)
Kind_ = EnrolmentEvent.Kind


def action_month(cast, actor=None, **extra):
    fields = {
        "kind": "action_month",
        "title": "Tháng hành động vì sự nghiệp giáo dục năm 2025",
        "theme": "Tạo mọi điều kiện để học sinh đến trường, hạn chế tình trạng học sinh bỏ học giữa chừng",
        "slogan": "TÍCH CỰC HƯỞNG ỨNG “THÁNG HÀNH ĐỘNG VÌ SỰ NGHIỆP GIÁO DỤC” NĂM 2025",
        "org_unit": cast.province,
        "issuer_name": "UBND thành phố",
        "receiving_name": "Sở Giáo dục và Đào tạo",
        "starts_on": STARTS,
        "ends_on": ENDS,
        "peak_starts_on": datetime.date(2025, 8, 18),
        "peak_ends_on": datetime.date(2025, 8, 25),
        "report_due_on": DUE,
    }
    fields.update(extra)
    return campaign_services.campaign_create(actor=actor or cast.province_officer, **fields)


def _child(cast, name, birth_year=2014):
    return Child.objects.create(full_name=name, birth_year=birth_year, sex="F", commune=cast.commune_a)


def _enrol(child, school, year, grade, *events):
    enrolment = Enrolment.objects.create(
        child=child, school=school, year=year, grade=grade, start_year=year.start_year, ongoing=True
    )
    for kind, on in events:
        EnrolmentEvent.objects.create(
            enrolment=enrolment, kind=kind, on=on, reason="economic" if kind == Kind_.DROPPED_OUT else ""
        )
    return enrolment


def plant_commune_a(cast, campaign):
    """Plants in commune A what its report must show: 2 mobilised, 1 returned, 1 grade-10 absent, 3 gifts worth
    600.000 ₫, 1 scholarship of 500.000 ₫, 2.000.000 ₫ raised for the campaign."""
    last = SchoolYear.objects.get(province=cast.province, start_year=2024)
    this = SchoolYear.objects.get(province=cast.province, start_year=2025)
    out = _child(cast, "Hồ Thị Vận Động")  # out of school by the census, enrolled on 20/8
    CensusRecord.objects.create(child=out, year=this, hamlet=_hamlet(cast), status=CensusStatus.NOT_IN_SCHOOL)
    _enrol(out, cast.school_a, this, "5", (Kind_.ENROLLED, datetime.date(2025, 8, 20)))
    stopped = _child(cast, "Hồ Văn Không Tiếp Tục")  # did not continue after last year, enrolled again on 22/8
    _enrol(
        stopped,
        cast.school_a,
        last,
        "4",
        (Kind_.ENROLLED, datetime.date(2024, 9, 5)),
        (Kind_.NOT_CONTINUED, datetime.date(2025, 7, 20)),
    )
    _enrol(stopped, cast.school_a, this, "5", (Kind_.ENROLLED, datetime.date(2025, 8, 22)))
    late = _child(cast, "Hồ Văn Ngoài Đợt")  # out of school too, but enrolled after the window: not counted
    CensusRecord.objects.create(child=late, year=this, hamlet=_hamlet(cast), status=CensusStatus.NOT_IN_SCHOOL)
    _enrol(late, cast.school_a, this, "5", (Kind_.ENROLLED, datetime.date(2025, 9, 5)))
    back = _child(cast, "Hồ Thị Trở Lại")  # dropped out in the spring, back on 19/8
    _enrol(
        back,
        cast.school_a,
        last,
        "4",
        (Kind_.ENROLLED, datetime.date(2024, 9, 5)),
        (Kind_.DROPPED_OUT, datetime.date(2025, 3, 1)),
        (Kind_.RETURNED, datetime.date(2025, 8, 19)),
    )
    ten = _child(cast, "Hồ Văn Lớp Mười", birth_year=2010)  # admitted to grade 10, did not come
    _enrol(
        ten,
        cast.school_upper,
        this,
        "10",
        (Kind_.ENROLLED, datetime.date(2025, 7, 25)),
        (Kind_.NOT_CONTINUED, datetime.date(2025, 8, 28)),
    )
    fund = funds.fund_create(
        actor=cast.partner,
        code="T-CD-TL",
        name="Quỹ khuyến học xã Trà Linh (chiến dịch, thử)",
        kind=Kind.STUDY_PROMOTION,
        regime=Regime.ASSOCIATION,
        organisation=cast.organisation,
        opened_on=datetime.date(2025, 7, 1),
    )
    gift = funds.donation_record(
        actor=cast.partner,
        fund=fund,
        kind=DonationKind.CASH,
        amount=2_000_000,
        received_on=datetime.date(2025, 8, 5),
        received_by="Thủ quỹ",
        campaign="Tháng hành động 2025",
    )
    campaign_services.donation_link(actor=cast.partner, donation=gift, campaign=campaign)
    funds.donation_record(  # not linked to the campaign: not counted as raised for it
        actor=cast.partner,
        fund=fund,
        kind=DonationKind.CASH,
        amount=9_000_000,
        received_on=datetime.date(2025, 8, 6),
        received_by="Thủ quỹ",
    )
    pay = {"actor": cast.partner, "fund": fund, "recipients": Payout.Recipients.STUDENTS, "school": cast.school_a}
    funds.payout_record(
        purpose="gift_tiep_buoc", paid_on=datetime.date(2025, 8, 24), amount=600_000, recipient_count=3, **pay
    )
    funds.payout_record(
        purpose="scholarship", paid_on=datetime.date(2025, 8, 30), amount=500_000, recipient_count=1, **pay
    )
    funds.payout_record(
        purpose="gift_tet", paid_on=datetime.date(2025, 9, 20), amount=100_000, recipient_count=7, **pay
    )
    return fund


PLANTED_A = {
    "mobilised": 2,
    "returned": 1,
    "grade10_absent": 1,
    "gifts": 3,
    "gifts_value": 600_000,
    "scholarships": 1,
    "scholarships_value": 500_000,
    "raised": 2_000_000,
}


def _hamlet(cast):
    return cast.commune_a.children.filter(type="hamlet").order_by("pk").first()
