from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.forms import add_service_errors, flash_service
from apps.core.scoping import CHANGE, can
from apps.imports import selectors, services
from apps.imports.plan import MAX_LISTED, read_answers, read_mapping
from apps.imports.registry import get, label_jobs

ERRORS_PER_PAGE = 50
ROWS_PER_PAGE = 50  # the rows the kind lists on its preview (the first MAX_LISTED of the file), a page at a time


@login_required
def job_list(request):
    page = Paginator(selectors.job_list(request.user), settings.PAGE_SIZE).get_page(request.GET.get("page"))
    label_jobs(page.object_list)
    return render(request, "imports/list.html", {"page": page, "kinds": selectors.startable_kinds(request.user)})


def _importer(kind: str):
    try:
        return get(kind)
    except LookupError:
        raise Http404 from None


@login_required
def job_new(request, kind: str):
    """The upload page of a kind: the file is kept and checked in the background, and the job's page shows the
    progress, then the preview."""
    importer = _importer(kind)
    if importer.upload_form is None or not importer.may_start(request.user):
        raise PermissionDenied
    form = importer.upload_form(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        cleaned = dict(form.cleaned_data)
        upload = cleaned.pop("file")
        try:
            job = services.import_start(actor=request.user, kind=importer.name, upload=upload, cleaned=cleaned)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("imports:detail", pk=job.pk)
    context = {"form": form, "importer": importer}
    return render(request, "imports/new.html", context, status=400 if request.method == "POST" else 200)


def _columns(summary: dict) -> list[dict]:
    """The file's columns for the preview: title, the first values under it, and the field it is read as. Columns
    with neither a title nor values are left out (a sheet thousands of columns wide has a handful that matter)."""
    field_of = {index: name for name, index in summary.get("columns", {}).items()}
    cells = summary.get("first_cells", [])
    columns = []
    for index, title in enumerate(summary.get("header", [])):
        samples = [row[index] for row in cells if index < len(row) and row[index]][:3]
        if title or samples or index in field_of:
            columns.append({"index": index, "title": title, "samples": samples, "field": field_of.get(index, "")})
    return columns


@login_required
def job_detail(request, pk: int):
    job = selectors.job_for(request.user, pk)
    summary = selectors.preview_for(request.user, job)
    errors = Paginator(summary.get("errors", []), ERRORS_PER_PAGE).get_page(request.GET.get("errors"))
    rows = Paginator(summary.get("first_rows", []), ROWS_PER_PAGE).get_page(request.GET.get("rows"))
    cut = rows.paginator.count >= MAX_LISTED and summary.get("rows", 0) > rows.paginator.count
    summary = {**summary, "first_rows": list(rows.object_list), "listed_rows": rows.paginator.count, "rows_cut": cut}
    if job.finished and summary.get("rows") is not None:
        selectors.log_preview_read(request.user, job, "preview_read")
    may_change = can(request.user, job, CHANGE)
    context = {
        "job": job,
        "s": summary,
        "errors": errors,
        "rows_page": rows,
        "columns": _columns(summary),
        "fields": job.importer.fields.items(),
        "may_change": may_change,
        "preview": job.importer.preview_template,
        "targets": job.importer.target_choices(actor=request.user, job=job)
        if may_change and job.status == job.Status.CHECKED and summary.get("target_missing")
        else [],
    }
    template = "imports/detail.html#job" if request.htmx else "imports/detail.html"
    return render(request, template, context)


@login_required
def job_rejected(request, pk: int):
    """The workbook of rejected rows, with the reason beside each (a personal-data read, logged)."""
    job = selectors.job_for(request.user, pk, CHANGE)
    if not job.rejected:
        raise Http404
    selectors.log_preview_read(request.user, job, "rejected_read")
    name = f"tu-choi-{job.filename.rsplit('.', 1)[0]}.xlsx"
    return FileResponse(job.rejected.open("rb"), as_attachment=True, filename=name)


def _act(request, job, write, done: str):
    """A POST action on a job through its service: the outcome flashed, back to the job's page."""
    flash_service(request, None, write, lambda job: done % {"file": job.filename})
    return redirect("imports:detail", pk=job.pk)


@login_required
@require_POST
def job_confirm(request, pk: int):
    job = selectors.job_for(request.user, pk, CHANGE)
    only_valid = bool(request.POST.get("only_valid"))
    write = lambda: services.import_confirm(actor=request.user, job=job, only_valid=only_valid)  # noqa: E731
    return _act(request, job, write, _("Đang nhập tệp %(file)s."))


@login_required
@require_POST
def job_revise(request, pk: int):
    """The user's corrections on the preview: which field each column holds, the answers to its questions and,
    when the file does not say, what it is for (`target`). The file is then checked again."""
    job = selectors.job_for(request.user, pk, CHANGE)
    try:
        # Only the answers were sent (the column table was not on the form): the mapping stays as it was.
        columns_sent = any(key.startswith("col-") for key in request.POST)
        mapping = read_mapping(request.POST, job.summary, job.importer.fields) if columns_sent else job.mapping
    except ValueError as exc:
        messages.error(request, str(exc))
        return redirect("imports:detail", pk=job.pk)
    answers = read_answers(request.POST, job.summary, job.decisions)
    target = request.POST.get("target", "")
    target = int(target) if target.isascii() and target.isdigit() and len(target) < 19 else None

    def write():
        return services.import_revise(actor=request.user, job=job, mapping=mapping, decisions=answers, target_id=target)

    return _act(request, job, write, _("Đang kiểm tra lại tệp %(file)s."))


@login_required
@require_POST
def job_discard(request, pk: int):
    job = selectors.job_for(request.user, pk, CHANGE)
    write = lambda: services.import_discard(actor=request.user, job=job)  # noqa: E731
    return _act(request, job, write, _("Đã hủy lượt nhập tệp %(file)s."))
