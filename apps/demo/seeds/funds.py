"""Seed step of funds: seed 000's four funds of Trường PTDTBT Tiểu học Trà Nam (study promotion over 4 million ₫ a
year, studious poor students over 3 million, 18 million ₫ in money and goods for facilities, the Parents'
Association's 10 million) and seed 002's study-promotion fund of Hội Khuyến học xã Trà Linh, with the demo year's
targets and a year of donations, pledges and payouts (books and clothes in September, awards in January and May,
gifts at Tết, a repair carried out after its usage plan was posted), and a Parents' Association partner officer.
Donor names are made up and checked against every demo child and guardian: none contains one."""

import datetime
import re
from decimal import Decimal

from apps.accounts import services as accounts
from apps.accounts.models import Role, User
from apps.core.text import fold
from apps.demo.steps import Context
from apps.funds import services as funds
from apps.funds.models import DonationKind, Fund, Kind, Payout, Regime
from apps.schools.models import Organisation
from apps.students.models import Child, Enrolment, Guardian

SCHOOL = "48095002"  # Trường PTDTBT Tiểu học Trà Nam
YEAR = 2025
PARENTS_OFFICER = ("cmhs.tranam", "Võ Thị Mai Hương")  # Trưởng ban đại diện CMHS
D = datetime.date

# code, name, kind, regime, owner ("school" or an organisation's name), target, who records
FUNDS = [
    (
        "KH-TRANAM",
        "Quỹ khuyến học Trường PTDTBT TH Trà Nam",
        Kind.STUDY_PROMOTION,
        Regime.ASSOCIATION,
        "school",
        4_000_000,
    ),
    (
        "HH-TRANAM",
        "Quỹ hiếu học, chăm lo học sinh nghèo Trường PTDTBT TH Trà Nam",
        Kind.POOR_STUDENTS,
        Regime.ASSOCIATION,
        "school",
        3_000_000,
    ),
    (
        "CSVC-TRANAM",
        "Quỹ hỗ trợ xây dựng cơ sở vật chất Trường PTDTBT TH Trà Nam",
        Kind.FACILITIES,
        Regime.SPONSORSHIP,
        "school",
        18_000_000,
    ),
    (
        "CMHS-TRANAM",
        "Quỹ Ban đại diện CMHS Trường PTDTBT TH Trà Nam",
        Kind.PARENTS_ASSOCIATION,
        Regime.PARENTS_ASSOCIATION,
        "Ban đại diện CMHS Trường PTDTBT TH Trà Nam",
        10_000_000,
    ),
    (
        "KH-TRALINH",
        "Quỹ khuyến học xã Trà Linh",
        Kind.STUDY_PROMOTION,
        Regime.ASSOCIATION,
        "Hội Khuyến học xã Trà Linh",
        15_000_000,
    ),
]

# name, kind, phone, named in public
DONORS = [
    ("Công ty TNHH Nông sản Sâm Ngọc Linh Xanh", "business", "0235 3880 101", True),
    ("Hợp tác xã Dược liệu Trà Linh Thịnh Vượng", "business", "0235 3880 202", True),
    ("Cửa hàng Vật liệu xây dựng Phúc Hưng Thịnh", "business", "0905 110 303", True),
    ("Ngân hàng Chính sách xã hội (Phòng giao dịch thử nghiệm)", "organisation", "0235 3880 404", False),
    ("Ông Tôn Thất Khải Hoàn", "person", "0905 220 505", True),
    ("Bà Công Tằng Tôn Nữ Diệu Hiền", "person", "0905 330 606", False),
    ("Ông Lâm Vĩnh Trường An", "person", "0905 440 707", True),
    ("Bà Mạc Thị Hạnh Phúc Thử", "person", "", False),
]


def seed(ctx: Context) -> None:
    if SCHOOL not in ctx.schools or Fund.objects.filter(code="KH-TRANAM").exists():
        return
    school = ctx.schools[SCHOOL]
    commune = school.location
    principal = User.objects.get(username="hieutruong.tranam")
    association = User.objects.get(username="khuyenhoc.tralinh")
    parents = _parents_officer(ctx, school)
    _assert_no_child_name([name for name, *_ in DONORS])

    year = ctx.years[YEAR]
    made = {}
    for code, name, kind, regime, owner, target in FUNDS:
        actor = principal if owner == "school" else parents if regime == Regime.PARENTS_ASSOCIATION else association
        where = {"school": school} if owner == "school" else {"organisation": Organisation.objects.get(name=owner)}
        fund = funds.fund_create(
            actor=actor, code=code, name=name, kind=kind, regime=regime, opened_on=D(2025, 8, 15), **where
        )
        funds.fund_target_set(actor=actor, fund=fund, year=year, amount=target)
        made[code] = (fund, actor)

    donors = {}
    for name, kind, phone, public in DONORS:
        donors[name] = funds.donor_create(
            actor=principal,
            kind=kind,
            name=name,
            org_unit=commune,
            phone=phone,
            named_in_public=public,
            named_until=D(2027, 6, 30) if public else None,
        )
    d = list(donors.values())

    def give(code, on, amount=None, donor=None, **goods):
        fund, actor = made[code]
        kind = DonationKind.CASH if amount else goods.pop("kind", DonationKind.IN_KIND)
        return funds.donation_record(
            actor=actor,
            fund=fund,
            kind=kind,
            received_on=on,
            received_by=actor.full_name,
            donor=donor,
            amount=amount,
            campaign=goods.pop("campaign", ""),
            **goods,
        )

    def pay(code, on, purpose, amount=0, students=0, **extra):
        fund, actor = made[code]
        recipients = Payout.Recipients.STUDENTS if students else extra.pop("recipients", Payout.Recipients.PURPOSE)
        return funds.payout_record(
            actor=actor,
            fund=fund,
            purpose=purpose,
            recipients=recipients,
            paid_on=on,
            amount=amount,
            school=school if students else None,
            recipient_count=students,
            **extra,
        )

    # September: books and clothes for poor students, the year's first gifts.
    give("HH-TRANAM", D(2025, 9, 3), 1_500_000, d[0], campaign="Chăm lo năm học mới 2025-2026")
    give(
        "HH-TRANAM",
        D(2025, 9, 3),
        donor=d[4],
        description="Vở ô li",
        quantity=Decimal(200),
        unit="quyển",
        valuation=1_600_000,
        campaign="Chăm lo năm học mới 2025-2026",
    )
    give(
        "HH-TRANAM",
        D(2025, 9, 4),
        donor=d[6],
        description="Bộ quần áo đồng phục",
        quantity=Decimal(30),
        unit="bộ",
        valuation=3_000_000,
        campaign="Chăm lo năm học mới 2025-2026",
    )
    books = pay("HH-TRANAM", D(2025, 9, 8), "books_clothes", students=24, item="Vở ô li (quyển)", quantity=Decimal(120))
    pay("HH-TRANAM", D(2025, 9, 8), "books_clothes", students=4, item="Bộ quần áo đồng phục (bộ)", quantity=Decimal(4))
    give("KH-TRANAM", D(2025, 9, 10), 1_000_000, d[1])
    give("KH-TRANAM", D(2025, 9, 10), 300_000)  # anonymous
    pay("KH-TRANAM", D(2025, 9, 15), "student_award", 600_000, students=6)  # poor students who overcame hardship

    # The Parents' Association: voluntary gifts at the first parents' meeting, spent as its board agreed.
    for on, amount, donor in (
        (D(2025, 9, 20), 2_000_000, d[5]),
        (D(2025, 9, 20), 1_500_000, None),
        (D(2025, 9, 21), 3_000_000, d[7]),
    ):
        give("CMHS-TRANAM", on, amount, donor, campaign="Hội nghị cha mẹ học sinh đầu năm")
    pay(
        "CMHS-TRANAM",
        D(2025, 11, 18),
        "educational_activity",
        1_200_000,
        board_agreement="Biên bản họp Ban đại diện CMHS ngày 10/11/2025",
        note="Hội diễn chào mừng 20/11",
    )

    # 2 October, the Study Promotion Association's day; seed 002's scholarships and "Tiếp bước đến trường".
    give("KH-TRALINH", D(2025, 10, 2), 5_000_000, d[3], campaign="Ngày Khuyến học Việt Nam 2/10")
    give("KH-TRALINH", D(2025, 10, 2), 2_000_000, d[1], campaign="Ngày Khuyến học Việt Nam 2/10")
    give("KH-TRALINH", D(2025, 10, 3), 500_000)
    pay("KH-TRALINH", D(2025, 10, 15), "scholarship", 3_000_000, students=6)
    pay("KH-TRALINH", D(2025, 10, 15), "gift_tiep_buoc", 1_200_000, students=3)

    # Facilities: the sponsorship's usage plan posted for 15 working days, then the repair.
    give("CSVC-TRANAM", D(2025, 9, 25), 6_000_000, d[2], campaign="Sửa chữa phòng học điểm trường")
    give(
        "CSVC-TRANAM",
        D(2025, 9, 26),
        donor=d[2],
        description="Xi măng",
        quantity=Decimal(40),
        unit="bao",
        valuation=3_600_000,
        campaign="Sửa chữa phòng học điểm trường",
    )
    give(
        "CSVC-TRANAM",
        D(2025, 9, 27),
        kind=DonationKind.NON_MATERIAL,
        description="12 ngày công sửa mái lớp học",
        valuation=3_600_000,
        donor=d[4],
    )
    plan = funds.usage_plan_post(
        actor=principal,
        fund=made["CSVC-TRANAM"][0],
        title="Sửa mái và lát nền phòng học điểm trường",
        amount=9_000_000,
        posted_on=D(2025, 10, 6),
    )
    pay("CSVC-TRANAM", D(2025, 11, 10), "construction", 5_000_000, usage_plan=plan)
    pay("CSVC-TRANAM", D(2025, 11, 10), "construction", item="Xi măng (bao)", quantity=Decimal(40), usage_plan=plan)

    # A business pledges in two instalments: the first paid in December, the second due in March and missed.
    fund, _actor = made["CSVC-TRANAM"]
    pledge = funds.pledge_record(
        actor=principal,
        fund=fund,
        donor=d[0],
        made_on=D(2025, 11, 20),
        instalments=[(D(2025, 12, 15), 3_000_000), (D(2026, 3, 15), 3_000_000)],
        campaign="Sửa chữa phòng học điểm trường",
    )
    give("CSVC-TRANAM", D(2025, 12, 14), 3_000_000, d[0], instalment=pledge.instalments.first())

    # January awards, Tết gifts, May awards.
    give("KH-TRANAM", D(2026, 1, 5), 1_500_000, d[6])
    pay("KH-TRANAM", D(2026, 1, 12), "student_award", 900_000, students=9)
    give("HH-TRANAM", D(2026, 2, 2), 2_000_000, d[0], campaign="Tết cho em")
    pay("HH-TRANAM", D(2026, 2, 10), "gift_tet", 1_800_000, students=12)
    pay("KH-TRANAM", D(2026, 2, 10), "teacher_hardship", 500_000, recipients=Payout.Recipients.TEACHERS)
    pay(
        "CMHS-TRANAM",
        D(2026, 2, 11),
        "gift_tet",
        2_000_000,
        students=20,
        board_agreement="Biên bản họp Ban đại diện CMHS ngày 20/01/2026",
    )
    give("KH-TRANAM", D(2026, 4, 20), 1_200_000, d[4])
    pay("KH-TRANAM", D(2026, 5, 20), "student_award", 1_000_000, students=10)
    pay("KH-TRANAM", D(2026, 5, 20), "teacher_award", 400_000, recipients=Payout.Recipients.TEACHERS)

    # The school's staff name the children of the September books payout (never shown outside the school).
    children = [e.child for e in Enrolment.objects.filter(school=school, year=year).order_by("pk")[:24]]
    funds.payout_link_children(actor=principal, payout=books, children=children)


def _parents_officer(ctx: Context, school) -> User:
    username, full_name = PARENTS_OFFICER
    existing = User.objects.filter(username=username).first()
    if existing:
        return existing
    organisation = Organisation.objects.get(school=school, kind=Organisation.Kind.PARENTS)
    user = accounts.user_create(
        actor=ctx.admin,
        username=username,
        password=ctx.password,
        full_name=full_name,
        role=Role.PARTNER_OFFICER,
        organisation=organisation,
    )
    ctx.users[username] = user
    return user


def _assert_no_child_name(names: list[str]) -> None:
    """No donor name contains the name of a demo child or guardian (as whole words, folded): the public page names
    consenting donors, and must never seem to name a child."""
    people = {fold(n) for n in Child.objects.values_list("full_name", flat=True)}
    people |= {fold(n) for n in Guardian.objects.values_list("full_name", flat=True)}
    for name in names:
        words = f" {fold(name)} "
        clash = [p for p in people if p and re.search(rf"(^| ){re.escape(p)}( |$)", words.strip())]
        assert not clash, f"demo donor {name!r} contains the name of a demo child or guardian: {clash}"
