"""Seed step of plans: seed 000's plan, Trường PTDTBT Tiểu học Trà Nam's socialisation of education plan for the
demo year 2025-2026, written by its principal from the socialisation template on 5 September 2025 (its targets,
its month-by-month activities and its parties: the principal, the parents' association, the commune confirming),
with a target linked to the school's study-promotion fund (live progress from the funds' ledger), an activity of
the commune's study-promotion association over "10+11/2025" and one of the health station (an agency with no
account). It is still a draft (sending it to the parties would notify them, and the demo starts with no
notification); the first month's activity is done."""

import datetime

from apps.accounts.models import User
from apps.demo.steps import Context
from apps.plans import services as plans
from apps.plans.models import Kind, Plan, Task
from apps.schools.models import Organisation

SCHOOL = "48095002"  # Trường PTDTBT Tiểu học Trà Nam
YEAR = 2025
WRITTEN_ON = datetime.date(2025, 9, 5)
FUND = "KH-TRANAM"  # the school's study-promotion fund (the funds' step)
ASSOCIATION = "Hội Khuyến học xã Trà Linh"


def seed(ctx: Context) -> None:
    school, year = ctx.schools.get(SCHOOL), ctx.years.get(YEAR)
    if school is None or year is None:
        return
    if Plan.objects.filter(school=school, kind=Kind.SOCIALISATION, school_year=year).exists():
        return
    principal = User.objects.get(username="hieutruong.tranam")
    plan = plans.plan_create(actor=principal, kind=Kind.SOCIALISATION, school=school, school_year=year, on=WRITTEN_ON)
    _fund_target(principal, plan)
    association = Organisation.objects.filter(name=ASSOCIATION).first()
    if association is not None:
        plans.task_add(
            actor=principal,
            plan=plan,
            title="Vận động học bổng, trao quà cho học sinh vượt khó đầu năm học",
            months="10+11/2025",
            organisation=association,
        )
    plans.task_add(
        actor=principal,
        plan=plan,
        title="Khám sức khỏe định kỳ cho học sinh bán trú",
        months="1/2026",
        agency="Trưởng trạm y tế xã Trà Linh",
    )
    first = plan.tasks.order_by("due_on", "order").first()
    plans.task_set_status(
        actor=principal,
        task=first,
        status=Task.Status.DONE,
        note="Đã xây dựng kế hoạch; Hội đồng giáo dục trường được củng cố ngày 12/9/2025.",
    )


def _fund_target(principal, plan) -> None:
    from apps.funds.models import Fund

    fund = Fund.objects.filter(code=FUND).first()
    if fund is None:
        return
    plans.target_add(
        actor=principal,
        plan=plan,
        label="Vận động Quỹ khuyến học của trường",
        mode="computed",
        link_kind="funds.fund",
        link_id=fund.pk,
        comparison=">=",
        value="4000000",
    )
