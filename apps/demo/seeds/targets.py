"""Seed step of targets: the province's defaults for 2024-2025 and 2025-2026 (seed 003: right-age enrolment
preschool 77.3 %, primary 99 %, lower secondary 99 %; retention 100 %, 99.9 %, above 99.5 %; seed 001: health
insurance ≥ 90 %), registration by 20/9, and the 2025-2026 annexes as they stood in the autumn: Trường Tiểu học
Phù Đổng approved, Trường THCS Nguyễn Huệ submitted, Trường PTDTBT TH&THCS Trà Linh returned with a comment, and
Trường PTDTBT Tiểu học Trà Nam (the principal of the cast) never registered: late, for its managing commune to
reopen."""

import datetime

from apps.demo.steps import Context
from apps.targets import catalogue
from apps.targets import services as targets
from apps.targets.models import Annex, Publication

PUBLISHED = [(r.indicator, r.level, r.comparison, r.default) for r in catalogue.ROWS if r.default is not None]
# 2025-2026: school → where its annex stands
ANNEXES = {
    "48010002": "approved",
    "48010003": "submitted",
    "48095003": "returned",
}


def seed(ctx: Context) -> None:
    province = ctx.units.get(ctx.province)
    if province is None:
        return
    for start in (2024, 2025):
        year = ctx.years.get(start)
        if year is None or Publication.objects.filter(org_unit=province, year=year).exists():
            continue
        targets.publication_publish(
            actor=ctx.admin,
            org_unit=province,
            year=year,
            deadline=datetime.date(start, 9, 20),
            rows=PUBLISHED,
            note="Kế hoạch huy động học sinh đến trường và duy trì sĩ số",
            announce=False,  # the demo's history: nobody is told of it as news
        )
    year = ctx.years.get(2025)
    if year is None:
        return
    autumn = datetime.date(2025, 9, 15)
    for moet, status in ANNEXES.items():
        school = ctx.schools.get(moet)
        if school is None or Annex.objects.filter(school=school, year=year).exists():
            continue
        annex = targets.annex_start(actor=ctx.admin, school=school, year=year, today=autumn)
        targets.annex_submit(actor=ctx.admin, annex=annex, today=autumn, announce=False)
        if status == "approved":
            targets.annex_approve(actor=ctx.admin, annex=annex, announce=False)
        elif status == "returned":
            targets.annex_return(
                actor=ctx.admin,
                annex=annex,
                comment="Chỉ tiêu huy động THCS thấp hơn thực hiện năm học trước: đề nghị trường rà soát lại.",
                announce=False,
            )
