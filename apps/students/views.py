from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.exports import xlsx_response
from apps.core.scoping import CHANGE, MANAGE, VIEW, get_scoped_or_404
from apps.schools.models import School, SchoolYear
from apps.students import selectors, tasks
from apps.students.forms import ImportForm, StudentFilterForm
from apps.students.models import ImportJob


@login_required
def student_list(request):
    form = StudentFilterForm(request.GET or None, user=request.user)
    filters = {k: v for k, v in (form.cleaned_data if form.is_valid() else {}).items() if v}
    enrolments = selectors.student_list(request.user, **filters)
    page = Paginator(enrolments, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    selectors.log_read(request.user, what="list_read", count=len(page.object_list))
    template = "students/list.html#results" if request.htmx else "students/list.html"
    return render(request, template, {"form": form, "page": page})


EXPORT_LIMIT = 100_000


@login_required
def student_export(request):
    """The filtered list as an Excel workbook (stamped with who and when; logged as a personal-data read)."""
    form = StudentFilterForm(request.GET or None, user=request.user)
    filters = {k: v for k, v in (form.cleaned_data if form.is_valid() else {}).items() if v}
    enrolments = selectors.student_list(request.user, **filters)[:EXPORT_LIMIT]
    rows = [
        (
            e.child.full_name,
            e.child.birth_date.strftime("%d/%m/%Y") if e.child.birth_date else e.child.birth_year,
            e.child.get_sex_display(),
            e.child.ethnicity_name,
            e.school.moet_code,
            e.school.name,
            e.year.name,
            e.get_grade_display(),
            e.class_group.name if e.class_group else "",
            e.student_code,
            e.status_label,
            e.child.hamlet.display_name if e.child.hamlet else "",
        )
        for e in enrolments
    ]
    selectors.log_read(request.user, what="list_export", count=len(rows))
    headers = [
        _("Họ và tên"),
        _("Ngày sinh"),
        _("Giới tính"),
        _("Dân tộc"),
        _("Mã trường"),
        _("Trường"),
        _("Năm học"),
        _("Khối"),
        _("Lớp"),
        _("Mã học sinh"),
        _("Tình trạng"),
        _("Thôn"),
    ]
    return xlsx_response(
        filename="hoc-sinh.xlsx", title=_("DANH SÁCH HỌC SINH"), headers=headers, rows=rows, user=request.user
    )


@login_required
def child_detail(request, pk: int):
    child = selectors.child_for(request.user, pk)
    return render(request, "students/child.html", {"child": child})


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
def import_rejected(request, pk: int):
    """The workbook of rejected rows, with the reason beside each."""
    job = get_scoped_or_404(ImportJob.objects.all(), request.user, VIEW, pk=pk)
    if not job.rejected:
        raise Http404
    name = f"tu-choi-{job.filename.rsplit('.', 1)[0]}.xlsx"
    return FileResponse(job.rejected.open("rb"), as_attachment=True, filename=name)


@login_required
@require_POST
def import_confirm(request, pk: int):
    with transaction.atomic():
        job = get_scoped_or_404(ImportJob.objects.all(), request.user, CHANGE, lock=True, pk=pk)
        if job.status != ImportJob.Status.CHECKED:
            messages.error(request, _("Lượt nhập này không chờ xác nhận."))
            return redirect("students:import_detail", pk=job.pk)
        job.only_valid = bool(request.POST.get("only_valid"))
        if (job.summary.get("error_count") or job.summary.get("questions")) and not job.only_valid:
            messages.error(
                request, _("Tệp còn lỗi hoặc dòng cần quyết định: hãy sửa tệp, hoặc chọn chỉ nhập các dòng hợp lệ.")
            )
            return redirect("students:import_detail", pk=job.pk)
        job.status = ImportJob.Status.IMPORTING
        job.progress = 0
        job.save(update_fields=["only_valid", "status", "progress"])
        transaction.on_commit(lambda: tasks.import_roster.enqueue(job.pk))
    return redirect("students:import_detail", pk=job.pk)
