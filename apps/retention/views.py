from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from apps.core.forms import add_service_errors
from apps.core.scoping import VIEW
from apps.orgunits.models import OrgUnit
from apps.retention import selectors, services
from apps.retention.forms import RulesForm, initial_of
from apps.retention.models import Level
from apps.retention.site import may_open_retention, may_open_rules
from apps.schools.models import School, SchoolYear
from apps.schools.selectors import default_year
from apps.students.records import record_classes


def _pick(queryset, value: str):
    return queryset.filter(pk=value).first() if value.isdigit() and len(value) < 10 else None


@login_required
def at_risk_list(request):
    """The students at medium or high risk, with the reasons in words: by class, school or commune."""
    if not may_open_retention(request.user):
        raise PermissionDenied
    years = SchoolYear.objects.restrict(request.user, VIEW).order_by("-start_year")
    year = _pick(years, request.GET.get("year", "")) or default_year(years)
    classes = (
        record_classes(request.user, VIEW).filter(year=year).select_related("school").order_by("school__name", "name")
    )
    schools = School.objects.restrict(request.user, VIEW).order_by("name")
    communes = (
        OrgUnit.objects.current().restrict(request.user, VIEW).filter(level=OrgUnit.Level.COMMUNE).order_by("name")
    )
    chosen = {
        "class_group": _pick(classes, request.GET.get("class_group", "")),
        "school": _pick(schools, request.GET.get("school", "")),
        "commune": _pick(communes, request.GET.get("commune", "")),
    }
    levels = (Level.HIGH,) if request.GET.get("level") == "high" else (Level.MEDIUM, Level.HIGH)
    page = (
        selectors.at_risk_page(request.user, year=year, levels=levels, page=request.GET.get("page"), **chosen)
        if year
        else None
    )
    return render(
        request,
        "retention/list.html",
        {
            "page": page,
            "years": years,
            "year": year,
            "classes": classes[:300],
            "schools": schools[:300],
            "communes": communes[:300],
            "chosen": chosen,
            "only_high": levels == (Level.HIGH,),
        },
    )


@login_required
def rules_edit(request):
    """A province's early-warning rules, edited by its officers (audited); effective at the next recompute."""
    if not may_open_rules(request.user):
        raise PermissionDenied
    provinces = selectors.editable_provinces(request.user)
    province = _pick(provinces, request.GET.get("province", "")) or provinces.first()
    rules = selectors.rules_of(province)
    form = RulesForm(request.POST or None, initial=initial_of(rules))
    if request.method == "POST" and form.is_valid():
        try:
            services.rules_update(actor=request.user, province=province, **form.service_args())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Đã lưu quy tắc; mức nguy cơ được tính lại trong lần tính tiếp theo (hằng ngày).")
            )
            return redirect(f"{request.path}?province={province.pk}")
    return render(
        request,
        "retention/rules.html",
        {"form": form, "province": province, "provinces": provinces},
        status=400 if request.method == "POST" else 200,
    )
