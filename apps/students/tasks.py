"""Background work for roster imports (django.tasks; `manage.py db_worker` runs them)."""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.tasks import task
from django.utils.translation import gettext_lazy as _

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
}


def _plan(job: ImportJob) -> Plan:
    def progress(done, total):
        ImportJob.objects.filter(pk=job.pk).update(progress=int(done * 100 / max(total, 1)))

    with job.file.open("rb") as fh:
        data = fh.read()
    return plan_roster(
        actor=job.created_by, filename=job.filename, data=data, year=job.year, school=job.school, progress=progress
    )


def summarise(plan: Plan) -> dict:
    return {
        "header_row": plan.header_row,
        "mapping": plan.mapping,
        "rows": len(plan.rows),
        "new_children": sum(1 for r in plan.rows if r.child is None and r.rule != "ambiguous"),
        "error_count": len(plan.errors),
        "errors": [str(e) for e in plan.errors[:MAX_LISTED]],
        "questions": [
            {
                "row": r.row,
                "name": r.data["full_name"],
                "candidates": [f"{c.full_name} ({c.birth_date or c.birth_year})" for c in r.candidates],
            }
            for r in plan.questions[:MAX_LISTED]
        ],
        "missing": [{"code": e.student_code, "name": e.child.full_name} for e in plan.missing[:MAX_LISTED]],
        "first_rows": [
            {
                "row": r.row,
                "name": r.data["full_name"],
                "birth": str(r.data["birth_date"] or r.data["birth_year"]),
                "class": r.data["class_name"],
                "match": r.rule or "new",
            }
            for r in plan.rows[:10]
        ],
    }


@task
def check_roster(job_id: int) -> None:
    """First pass: read, validate and match; the job then holds the preview."""
    job = ImportJob.objects.select_related("school", "year", "created_by").get(pk=job_id)
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
def import_roster(job_id: int) -> None:
    """Second pass, after the user confirmed: check again against today's data and write in one transaction."""
    job = ImportJob.objects.select_related("school", "year", "created_by").get(pk=job_id)
    plan = _plan(job)
    summary = summarise(plan)
    try:
        result = apply_roster(actor=job.created_by, plan=plan, only_valid=job.only_valid)
    except ValidationError as exc:
        summary["errors"].insert(0, " ".join(exc.messages))
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.FAILED, summary=summary)
        return
    summary["result"] = {
        "created_children": result.created_children,
        "created_enrolments": result.created_enrolments,
        "updated": result.updated,
        "events": result.events,
        "skipped": result.skipped,
    }
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.DONE, progress=100, summary=summary)
