from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.scoping import CHANGE, MANAGE, VIEW, get_scoped_or_404
from apps.schools.models import School, SchoolYear
from apps.students import selectors, tasks
from apps.students.forms import ImportForm, StudentFilterForm
from apps.students.identity import ethnicity_table
from apps.students.models import ImportJob


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


def _manageable_schools(user):
    return School.objects.restrict(user, MANAGE).order_by("name")


@login_required
def import_list(request):
    jobs = ImportJob.objects.restrict(request.user).select_related("school", "year", "created_by")
    page = Paginator(jobs, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "students/imports.html", {"page": page, "may_import": _manageable_schools(request.user).exists()}
    )


@login_required
def import_new(request):
    schools = _manageable_schools(request.user)
    if not schools.exists():
        raise PermissionDenied
    years = SchoolYear.objects.restrict(request.user, VIEW).order_by("-start_year")
    form = ImportForm(request.POST or None, request.FILES or None, schools=schools, years=years)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        with transaction.atomic():
            job = ImportJob.objects.create(
                school=form.cleaned_data["school"],
                year=form.cleaned_data["year"],
                filename=upload.name[:255],
                file=upload,
                created_by=request.user,
            )
            transaction.on_commit(lambda: tasks.check_roster.enqueue(job.pk))
        return redirect("students:import_detail", pk=job.pk)
    return render(request, "students/import_new.html", {"form": form}, status=400 if request.method == "POST" else 200)


@login_required
def import_detail(request, pk: int):
    job = get_scoped_or_404(ImportJob.objects.select_related("school", "year"), request.user, VIEW, pk=pk)
    template = "students/import_detail.html#job" if request.htmx else "students/import_detail.html"
    return render(request, template, {"job": job})


@login_required
@require_POST
def import_confirm(request, pk: int):
    with transaction.atomic():
        job = get_scoped_or_404(ImportJob.objects.all(), request.user, CHANGE, lock=True, pk=pk)
        if job.status != ImportJob.Status.CHECKED:
            messages.error(request, _("Lượt nhập này không chờ xác nhận."))
            return redirect("students:import_detail", pk=job.pk)
        job.only_valid = bool(request.POST.get("only_valid"))
        if job.summary.get("error_count") and not job.only_valid:
            messages.error(request, _("Tệp còn lỗi: hãy sửa tệp, hoặc chọn chỉ nhập các dòng hợp lệ."))
            return redirect("students:import_detail", pk=job.pk)
        job.status = ImportJob.Status.IMPORTING
        job.progress = 0
        job.save(update_fields=["only_valid", "status", "progress"])
        transaction.on_commit(lambda: tasks.import_roster.enqueue(job.pk))
    return redirect("students:import_detail", pk=job.pk)
