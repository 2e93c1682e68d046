"""Reading import jobs: scoped by each kind's rule on the rights held today."""

from apps.core.audit import audit_record
from apps.core.memo import once_per_request
from apps.core.models import AuditEvent
from apps.core.scoping import VIEW, get_scoped_or_404
from apps.imports.models import ImportJob
from apps.imports.registry import kinds


def job_list(user):
    return ImportJob.objects.restrict(user, VIEW).select_related("org_unit", "created_by", "confirmed_by")


def job_for(user, pk: int, action: str = VIEW) -> ImportJob:
    return get_scoped_or_404(ImportJob.objects.select_related("org_unit"), user, action, pk=pk)


def preview_for(user, job: ImportJob) -> dict:
    """The job's preview as `user` may see it. Matching ran with the rights of whoever asked for the last check:
    to anyone else its questions (children with their birth dates) and how each row matched are not shown; they
    re-check the file to see it with their own rights (and only the one who checked may confirm)."""
    summary = dict(job.summary)
    if job.params.get("checked_as") != user.pk:
        summary["questions"] = []
        summary["first_rows"] = [{**row, "match": ""} for row in summary.get("first_rows", [])]
        summary["checked_by_other"] = True
    return summary


def may_start_any(user) -> bool:
    """Whether `user` may upload a file of some kind: stops at the first kind that says yes (the menu asks on
    every page; `startable_kinds` asks every kind)."""
    return any(kind.upload_form is not None and kind.may_start(user) for kind in kinds())


def startable_kinds(user) -> list:
    """The kinds of file `user` may upload (once per request: the menu and the home tile both ask)."""
    found = once_per_request(
        ("imports.startable_kinds", user.pk),
        lambda: [kind for kind in kinds() if kind.upload_form is not None and kind.may_start(user)],
    )
    return list(found)


def log_preview_read(user, job: ImportJob, what: str) -> None:
    """A preview shows names and birth dates, the rejected rows workbook holds them: a personal-data read."""
    audit_record(
        actor=user,
        action=f"imports.{what}",
        kind=AuditEvent.Kind.READ,
        org_unit=job.org_unit,
        object_type="imports.importjob",
        object_repr=job.filename,
        changes={"job": job.pk, "kind": job.kind},
    )
