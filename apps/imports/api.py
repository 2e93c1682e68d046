"""`/api/v1/imports/`: upload a file of any registered kind, poll its preview, confirm, revise or discard it.
The same services and scope as the pages."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import File, Form, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from apps.core.scoping import CHANGE
from apps.imports import selectors, services
from apps.imports.plan import read_answers, read_mapping
from apps.imports.registry import get

router = Router(tags=["imports"])


class ImportOut(Schema):
    id: int
    kind: str
    filename: str
    org_unit_code: str
    target: str
    status: str
    progress: int
    failure: str
    created_at: datetime.datetime

    @staticmethod
    def resolve_org_unit_code(obj):
        return obj.org_unit.code

    @staticmethod
    def resolve_target(obj):
        return obj.target_label


class ImportDetail(ImportOut):
    summary: dict


class Problem(Schema):
    detail: str


class Revision(Schema):
    mapping: dict[str, int | None] = {}
    answers: dict[str, str] = {}
    target: int | None = None  # what the file is for, when its preview says `target_missing` (a roster's school)


@router.get("/", response=list[ImportOut])
@paginate
def list_imports(request):
    """Uploads of any kind that the caller may see today (the rights over their unit or school), newest first."""
    return selectors.job_list(request.user)


@router.get("/{int:job_id}", response=ImportDetail)
def get_import(request, job_id: int):
    """One upload: its status and progress, then the preview (header row, columns, first rows, errors, the
    questions to answer) and, once written, the result. Logged as a personal-data read once checked."""
    job = selectors.job_for(request.user, job_id)
    if job.finished and job.summary.get("rows") is not None:
        selectors.log_preview_read(request.user, job, "preview_read")
    job.summary = selectors.preview_for(request.user, job)  # shown, never saved
    return job


def start(request, kind: str, file: UploadedFile):
    """Shared by this router and the students' alias: the kind's own upload form validates the fields."""
    try:
        importer = get(kind)
    except LookupError as exc:
        return Status(400, {"detail": str(exc)})
    if importer.upload_form is None:
        return Status(400, {"detail": str(importer.label)})
    form = importer.upload_form(request.POST, {"file": file}, user=request.user, api=True)
    if not form.is_valid():
        # An id that names nothing answers as one the caller may not see: the same 404, the same words.
        chosen = [name for name, field in form.fields.items() if isinstance(field, forms.ModelChoiceField)]
        if any(form.has_error(name, "invalid_choice") for name in chosen):
            raise Http404
        return Status(400, {"detail": " ".join(str(e) for errors in form.errors.values() for e in errors)})
    cleaned = dict(form.cleaned_data)
    try:  # the kind decides who may import what (404 out of scope, 403 read-only)
        job = services.import_start(actor=request.user, kind=importer.name, upload=cleaned.pop("file"), cleaned=cleaned)
    except ValidationError as exc:
        return Status(400, {"detail": " ".join(exc.messages)})
    return Status(201, selectors.job_list(request.user).get(pk=job.pk))


@router.post("/", response={201: ImportOut, 400: Problem, 404: Problem})
def create_import(request, file: UploadedFile = File(...), kind: str = Form(..., max_length=40)):
    """Upload a file of a registered kind (`students.roster`, `students.census`, `orgunits.hamlets`…) with the
    fields of that kind's upload form (`year`, `school`, `commune`…: ids); it is checked in the background: poll
    `GET /imports/{id}`, then confirm."""
    return start(request, kind, file)


def _act(request, job_id: int, action):
    job = selectors.job_for(request.user, job_id, CHANGE)
    try:
        action(job)
    except ValidationError as exc:
        return Status(400, {"detail": " ".join(exc.messages)})
    return Status(200, selectors.job_list(request.user).get(pk=job.pk))


@router.post("/{int:job_id}/confirm", response={200: ImportOut, 400: Problem})
def confirm_import(request, job_id: int, only_valid: bool = False):
    """Write a checked upload (in the background, as the caller). Refused while it has errors or open questions
    unless `only_valid` is true."""
    return _act(
        request, job_id, lambda job: services.import_confirm(actor=request.user, job=job, only_valid=only_valid)
    )


@router.post("/{int:job_id}/revise", response={200: ImportOut, 400: Problem})
def revise_import(request, job_id: int, revision: Revision):
    """Check again with a changed column mapping (`{field: column number or null}`), answers to the preview's
    questions (`{question key: choice}`) and, when the preview says `target_missing`, the `target` chosen (a
    school's id for a roster with no school column)."""

    def revise(job):
        wanted = {**job.summary.get("columns", {}), **revision.mapping}  # the fields not named keep their columns
        data = {f"col-{column}": name for name, column in wanted.items() if column is not None}
        known = {q["key"]: n for n, q in enumerate(job.summary.get("questions", []))}
        data.update({f"q-{known[key]}": choice for key, choice in revision.answers.items() if key in known})
        try:
            mapping = read_mapping(data, job.summary, job.importer.fields)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc
        answers = read_answers(data, job.summary, job.decisions)
        services.import_revise(
            actor=request.user, job=job, mapping=mapping, decisions=answers, target_id=revision.target
        )

    return _act(request, job_id, revise)


@router.post("/{int:job_id}/discard", response={200: ImportOut, 400: Problem})
def discard_import(request, job_id: int):
    """Give up a checked or failed upload: its files are deleted, the job is kept as discarded."""
    return _act(request, job_id, lambda job: services.import_discard(actor=request.user, job=job))
