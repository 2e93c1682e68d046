"""The funds' indicator for the engine (`apps.indicators.registry`): `fund_progress`, money raised this school year
(goods and help at their valuation, corrections included) over the yearly targets of the funds that have one.

A fund counts towards a school when the school or its organisation (its Parents' Association) holds it, and towards
a unit's subtree when the commune it is kept in lies there. A fund without a target that year is not measured: its
money is no progress towards anything. Two queries whatever the number of funds and targets."""

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from apps.funds.models import Entry, FundTarget
from apps.funds.selectors import VALUE
from apps.indicators.registry import ZERO, Indicator, Value, register


def _commune_path(fund) -> str:
    commune = fund.commune
    return commune.path if commune is not None else ""


def fund_progress(query) -> dict:
    year = query.year
    targets = list(
        FundTarget.objects.filter(year=year).select_related(
            "fund__school__location",
            "fund__org_unit",
            "fund__organisation__school__location",
            "fund__organisation__org_unit",
        )
    )
    raised = dict(
        Entry.objects.filter(
            fund__in=[t.fund_id for t in targets],
            donation__isnull=False,
            on__gte=year.starts_on,
            on__lte=year.ends_on,
        )
        .values("fund")
        .annotate(total=Sum(VALUE))
        .values_list("fund", "total")
    )
    result = {}
    for target in query.targets:
        value = ZERO
        for goal in targets:
            fund = goal.fund
            if target.school is not None:
                counts = target.school.pk == getattr(fund.owning_school, "pk", None)
            else:
                counts = _commune_path(fund).startswith(target.unit.path)
            if counts:
                value = value + Value(raised.get(fund.pk) or 0, goal.amount)
        result[target.key] = {"": value}
    return result


def register_indicators() -> None:
    register(
        Indicator(
            code="fund_progress",
            label=_("Tiến độ vận động quỹ"),
            compute=fund_progress,
            unit=Indicator.MONEY,
            source="funds",
            order=200,
            description=_("Số tiền vận động được trong năm học (hiện vật theo giá trị quy đổi) trên mục tiêu của quỹ."),
        )
    )
