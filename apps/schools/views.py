from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.forms import add_service_errors, flash_service
from apps.core.scoping import CHANGE, MANAGE, can, get_scoped_or_404
from apps.orgunits.models import OrgUnit
from apps.orgunits.selectors import unit_for
from apps.schools import selectors, services
from apps.schools.forms import (
    CalendarForm,
    CatchmentForm,
    OrganisationForm,
    SchoolCreateForm,
    SchoolFilterForm,
    SchoolForm,
    SchoolYearForm,
    SiteForm,
)
from apps.schools.models import Catchment, SchoolYear


def _add_errors(form, exc: Exception) -> None:
    if isinstance(exc, ValidationError):
        add_service_errors(form, exc)
    else:  # Http404 or PermissionDenied: the unit that would manage the school is not the actor's
        form.add_error(
            None,
            _(
                "Trường có cấp THPT hoặc GDTX do Sở GDĐT quản lý; các cấp khác do UBND xã quản lý. "
                "Bạn không quản lý đơn vị đó."
            ),
        )


def _location_choices(user):
    return OrgUnit.objects.restrict(user, CHANGE).current().filter(level=OrgUnit.Level.COMMUNE).order_by("name")


@login_required
def school_list(request):
    form = SchoolFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    schools = selectors.school_list(
        request.user, q=filters.get("q") or "", level=filters.get("level"), ownership=filters.get("ownership") or ""
    )
    page = Paginator(schools, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    template = "schools/list.html#results" if request.htmx else "schools/list.html"
    return render(
        request, template, {"form": form, "page": page, "may_create": _location_choices(request.user).exists()}
    )


@login_required
def school_create(request):
    locations = _location_choices(request.user)
    if not locations.exists():
        raise PermissionDenied
    form = SchoolCreateForm(request.POST or None, locations=locations)
    if request.method == "POST" and form.is_valid():
        try:
            school = services.school_create(actor=request.user, **form.cleaned_fields())
        except (ValidationError, Http404, PermissionDenied) as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm %(name)s.") % {"name": school.name})
            return redirect("schools:detail", pk=school.pk)
    return render(
        request,
        "schools/edit.html",
        {"form": form, "title": _("Thêm trường")},
        status=400 if request.method == "POST" else 200,
    )


def _detail_context(request, school, **forms):
    may_change = can(request.user, school, CHANGE)
    may_manage = can(request.user, school, MANAGE)
    hamlets = OrgUnit.objects.current().filter(parent=school.location_id, type=OrgUnit.Type.HAMLET).order_by("name")
    return {
        "school": school,
        "catchments": Catchment.objects.filter(school=school).select_related("unit"),
        "may_change": may_change,
        "may_manage": may_manage,
        "site_form": forms.get("site_form") or SiteForm(hamlets=hamlets),
        "organisation_form": forms.get("organisation_form") or OrganisationForm(),
    }


@login_required
def school_detail(request, pk: int):
    school = selectors.school_for(request.user, pk)
    return render(request, "schools/detail.html", _detail_context(request, school))


@login_required
def school_edit(request, pk: int):
    school = selectors.school_for(request.user, pk, CHANGE)
    initial = {
        "name": school.name,
        "levels": [lv.value for lv in school.level_list],
        "ownership": school.ownership,
        "address": school.address,
        "phone": school.phone,
        "email": school.email,
    }
    form = SchoolForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.school_update(actor=request.user, school=school, **form.cleaned_fields())
        except (ValidationError, Http404, PermissionDenied) as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu thông tin trường."))
            return redirect("schools:detail", pk=school.pk)
    return render(
        request,
        "schools/edit.html",
        {"school": school, "form": form, "title": school.name},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def site_create(request, pk: int):
    school = selectors.school_for(request.user, pk, CHANGE)
    hamlets = OrgUnit.objects.current().filter(parent=school.location_id, type=OrgUnit.Type.HAMLET)
    form = SiteForm(request.POST, hamlets=hamlets)
    return _add_on_page(request, school, "site_form", form, services.site_create, _("Đã thêm điểm trường."))


@login_required
@require_POST
def organisation_create(request, pk: int):
    school = selectors.school_for(request.user, pk, MANAGE)
    form = OrganisationForm(request.POST)
    return _add_on_page(request, school, "organisation_form", form, services.organisation_create, _("Đã thêm tổ chức."))


@login_required
@require_POST
def unit_organisation_create(request, pk: int):
    """A partner organisation of a province or commune, added from the unit's page (its panel is this app's)."""
    unit = unit_for(request.user, pk, CHANGE)
    flash_service(
        request,
        OrganisationForm(request.POST),
        lambda **data: services.organisation_create(actor=request.user, org_unit=unit, **data),
        lambda org: _("Đã thêm %(name)s.") % {"name": org.name},
    )
    return redirect("orgunits:detail", pk=unit.pk)


def _add_on_page(request, school, form_name: str, form, create, done: str):
    """A form on the school's page: written through its service, or the page again with the form's errors."""
    if form.is_valid():
        try:
            create(actor=request.user, school=school, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("schools:detail", pk=school.pk)
    return render(request, "schools/detail.html", _detail_context(request, school, **{form_name: form}), status=400)


def _provinces_governed(user):
    return OrgUnit.objects.restrict(user, CHANGE).current().filter(level=OrgUnit.Level.PROVINCE).order_by("name")


@login_required
def year_list(request):
    years = (
        SchoolYear.objects.restrict(request.user)
        .select_related("province")
        .prefetch_related("semesters", "phases")
        .order_by("province__name", "-start_year")
    )
    editable = set(SchoolYear.objects.restrict(request.user, CHANGE).values_list("pk", flat=True))
    return render(
        request,
        "schools/years.html",
        {"years": years, "editable": editable, "may_create": _provinces_governed(request.user).exists()},
    )


@login_required
def year_create(request):
    provinces = _provinces_governed(request.user)
    if not provinces.exists():
        raise PermissionDenied
    form = SchoolYearForm(request.POST or None, provinces=provinces, initial={"province": provinces.first()})
    if request.method == "POST" and form.is_valid():
        try:
            services.school_year_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Đã khai báo năm học."))
            return redirect("schools:years")
    return render(
        request,
        "schools/edit.html",
        {"form": form, "title": _("Khai báo năm học")},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def year_edit(request, pk: int):
    year = get_scoped_or_404(SchoolYear.objects.select_related("province"), request.user, CHANGE, pk=pk)
    form = CalendarForm(request.POST or None, initial=services.calendar_of(year))
    if request.method == "POST" and form.is_valid():
        try:
            services.school_year_update(actor=request.user, year=year, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu lịch năm học."))
            return redirect("schools:years")
    return render(
        request,
        "schools/edit.html",
        {"form": form, "title": _("Năm học %(year)s — %(province)s") % {"year": year, "province": year.province}},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def catchment_edit(request, pk: int):
    """The school's catchment per level, set by its managing unit: the hamlets of its commune, or the commune."""
    school = selectors.school_for(request.user, pk, CHANGE)
    levels = [lv for lv in services.CATCHMENT_LEVELS if school.teaches(lv)]
    units = (
        OrgUnit.objects.current()
        .filter(Q(pk=school.location_id) | Q(parent=school.location_id, type=OrgUnit.Type.HAMLET))
        .order_by("level", "name")
    )
    initial = {}
    for row in Catchment.objects.filter(school=school).values("level", "unit_id"):
        initial.setdefault(f"level_{row['level']}", []).append(row["unit_id"])
    form = CatchmentForm(request.POST or None, levels=levels, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            for level in levels:
                services.catchment_set(
                    actor=request.user, school=school, level=level, units=form.cleaned_data[f"level_{int(level)}"]
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu địa bàn tuyển sinh."))
            return redirect("schools:detail", pk=school.pk)
    return render(
        request,
        "schools/edit.html",
        {"form": form, "title": _("Địa bàn tuyển sinh — %(school)s") % {"school": school.name}},
        status=400 if request.method == "POST" else 200,
    )
