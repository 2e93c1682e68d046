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
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from apps.core.exports import Percent, export_filename, xlsx_response
from apps.core.forms import add_service_errors
from apps.core.scoping import CHANGE, VIEW, can, get_scoped_or_404, scope_for
from apps.indicators import selectors, services, sheets, snapshots, universal
from apps.indicators.forms import (
    BREAKDOWN_NAMES,
    LEVEL_NAMES,
    AmendForm,
    AttestedInputForm,
    BreakdownForm,
    FigureFilter,
    SnapshotSearchForm,
    ThresholdForm,
)
from apps.indicators.models import Period, SnapshotRow, Threshold
from apps.indicators.registry import Target, indicators
from apps.indicators.site import may_list_students, may_open_indicators
from apps.orgunits.models import OrgUnit
from apps.schools.models import SchoolYear
from apps.students.models import ClassGroup


def _day(text: str):
    """The day asked for (`?on=2025-10-15`), or None for nothing or a day that does not exist ("2025-02-30")."""
    try:
        return parse_date(text) if text else None
    except ValueError:
        return None


# The grade tables' columns (labels for a phone's cards).
GRADE_MEASURES = {
    "enrolled": _lazy("Đang học"),
    "transfers_in": _lazy("Chuyển đến"),
    "transfers_out": _lazy("Chuyển đi"),
    "dropouts": _lazy("Bỏ học"),
    "returned": _lazy("Trở lại"),
    "insured": _lazy("BHYT"),
}


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
        kind = breakdown_form.cleaned_data["by"]
        found = selectors.breakdown(
            target, breakdown_form.cleaned_data["indicator"], year=year, period=period, level=level, kind=kind
        )
        groups = [(sheets.group_label(kind, g), v) for g, v in found]
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
        context["measure_labels"] = {**GRADE_MEASURES, "enrolled": _("Đang học cuối kỳ")}
        context["day_labels"] = GRADE_MEASURES
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


def _sheet(request, *, parts, title: str, sheet, personal: bool):
    headers, rows = sheet
    return xlsx_response(
        filename=export_filename(*parts),
        title=title,
        headers=headers,
        rows=rows,
        user=request.user,
        personal=personal,
    )


def _breakdown_export(request, target):
    """The breakdown tables: the one the page shows (`?indicator=…&by=…`), or every indicator by every breakdown
    it has when neither is given."""
    form, year, period, level = _filters(request, target)
    asked = BreakdownForm(request.GET, indicators=indicators())
    code = by = ""
    if "indicator" in request.GET or "by" in request.GET:
        if not asked.is_valid():
            raise Http404
        code, by = asked.cleaned_data["indicator"], asked.cleaned_data["by"]
    tables = []
    for indicator in indicators():
        if not indicator.breakdowns or (code and indicator.code != code):
            continue
        if level is not None and indicator.levels and level not in indicator.levels:
            continue
        for kind in [by] if by else [k for k in BREAKDOWN_NAMES if k in indicator.breakdowns]:
            groups = selectors.breakdown(target, indicator.code, year=year, period=period, level=level, kind=kind)
            tables.append((indicator, kind, groups))
    title = _("Phân tổ chỉ số %(target)s — năm học %(year)s — %(period)s") % {
        "target": target.name,
        "year": year.name,
        "period": Period(period).label,
    }
    return _sheet(
        request,
        parts=("phan-to", target.name, year.name, period, code, by),
        title=title,
        sheet=sheets.breakdown_sheet(tables),
        personal=False,
    )


def _headcount_export(request, target):
    form, year, period, level = _filters(request, target)
    below = selectors.drill_targets(request.user, target)
    heads = selectors.headcounts([target, *below], year=year, level=level)
    snapshot = selectors.snapshot_of(year)
    title = _("Sĩ số chính thức và hiện tại — %(target)s — năm học %(year)s") % {
        "target": target.name,
        "year": year.name,
    }
    return _sheet(
        request,
        parts=("si-so-chot", target.name, year.name),
        title=title,
        sheet=sheets.headcount_sheet(
            [target, *below], heads, count_day=snapshot.count_day if snapshot else year.count_on
        ),
        personal=False,
    )


@login_required
def unit_breakdown_export(request, pk: int):
    _require(request.user)
    return _breakdown_export(request, Target(unit=selectors.unit_for(request.user, pk)))


@login_required
def school_breakdown_export(request, pk: int):
    _require(request.user)
    return _breakdown_export(request, Target(school=selectors.school_for(request.user, pk)))


@login_required
def unit_headcount_export(request, pk: int):
    _require(request.user)
    return _headcount_export(request, Target(unit=selectors.unit_for(request.user, pk)))


@login_required
def school_headcount_export(request, pk: int):
    _require(request.user)
    return _headcount_export(request, Target(school=selectors.school_for(request.user, pk)))


@login_required
def school_grades_export(request, pk: int):
    """A school's counts by grade for the period, or from the year's start to a day (`?on=`), as the page."""
    _require(request.user)
    school = selectors.school_for(request.user, pk)
    form, year, period, level = _filters(request, Target(school=school))
    day = _day(request.GET.get("on", ""))
    if day is not None:
        grades = selectors.school_on_day(school, year=year, day=day)
        what = _("đến ngày %(day)s") % {"day": day.strftime("%d/%m/%Y")}
    else:
        grades = selectors.grade_table(school, year=year, period=period)
        what = Period(period).label
    title = _("Theo khối lớp — %(school)s — năm học %(year)s — %(what)s") % {
        "school": school.name,
        "year": year.name,
        "what": what,
    }
    return _sheet(
        request,
        parts=("theo-khoi", school.moet_code, year.name, day.isoformat() if day else period),
        title=title,
        sheet=sheets.grade_sheet(grades),
        personal=False,
    )


def _students(request, pk: int) -> dict:
    _require(request.user)
    if not may_list_students(request.user):
        raise Http404
    school = selectors.school_for(request.user, pk)
    target = Target(school=school)
    _form, year, period, _level = _filters(request, target)
    measure = request.GET.get("measure", "enrolled")
    grade = request.GET.get("grade", "")
    found = selectors.students_behind(request.user, school, year=year, period=period, measure=measure, grade=grade)
    return {
        "school": school,
        "year": year,
        "period": Period(period),
        "measure": measure,
        "grade": grade,
        "enrolments": found,
    }


@login_required
def school_students(request, pk: int):
    """The students behind one of a school's numbers (a logged personal-data read; partner officers get 404)."""
    return render(request, "indicators/students.html", _students(request, pk))


@login_required
def school_students_export(request, pk: int):
    """The same list as a file: the same scope, logged as the same personal-data read."""
    c = _students(request, pk)
    title = _("Học sinh sau chỉ số — %(school)s — năm học %(year)s — %(period)s") % {
        "school": c["school"].name,
        "year": c["year"].name,
        "period": c["period"].label,
    }
    return _sheet(
        request,
        parts=("hoc-sinh", c["school"].moet_code, c["year"].name, c["period"].value, c["measure"], c["grade"]),
        title=title,
        sheet=sheets.students_sheet(c["enrolments"]),
        personal=True,
    )


# ---- the snapshot -------------------------------------------------------------------------------------------------


@login_required
def snapshot_list(request):
    _require(request.user)
    years = SchoolYear.objects.restrict(request.user, VIEW).select_related("province").order_by("-start_year")
    may_take = scope_for(request.user).is_admin or "province_officer" in scope_for(request.user).roles
    rows = [(y, selectors.snapshot_of(y), may_take and can(request.user, y, CHANGE)) for y in years]
    may_amend = scope_for(request.user).is_admin or bool(scope_for(request.user).officer_paths)
    return render(request, "indicators/snapshots.html", {"rows": rows, "may_amend": may_amend})


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


def _snapshot_school(request, year_pk: int, pk: int):
    _require(request.user)
    if not may_list_students(request.user):
        raise Http404
    school = selectors.school_for(request.user, pk)
    year = get_scoped_or_404(SchoolYear.objects.all(), request.user, VIEW, pk=year_pk)
    snapshot = selectors.snapshot_of(year)
    if snapshot is None:
        raise Http404
    return school, year, snapshot, selectors.snapshot_rows(request.user, school, year)


@login_required
def snapshot_school_export(request, year_pk: int, pk: int):
    """A school's frozen rows as a file (a logged personal-data read, as the page)."""
    school, year, snapshot, rows = _snapshot_school(request, year_pk, pk)
    title = _("Số liệu chốt — %(school)s — năm học %(year)s — chốt ngày %(day)s") % {
        "school": school.name,
        "year": year.name,
        "day": snapshot.count_day.strftime("%d/%m/%Y"),
    }
    return _sheet(
        request,
        parts=("so-lieu-chot", school.moet_code, year.name),
        title=title,
        sheet=sheets.snapshot_sheet(snapshot, rows),
        personal=True,
    )


@login_required
def snapshot_school(request, year_pk: int, pk: int):
    """A school's frozen rows, their amendments, and the form to amend (for the school's managing unit)."""
    school, year, snapshot, rows = _snapshot_school(request, year_pk, pk)
    return render(
        request,
        "indicators/snapshot_school.html",
        {
            "school": school,
            "year": year,
            "snapshot": snapshot,
            "rows": rows,
            "amendments": [
                (
                    a,
                    snapshots.AMEND_FIELDS.get(a.field, a.field),
                    snapshots.describe(a.field, a.old),
                    snapshots.describe(a.field, a.new),
                )
                for a in selectors.amendments_of(school, year)
            ],
            "may_amend": can(request.user, school, CHANGE),
        },
    )


def _int(text) -> int | None:
    return int(text) if isinstance(text, str) and text.isdigit() and len(text) < 12 else None


@login_required
def snapshot_amend(request, year_pk: int):
    """Amend the snapshot, for the officers of a school's managing unit: find the row (the school, a class, a part of
    the child's name — within the user's scope, a logged read), choose the field from a list, then its new value
    from the values it may take; the service checks it again and audits the amendment."""
    _require(request.user)
    if not may_list_students(request.user):
        raise Http404
    year = get_scoped_or_404(SchoolYear.objects.all(), request.user, VIEW, pk=year_pk)
    snapshot = selectors.snapshot_of(year)
    if snapshot is None:
        raise Http404
    schools = selectors.amendable_schools(request.user, snapshot)
    if not schools:
        raise PermissionDenied
    school_id = _int(request.GET.get("school"))
    school = next((s for s in schools if s.pk == school_id), None)
    classes = list(ClassGroup.objects.filter(school=school, year=year).order_by("name")) if school else []
    search = SnapshotSearchForm(request.GET if school else None, schools=schools, classes=classes)
    found, more = [], False
    if school is not None and search.is_valid():
        found, more = selectors.snapshot_search(
            request.user,
            snapshot,
            school,
            class_id=search.cleaned_data["class_group"],
            name=search.cleaned_data["name"],
        )
    row = form = None
    status = 200
    if (row_id := _int(request.GET.get("row"))) is not None:
        row = get_scoped_or_404(
            SnapshotRow.objects.select_related("school", "enrolment__child", "class_group"),
            request.user,
            CHANGE,
            pk=row_id,
            snapshot=snapshot,
        )
        if request.method == "POST":
            form = AmendForm(request.POST, row=row, field=request.POST.get("field"))
            if form.is_valid():
                try:
                    snapshots.snapshot_amend(
                        actor=request.user,
                        row=row,
                        field=form.cleaned_data["field"],
                        new=form.cleaned_data["new"],
                        reason=form.cleaned_data["reason"],
                    )
                except ValidationError as exc:
                    add_service_errors(form, exc)
                else:
                    messages.success(request, _("Đã đính chính số liệu chốt."))
                    query = request.GET.copy()
                    query.pop("row", None)
                    query.pop("field", None)
                    return redirect(f"{reverse('indicators:snapshot_amend', args=[year.pk])}?{query.urlencode()}")
            status = 400
        else:
            field = request.GET.get("field")
            form = AmendForm(row=row, field=field, initial={"field": field})
    elif request.method == "POST":
        raise Http404
    return render(
        request,
        "indicators/snapshot_amend.html",
        {
            "year": year,
            "snapshot": snapshot,
            "search": search,
            "school": school,
            "found": found,
            "more": more,
            "row": row,
            "row_values": row
            and [
                (snapshots.AMEND_FIELDS[f], snapshots.describe(f, str(getattr(row, f)))) for f in SnapshotRow.AMENDABLE
            ],
            "form": form,
            "field_label": form and form.chosen and snapshots.AMEND_FIELDS[form.chosen],
        },
        status=status,
    )


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


@login_required
def universal_export(request, pk: int):
    """The page as a file: a commune's levels and criteria (counts, children short), or a province's roll-up."""
    _require(request.user)
    unit = selectors.unit_for(request.user, pk)
    _form, year, _period, _level = _filters(request, Target(unit=unit))
    if unit.level == OrgUnit.Level.PROVINCE:
        sheet = sheets.rollup_sheet(universal.province_rollup(unit, year))
    else:
        sheet = sheets.universal_sheet(universal.evaluate(unit, year))
    title = _("Phổ cập giáo dục — %(unit)s — năm học %(year)s") % {"unit": unit.name, "year": year.name}
    return _sheet(request, parts=("pho-cap", unit.name, year.name), title=title, sheet=sheet, personal=False)


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


def _census(request, pk: int) -> dict:
    _require(request.user)
    unit = selectors.unit_for(request.user, pk)
    _form, year, _period, _level = _filters(request, Target(unit=unit))
    try:
        age = int(request.GET.get("age", "6"))
    except ValueError:
        raise Http404 from None
    in_school = {"1": True, "0": False}.get(request.GET.get("in_school", ""))
    rows = selectors.census_children(request.user, unit, year=year, age=age, in_school=in_school)
    return {"unit": unit, "year": year, "age": age, "in_school": in_school, "rows": rows}


@login_required
def unit_census(request, pk: int):
    """The census children of an age behind a census-based number (`?age=6&in_school=0`: the 6-year-olds no school
    lists), for the officers over the unit."""
    return render(request, "indicators/census.html", _census(request, pk))


@login_required
def unit_census_export(request, pk: int):
    """The same children as a file: the same scope, logged as the same personal-data read."""
    c = _census(request, pk)
    title = _("Trẻ %(age)s tuổi trong điều tra phổ cập — %(unit)s — năm học %(year)s") % {
        "age": c["age"],
        "unit": c["unit"].name,
        "year": c["year"].name,
    }
    if c["in_school"] is False:
        title += " — " + _("chưa đi học")
    return _sheet(
        request,
        parts=("tre-dieu-tra", c["unit"].name, c["year"].name, f"{c['age']}-tuoi"),
        title=title,
        sheet=sheets.census_sheet(c["rows"]),
        personal=True,
    )
