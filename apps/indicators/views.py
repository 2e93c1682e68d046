"""Pages of the indicators: a unit's or a school's figures with one level of drill-down, the breakdowns and the
official/live head count; the students behind a number; the snapshot and its amendments; universal education."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.exports import Percent, export_filename, xlsx_response
from apps.core.forms import add_service_errors
from apps.core.scoping import CHANGE, VIEW, can, get_scoped_or_404, scope_for
from apps.indicators import selectors, services, snapshots, universal
from apps.indicators.forms import (
    BREAKDOWN_NAMES,
    LEVEL_NAMES,
    AmendForm,
    AttestedInputForm,
    BreakdownForm,
    FigureFilter,
    ThresholdForm,
)
from apps.indicators.models import Period, SnapshotRow, Threshold
from apps.indicators.registry import Target, indicators
from apps.indicators.site import may_list_students, may_open_indicators
from apps.orgunits.models import OrgUnit
from apps.schools.models import SchoolYear


def _day(text: str):
    """The day asked for (`?on=2025-10-15`), or None for nothing or a day that does not exist ("2025-02-30")."""
    try:
        return parse_date(text) if text else None
    except ValueError:
        return None


def _require(user) -> None:
    if not may_open_indicators(user):
        raise PermissionDenied


@login_required
def index(request):
    _require(request.user)
    target = selectors.home_target(request.user)
    if target is None:
        raise Http404
    if target.school is not None:
        return redirect("indicators:school", pk=target.school.pk)
    return redirect("indicators:unit", pk=target.unit.pk)


def _filters(request, target):
    years = selectors.years_of(target)
    form = FigureFilter(request.GET or None, years=years)
    data = form.cleaned_data if form.is_valid() else {}
    year = selectors.year_of(target, data.get("year"))
    if year is None:
        raise Http404
    period = data.get("period") or Period.YEAR
    return form, year, period, data.get("level")


def _page(request, target, *, template="indicators/figures.html"):
    form, year, period, level = _filters(request, target)
    table = selectors.table(request.user, target, year=year, period=period, level=level)
    heads = selectors.headcounts([target, *table["below"]], year=year, level=level)
    breakdown_form = BreakdownForm(request.GET if "by" in request.GET else None, indicators=indicators())
    groups = None
    if breakdown_form.is_valid():
        groups = selectors.breakdown(
            target,
            breakdown_form.cleaned_data["indicator"],
            year=year,
            period=period,
            level=level,
            kind=breakdown_form.cleaned_data["by"],
        )
    context = {
        "form": form,
        "target": target,
        "year": year,
        "period": Period(period),
        "level_name": LEVEL_NAMES.get(level, _("Tất cả cấp học")) if level else _("Tất cả cấp học"),
        "table": table,
        "heads": heads,
        "snapshot": selectors.snapshot_of(year),
        "refreshed_at": selectors.refreshed_at([target], year),
        "breakdown_form": breakdown_form,
        "groups": groups,
        "by_name": BREAKDOWN_NAMES.get(request.GET.get("by", ""), ""),
        "may_list": may_list_students(request.user),
        "may_census": scope_for(request.user).is_admin or bool(scope_for(request.user).officer_paths),
        "before_count": timezone.localdate() <= year.count_on,
    }
    if target.school is not None:
        context["grades"] = selectors.grade_table(target.school, year=year, period=period)
        day = _day(request.GET.get("on", ""))
        if day is not None:
            context["day"] = day
            context["day_grades"] = selectors.school_on_day(target.school, year=year, day=day)
    return render(request, template, context)


@login_required
def unit_page(request, pk: int):
    _require(request.user)
    return _page(request, Target(unit=selectors.unit_for(request.user, pk)))


@login_required
def school_page(request, pk: int):
    _require(request.user)
    return _page(request, Target(school=selectors.school_for(request.user, pk)))


def _export(request, target):
    form, year, period, level = _filters(request, target)
    table = selectors.table(request.user, target, year=year, period=period, level=level)
    headers = [_("Chỉ số"), _("Đơn vị"), _("Tử số"), _("Mẫu số"), _("Tỷ lệ")]
    rows = []
    for row in table["rows"]:
        for t, value in [(target, row["value"]), *zip(table["below"], row["below"], strict=True)]:
            rate = value.rate
            rows.append(
                [
                    str(row["indicator"].label),
                    t.name,
                    value.numerator,
                    value.denominator,
                    Percent(rate) if rate is not None else None,
                ]
            )
    title = _("Chỉ số %(target)s — năm học %(year)s — %(period)s") % {
        "target": target.name,
        "year": year.name,
        "period": Period(period).label,
    }
    return xlsx_response(
        filename=export_filename("chi-so", target.name, year.name, period),
        title=title,
        headers=headers,
        rows=rows,
        user=request.user,
        personal=False,
    )


@login_required
def unit_export(request, pk: int):
    _require(request.user)
    return _export(request, Target(unit=selectors.unit_for(request.user, pk)))


@login_required
def school_export(request, pk: int):
    _require(request.user)
    return _export(request, Target(school=selectors.school_for(request.user, pk)))


@login_required
def school_students(request, pk: int):
    """The students behind one of a school's numbers (a logged personal-data read; partner officers get 404)."""
    _require(request.user)
    if not may_list_students(request.user):
        raise Http404
    school = selectors.school_for(request.user, pk)
    target = Target(school=school)
    _form, year, period, _level = _filters(request, target)
    measure = request.GET.get("measure", "enrolled")
    grade = request.GET.get("grade", "")
    found = selectors.students_behind(request.user, school, year=year, period=period, measure=measure, grade=grade)
    return render(
        request,
        "indicators/students.html",
        {
            "school": school,
            "year": year,
            "period": Period(period),
            "measure": measure,
            "grade": grade,
            "enrolments": found,
        },
    )


# ---- the snapshot -------------------------------------------------------------------------------------------------


@login_required
def snapshot_list(request):
    _require(request.user)
    years = SchoolYear.objects.restrict(request.user, VIEW).select_related("province").order_by("-start_year")
    may_take = scope_for(request.user).is_admin or "province_officer" in scope_for(request.user).roles
    rows = [(y, selectors.snapshot_of(y), may_take and can(request.user, y, CHANGE)) for y in years]
    return render(request, "indicators/snapshots.html", {"rows": rows})


@require_POST
@login_required
def snapshot_take(request, pk: int):
    _require(request.user)
    year = get_scoped_or_404(SchoolYear.objects.all(), request.user, CHANGE, pk=pk)
    try:
        snapshots.snapshot_take(actor=request.user, year=year)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã chốt số liệu năm học %(year)s.") % {"year": year.name})
    return redirect("indicators:snapshots")


@login_required
def snapshot_school(request, year_pk: int, pk: int):
    """A school's frozen rows, their amendments, and the form to amend (for the school's managing unit)."""
    _require(request.user)
    if not may_list_students(request.user):
        raise Http404
    school = selectors.school_for(request.user, pk)
    year = get_scoped_or_404(SchoolYear.objects.all(), request.user, VIEW, pk=year_pk)
    snapshot = selectors.snapshot_of(year)
    if snapshot is None:
        raise Http404
    rows = selectors.snapshot_rows(request.user, school, year)
    return render(
        request,
        "indicators/snapshot_school.html",
        {
            "school": school,
            "year": year,
            "snapshot": snapshot,
            "rows": rows,
            "amendments": selectors.amendments_of(school, year),
            "may_amend": can(request.user, school, CHANGE),
            "form": AmendForm(auto_id=False),
        },
    )


@require_POST
@login_required
def snapshot_amend(request, pk: int):
    _require(request.user)
    row = get_scoped_or_404(SnapshotRow.objects.select_related("snapshot"), request.user, CHANGE, pk=pk)
    form = AmendForm(request.POST)
    if form.is_valid():
        try:
            snapshots.snapshot_amend(actor=request.user, row=row, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Đã đính chính số liệu chốt."))
    else:
        messages.error(request, _("Hãy chọn trường dữ liệu, ghi giá trị mới và lý do."))
    return redirect("indicators:snapshot_school", year_pk=row.snapshot.year_id, pk=row.school_id)


# ---- universal education ------------------------------------------------------------------------------------------


def _to_attest(codes) -> list[tuple[str, str]]:
    """The criteria asked for as attested inputs: those the records cannot give this year."""
    return [(code, str(universal.ATTESTED[code])) for code in codes]


@login_required
def universal_page(request, pk: int):
    _require(request.user)
    unit = selectors.unit_for(request.user, pk)
    target = Target(unit=unit)
    form, year, _period, _level = _filters(request, target)
    context = {"unit": unit, "year": year, "form": form}
    if unit.level == OrgUnit.Level.PROVINCE:
        context["rollup"] = universal.province_rollup(unit, year)
    else:
        context["result"] = result = universal.evaluate(unit, year)
        context["may_attest"] = can(request.user, unit, CHANGE)
        context["attest_form"] = AttestedInputForm(criteria=_to_attest(result["to_attest"]))
    return render(request, "indicators/universal.html", context)


@require_POST
@login_required
def attested_input(request, pk: int):
    _require(request.user)
    unit = get_scoped_or_404(OrgUnit.objects.current(), request.user, CHANGE, pk=pk)
    year_id = request.POST.get("year", "")
    if not year_id.isdigit():
        raise Http404
    year = get_scoped_or_404(SchoolYear.objects.all(), request.user, VIEW, pk=int(year_id))
    form = AttestedInputForm(request.POST, criteria=_to_attest(universal.evaluate(unit, year)["to_attest"]))
    if form.is_valid():
        try:
            services.attested_input_set(actor=request.user, commune=unit, year=year, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Đã ghi số liệu xác nhận."))
    else:
        messages.error(request, _("Hãy chọn tiêu chí và ghi minh chứng."))
    return redirect(f"{reverse('indicators:universal', args=[unit.pk])}?year={year.start_year}")


@login_required
def thresholds(request):
    if not scope_for(request.user).is_admin:
        raise PermissionDenied
    rows = list(Threshold.objects.order_by("level", "criterion"))
    return render(request, "indicators/thresholds.html", {"rows": rows})


@login_required
def threshold_edit(request, pk: int):
    if not scope_for(request.user).is_admin:
        raise PermissionDenied
    threshold = get_scoped_or_404(Threshold.objects.all(), request.user, VIEW, pk=pk)
    form = ThresholdForm(request.POST or None, instance=Threshold.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.threshold_update(
                actor=request.user, threshold=threshold, **{f: form.cleaned_data[f] for f in form.Meta.fields}
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu ngưỡng phổ cập."))
            return redirect("indicators:thresholds")
    return render(
        request,
        "indicators/threshold_edit.html",
        {"form": form, "threshold": threshold},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def unit_census(request, pk: int):
    """The census children of an age behind a census-based number (`?age=6&in_school=0`: the 6-year-olds no school
    lists), for the officers over the unit."""
    _require(request.user)
    unit = selectors.unit_for(request.user, pk)
    _form, year, _period, _level = _filters(request, Target(unit=unit))
    try:
        age = int(request.GET.get("age", "6"))
    except ValueError:
        raise Http404 from None
    in_school = {"1": True, "0": False}.get(request.GET.get("in_school", ""))
    rows = selectors.census_children(request.user, unit, year=year, age=age, in_school=in_school)
    return render(
        request,
        "indicators/census.html",
        {"unit": unit, "year": year, "age": age, "in_school": in_school, "rows": rows},
    )
