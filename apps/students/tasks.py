"""Background work for roster and census imports (django.tasks; `manage.py db_worker` runs them)."""

import dataclasses

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.tasks import task
from django.utils.translation import gettext_lazy as _

from apps.students.census import apply_census, plan_census
from apps.students.importers import Plan, apply_roster, plan_roster, rejected_workbook
from apps.students.models import ImportJob

MAX_LISTED = 500  # errors, questions and missing students kept on the job for the preview page
MATCHED_BY = {
    "": _("trẻ mới"),
    "personal_id": _("số định danh"),
    "learner_id": _("mã định danh CSDL ngành"),
    "student_code": _("mã học sinh của trường"),
    "name_birth_commune": _("họ tên, ngày sinh và xã"),
    "ambiguous": _("cần quyết định"),
    "address": _("cần chọn xã"),
    "decided": _("theo quyết định của bạn"),
}


def _plan(job: ImportJob) -> Plan:
    def progress(done, total):
        ImportJob.objects.filter(pk=job.pk).update(progress=int(done * 100 / max(total, 1)))

    with job.file.open("rb") as fh:
        data = fh.read()
    columns = {name: (None if column is None else int(column)) for name, column in job.mapping.items()}
    options = {"filename": job.filename, "data": data, "year": job.year, "progress": progress, "columns": columns}
    decisions = decisions_from_json(job.decisions)
    if job.kind == ImportJob.Kind.CENSUS:
        return plan_census(actor=job.created_by, commune=job.commune, decisions=decisions, **options)
    return plan_roster(actor=job.created_by, school=job.school, decisions=decisions, **options)


def decisions_from_json(saved: dict) -> dict:
    """The answers given on the preview page, as the importers take them."""
    decisions = {("address", written): code for written, code in saved.get("address", {}).items()}
    decisions.update({("match", int(row)): choice for row, choice in saved.get("match", {}).items()})
    return decisions


def summarise(plan: Plan) -> dict:
    return {
        "header_row": plan.header_row,
        "header": plan.header,
        "columns": plan.columns,
        "mapping": plan.mapping,
        "legacy_encoding": plan.legacy_encoding,
        "first_cells": [list(r[: len(plan.header)]) for r in plan.first_cells],
        "rows": len(plan.rows),
        "new_children": sum(1 for r in plan.rows if r.child_id is None and r.rule not in ("ambiguous", "address")),
        "error_count": len(plan.errors),
        "errors": [str(e) for e in plan.errors[:MAX_LISTED]],
        "addresses": [
            {"value": written, "candidates": [[u.code, u.display_name] for u in communes]}
            for written, communes in plan.address_questions.items()
        ][:MAX_LISTED],
        "questions": [
            {
                "row": r.row,
                "name": r.full_name,
                "birth": _birth(r),
                "candidates": [[c.pk, f"{c.full_name} ({_birth(c)})"] for c in r.candidates],
            }
            for r in plan.questions
            if r.rule == "ambiguous"
        ][:MAX_LISTED],
        "question_count": len(plan.questions),
        "missing_count": len(plan.missing),
        "missing": [
            {"code": e.student_code, "name": e.child.full_name, "child": e.child_id, "school": e.school_id}
            for e in plan.missing[:MAX_LISTED]
        ],
        "first_rows": [
            {
                "row": r.row,
                "name": r.full_name,
                "birth": _birth(r),
                "class": getattr(r, "class_name", ""),
                "match": str(MATCHED_BY.get(r.rule, r.rule)),
            }
            for r in plan.rows[:10]
        ],
    }


def _birth(record) -> str:
    return record.birth_date.strftime("%d/%m/%Y") if record.birth_date else str(record.birth_year or "")


@task
def check_import(job_id: int) -> None:
    """First pass: read, validate and match; the job then holds the preview."""
    job = ImportJob.objects.select_related("school", "commune", "year", "created_by").get(pk=job_id)
    try:
        plan = _plan(job)
        summary = summarise(plan)
    except Exception as exc:  # an unreadable file must end the job with a message, not leave it checking
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.FAILED, summary={"errors": [str(exc)]})
        raise
    if plan.rejected:
        job.rejected.save(f"tu-choi-{job.pk}.xlsx", ContentFile(rejected_workbook(plan)), save=False)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.CHECKED, progress=100, summary=summary, rejected=job.rejected.name or ""
    )


@task
def run_import(job_id: int) -> None:
    """Second pass, after the user confirmed: check again against today's data and write in one transaction."""
    job = ImportJob.objects.select_related("school", "commune", "year", "created_by").get(pk=job_id)
    plan = _plan(job)
    summary = summarise(plan)
    try:
        apply = apply_census if job.kind == ImportJob.Kind.CENSUS else apply_roster
        result = apply(actor=job.created_by, plan=plan, only_valid=job.only_valid)
    except ValidationError as exc:
        summary["errors"].insert(0, " ".join(exc.messages))
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.FAILED, summary=summary)
        return
    summary["result"] = dataclasses.asdict(result)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.DONE, progress=100, summary=summary)
