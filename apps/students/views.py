from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from apps.students import selectors
from apps.students.forms import StudentFilterForm
from apps.students.identity import ethnicity_table


@login_required
def student_list(request):
    form = StudentFilterForm(request.GET or None, user=request.user)
    filters = {k: v for k, v in (form.cleaned_data if form.is_valid() else {}).items() if v}
    enrolments = selectors.student_list(request.user, **filters)
    page = Paginator(enrolments, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    selectors.log_read(request.user, what="list_read", count=len(page.object_list))
    template = "students/list.html#results" if request.htmx else "students/list.html"
    return render(request, template, {"form": form, "page": page, "ethnicities": ethnicity_table()[0]})


@login_required
def child_detail(request, pk: int):
    child = selectors.child_for(request.user, pk)
    return render(
        request, "students/child.html", {"child": child, "ethnicity": ethnicity_table()[0].get(child.ethnicity)}
    )
