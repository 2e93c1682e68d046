"""Seed step of national standard schools (seed 004, years moved four years on, to the demo's: the plan of
02/3/2021 becomes one of 2025): the primary school and the kindergarten aim at national standard level II, the
lower secondary school at level I, each with its yearly construction milestones; the primary school's three-storey
block is handed over by the commune. Budgets are illustrative (the plan gives none); land-auction proceeds fund
part of them, as the plan says. Phù Đổng has opened its self-assessment on the shipped (unverified) set.
The commune's steering committee is led by its vice-chair, gives the head of the health station the school-health
duty, the Fatherland Front and the unions the campaigning, the Youth Union the summer activities, reports yearly to
the Party committee and reviews at mid-term (end of 2023 → 2027); the plan names positions, not people, and gives
no decision number."""

import datetime

from apps.demo.steps import Context
from apps.standards import committee_services as committees
from apps.standards import services as standards
from apps.standards.models import ConstructionItem, Cycle, Source, SteeringCommittee, SteeringMember, Target

SHIFT = 4  # seed 004's years → the demo's
KINDERGARTEN, PRIMARY, LOWER_SECONDARY = "48010001", "48010002", "48010003"
TARGETS = [(PRIMARY, 2, 2023), (KINDERGARTEN, 2, 2024), (LOWER_SECONDARY, 1, 2024)]
M = 1_000_000
# school, kind, name, seed year, investor, budget (illustrative), status, land-auction share
ITEMS = [
    (LOWER_SECONDARY, "administration", "Nhà hiệu bộ", 2021, "UBND xã", 4_500 * M, "in_use", 3_000 * M),
    (LOWER_SECONDARY, "functional", "Phòng học chức năng 2 tầng", 2021, "UBND xã", 6_000 * M, "in_use", 4_000 * M),
    (LOWER_SECONDARY, "guard", "Nhà bảo vệ", 2022, "UBND xã", 300 * M, "building", 0),
    (LOWER_SECONDARY, "parking", "Nhà để xe", 2022, "UBND xã", 500 * M, "planned", 0),
    (LOWER_SECONDARY, "walls", "Tường bao", 2023, "UBND xã", 800 * M, "planned", 0),
    (LOWER_SECONDARY, "gate", "Cổng trường", 2023, "UBND xã", 400 * M, "planned", 0),
    (
        PRIMARY,
        "classrooms",
        "Nhà hiệu bộ và phòng học 03 tầng (nhận bàn giao từ UBND xã)",
        2021,
        "UBND xã",
        9_000 * M,
        "handed_over",
        6_000 * M,
    ),
    (PRIMARY, "hall", "Nhà tập đa năng", 2022, "UBND xã", 3_500 * M, "planned", 2_000 * M),
    (PRIMARY, "canteen", "Nhà ăn", 2022, "UBND xã", 1_500 * M, "planned", 0),
    (PRIMARY, "drainage", "Hệ thống cống", 2022, "UBND xã", 600 * M, "planned", 0),
    (PRIMARY, "playground", "Sân chơi", 2023, "Nhà trường", 400 * M, "planned", 0),
    (PRIMARY, "walls", "Tường bao", 2023, "UBND xã", 700 * M, "planned", 0),
    (PRIMARY, "pool", "Bể bơi", 2023, "UBND xã", 2_500 * M, "planned", 0),
    (KINDERGARTEN, "land", "Mở rộng khuôn viên trường", 2022, "UBND xã", 2_000 * M, "planned", 2_000 * M),
    (KINDERGARTEN, "hall", "Nhà tập đa năng", 2023, "UBND xã", 3_000 * M, "planned", 0),
    (KINDERGARTEN, "classrooms", "Phòng học", 2023, "UBND xã", 2_500 * M, "planned", 0),
    (KINDERGARTEN, "equipment", "Trang thiết bị, công trình phụ trợ", 2024, "Nhà trường", 800 * M, "planned", 0),
]


def seed(ctx: Context) -> None:
    schools = {moet: ctx.schools.get(moet) for moet in (KINDERGARTEN, PRIMARY, LOWER_SECONDARY)}
    if not all(schools.values()):
        return
    for moet, level, year in TARGETS:
        if not Target.objects.filter(school=schools[moet], level=level).exists():
            standards.target_set(actor=ctx.admin, school=schools[moet], level=level, year=year + SHIFT)
    for moet, kind, name, year, investor, budget, status, land in ITEMS:
        school = schools[moet]
        if ConstructionItem.objects.filter(school=school, kind=kind, name=name).exists():
            continue
        item = standards.item_create(
            actor=ctx.admin,
            school=school,
            kind=kind,
            name=name,
            year=year + SHIFT,
            investor=investor,
            budget=budget,
            status=status,
            percent=100 if status in ("handed_over", "in_use") else (40 if status == "building" else 0),
            note="Kinh phí minh họa",
        )
        if land:
            standards.funding_add(
                actor=ctx.admin, item=item, source=Source.LAND, amount=land, note="Đấu giá đất ở, đất dôi dư xen kẽ"
            )
    primary = schools[PRIMARY]
    seed_committee(ctx, primary.managed_by)
    # The shipped sets come with the migrations (a flushed test database has none: then no cycle).
    if standards.set_for(primary) is not None and not Cycle.objects.filter(school=primary).exists():
        standards.cycle_start(actor=ctx.admin, school=primary, year=2021 + SHIFT)


PLAN_DAY = datetime.date(2021 + SHIFT, 3, 2)  # the plan's day, seed 004's "ngày 02 tháng 3 năm 2021"
# role, position, duty in words (seed 004, section III), the duty given as a task (none: the words only)
MEMBERS = [
    ("head", "Phó Chủ tịch UBND", "Trưởng ban; báo cáo Đảng ủy và cấp trên kết quả thực hiện hằng năm", None),
    (
        "member",
        "Trưởng trạm y tế",
        "Tham mưu chỉ đạo, hướng dẫn hoạt động Y tế học đường",
        "Tham mưu chỉ đạo, hướng dẫn hoạt động Y tế học đường",
    ),
    (
        "member",
        "Chủ tịch UB MTTQ",
        "Tuyên truyền đoàn viên, hội viên, phụ huynh ủng hộ và tham gia xây dựng trường chuẩn Quốc gia",
        "Tuyên truyền, vận động xã hội hóa đầu tư cơ sở vật chất các nhà trường",
    ),
    (
        "member",
        "Bí thư Đoàn thanh niên",
        "Tổ chức các phong trào thiết thực, lành mạnh cho thanh thiếu nhi dịp hè và các ngày kỷ niệm",
        None,
    ),
    ("member", "Hiệu trưởng các nhà trường", "Rà soát tiêu chí, xây dựng kế hoạch hằng năm, tham mưu UBND", None),
]


def seed_committee(ctx: Context, commune) -> None:
    if SteeringCommittee.objects.filter(org_unit=commune).exists():
        return
    committee = committees.committee_create(
        actor=ctx.admin,
        org_unit=commune,
        name=f"Ban chỉ đạo xây dựng trường chuẩn Quốc gia {commune.name} giai đoạn {2021 + SHIFT}-{2025 + SHIFT}",
        decision_number="",
        decision_date=PLAN_DAY,
        issuer=f"Ủy ban nhân dân {commune.name}",
        period_from=2021 + SHIFT,
        period_to=2025 + SHIFT,
        review_on=datetime.date(2023 + SHIFT, 12, 31),
    )
    for role, position, duty, task in MEMBERS:
        member = committees.committee_member_add(
            actor=ctx.admin, committee=committee, name="", position=position, role=role, duty=duty
        )
        if task:
            committees.committee_duty_add(
                actor=ctx.admin, member=member, title=task, due_on=datetime.date(2025 + SHIFT, 12, 31)
            )
        if role == SteeringMember.Role.HEAD:
            for year in range(2021 + SHIFT, 2026 + SHIFT):
                committees.committee_duty_add(
                    actor=ctx.admin,
                    member=member,
                    title=f"Báo cáo Đảng ủy kết quả thực hiện kế hoạch năm {year}",
                    due_on=datetime.date(year, 12, 31),
                )
            committees.committee_duty_add(
                actor=ctx.admin,
                member=member,
                title="Sơ kết, đánh giá giữa nhiệm kỳ việc thực hiện kế hoạch",
                due_on=datetime.date(2023 + SHIFT, 12, 31),
            )
