"""Seed step of national standard schools (seed 004, years moved four years on, to the demo's: the plan of
02/3/2021 becomes one of 2025): the primary school and the kindergarten aim at national standard level II, the
lower secondary school at level I, each with its yearly construction milestones; the primary school's three-storey
block is handed over by the commune. Budgets are illustrative (the plan gives none); land-auction proceeds fund
part of them, as the plan says. Phù Đổng has opened its self-assessment on the shipped (unverified) set."""

from apps.demo.steps import Context
from apps.standards import services as standards
from apps.standards.models import ConstructionItem, Cycle, Source, Target

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
    # The shipped sets come with the migrations (a flushed test database has none: then no cycle).
    if standards.set_for(primary) is not None and not Cycle.objects.filter(school=primary).exists():
        standards.cycle_start(actor=ctx.admin, school=primary, year=2021 + SHIFT)
