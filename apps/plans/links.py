"""The linkable target kinds the plans app registers for the apps below it (`linkable.register`): a registered
target of the targets app (an indicator for a school or unit in a school year, computed live by the engine), and a
fund's campaign (money raised this school year against the target)."""

import datetime
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from apps.core.scoping import VIEW
from apps.plans import linkable
from apps.plans.progress import engine_progress


def _target_choices(user, plan):
    from apps.targets.models import Target

    qs = Target.objects.restrict(user, VIEW).select_related("year", "school", "org_unit")
    if plan.school_id:
        qs = qs.filter(school=plan.school) | qs.filter(org_unit__in=_unit_ids(plan.school.managed_by.path))
    return [
        (t.pk, f"{t.indicator} {t.get_comparison_display()} {t.value:g} · {t.school or t.org_unit} · {t.year}")
        for t in qs[:200]
    ]


def _unit_ids(path: str) -> list[int]:
    return [int(p) for p in path.strip("/").split("/") if p]


def _target_progress(obj_id: int, plan, on: datetime.date):
    from apps.targets.models import Target

    target = Target.objects.select_related("school__managed_by", "org_unit", "year").filter(pk=obj_id).first()
    if target is None:
        return None
    return engine_progress(
        target.indicator,
        target.level,
        target.comparison,
        target.value,
        school=target.school,
        unit=target.org_unit,
        year=target.year,
        on=on,
    )


def _fund_choices(user, plan):
    from apps.funds.models import Fund

    return [(f.pk, str(f)) for f in Fund.objects.restrict(user, VIEW)[:200]]


def _fund_progress(obj_id: int, plan, on: datetime.date):
    from apps.funds import selectors
    from apps.funds.models import Fund

    fund = Fund.objects.filter(pk=obj_id).first()
    if fund is None:
        return None
    raised, goal = selectors.fund_progress(fund, selectors.fund_year(fund, on))
    goal_value = Decimal(goal) if goal else None
    met = None if goal_value is None else Decimal(raised) >= goal_value
    text = _("Đã vận động %(raised)s ₫") % {"raised": f"{raised:,}".replace(",", ".")}
    if goal_value is not None:
        text += _(" / mục tiêu %(goal)s ₫") % {"goal": f"{goal:,}".replace(",", ".")}
    return linkable.Progress(Decimal(raised), goal_value, ">=", met, text)


def register() -> None:
    linkable.register(
        linkable.LinkKind("targets.target", _lazy("Chỉ tiêu đã đăng ký"), _target_choices, _target_progress)
    )
    linkable.register(linkable.LinkKind("funds.fund", _lazy("Quỹ vận động"), _fund_choices, _fund_progress))
