from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from apps.core.scoping import CHANGE, can
from apps.schools import selectors, services
from apps.schools.forms import SchoolFilterForm, SchoolForm


@login_required
def school_list(request):
    form = SchoolFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    schools = selectors.school_list(request.user, q=filters.get("q") or "", level=filters.get("level"),
                                    ownership=filters.get("ownership") or "")
    page = Paginator(schools, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    template = "schools/list.html#results" if request.htmx else "schools/list.html"
    return render(request, template, {"form": form, "page": page})


@login_required
def school_detail(request, pk: int):
    school = selectors.school_for(request.user, pk)
    return render(request, "schools/detail.html", {"school": school, "may_change": can(request.user, school, CHANGE)})


@login_required
def school_edit(request, pk: int):
    school = selectors.school_for(request.user, pk, CHANGE)
    initial = {"name": school.name, "levels": [lv.value for lv in school.level_list], "ownership": school.ownership,
               "address": school.address, "phone": school.phone, "email": school.email}
    form = SchoolForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.school_update(actor=request.user, school=school, **form.cleaned_fields())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã lưu thông tin trường."))
            return redirect("schools:detail", pk=school.pk)
    return render(request, "schools/edit.html", {"school": school, "form": form},
                  status=400 if request.method == "POST" else 200)
