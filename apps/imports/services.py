"""The audited actions on an import job, the same for every kind: start, revise, confirm, discard. The checks
and writes themselves run in the background (`tasks`)."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.core.models import AuditEvent
from apps.core.scoping import CHANGE, get_scoped_or_404
from apps.imports.models import ImportJob
from apps.imports.registry import get
from apps.notifications.services import notify


def _audit(actor, action: str, job: ImportJob, **changes) -> None:
    audit_record(
        actor=actor,
        action=f"imports.{action}",
        obj=job,
        org_unit=job.org_unit,
        object_repr=job.filename,
        changes={"kind": job.kind, **changes},
    )


def _enqueue(name: str, job: ImportJob) -> None:
    from apps.imports import tasks  # tasks → the importers → their apps' services: imported when needed

    transaction.on_commit(lambda: getattr(tasks, name).enqueue(job.pk))


def upload_refusal(upload) -> str:
    """Why an upload is refused before it is kept ("" when it is not): over the size limit."""
    if upload.size <= settings.IMPORT_MAX_UPLOAD_BYTES:
        return ""
    return _("Tệp %(file)s nặng %(size)s MB, quá giới hạn %(max)s MB.") % {
        "file": upload.name,
        "size": f"{upload.size / 2**20:.1f}",
        "max": settings.IMPORT_MAX_UPLOAD_BYTES // 2**20,
    }


@transaction.atomic
def import_start(*, actor, kind: str, upload, cleaned: dict) -> ImportJob:
    """Keep an uploaded file and check it in the background; the job then holds the preview. The kind decides
    from the upload form's data (`cleaned`) what the file is for, after checking the actor's rights."""
    importer = get(kind)
    if refusal := upload_refusal(upload):
        raise ValidationError({"file": refusal})
    org_unit, target_id, params = importer.start(actor=actor, cleaned=cleaned)
    job = ImportJob.objects.create(
        kind=importer.name,
        org_unit=org_unit,
        target_id=target_id,
        params={**params, "checked_as": actor.pk},
        filename=upload.name[:255],
        file=upload,
        created_by=actor,
    )
    _audit(actor, "start", job, size=upload.size)
    _enqueue("check_import", job)
    return job


@transaction.atomic
def import_revise(*, actor, job: ImportJob, mapping: dict, decisions: dict, target_id: int | None = None) -> ImportJob:
    """Check a file again with the user's column mapping ({field: column or None}) and answers, before it is
    written; the check runs with the reviser's rights. `target_id` is what the file is for, chosen on the preview
    when the file does not say (`Importer.target_choices`: the school of a roster with no school column)."""
    job = get_scoped_or_404(ImportJob.objects.all(), actor, CHANGE, lock=True, pk=job.pk)
    if job.status not in (ImportJob.Status.CHECKED, ImportJob.Status.FAILED) or not job.summary.get("header"):
        raise ValidationError(_("Lượt nhập này không chờ xác nhận."))
    changes = {"mapping": mapping, "decisions": decisions}
    if target_id is not None and target_id != job.target_id:
        if not job.summary.get("target_missing"):
            raise ValidationError(_("Tệp này đã ghi rõ nơi nhập vào."))
        job.org_unit, job.target_id = job.importer.retarget(actor=actor, job=job, target_id=target_id)
        changes["target"] = job.target_id
    job.mapping, job.decisions = mapping, decisions
    job.params = {**job.params, "checked_as": actor.pk}
    job.status, job.progress, job.failure, job.checked_at = ImportJob.Status.CHECKING, 0, "", timezone.now()
    fields = ["org_unit", "target_id", "mapping", "decisions", "params", "status", "progress", "failure", "checked_at"]
    job.save(update_fields=fields)
    _audit(actor, "revise", job, **changes)
    _enqueue("check_import", job)
    return job


@transaction.atomic
def import_confirm(*, actor, job: ImportJob, only_valid: bool = False) -> ImportJob:
    """Write a checked file (in the background, as `actor`, who must hold the rights over every target now and
    again when it is written): refused while it has errors or open questions, unless only the valid rows are
    asked for."""
    job = get_scoped_or_404(ImportJob.objects.all(), actor, CHANGE, lock=True, pk=job.pk)
    if job.status == ImportJob.Status.CHECKED and job.summary.get("header_row") and not job.summary.get("rows"):
        raise ValidationError(_("Tệp không có dòng hợp lệ nào để nhập."))
    if not job.may_confirm:
        raise ValidationError(_("Lượt nhập này không chờ xác nhận."))
    if job.params.get("checked_as") != actor.pk:  # the preview was made with someone else's rights
        raise ValidationError(
            _("Lần kiểm tra gần nhất do người khác thực hiện: hãy bấm “Kiểm tra lại” để xem tệp theo quyền của bạn.")
        )
    job.importer.authorise(actor=actor, job=job)
    if (job.summary.get("error_count") or job.summary.get("question_count")) and not only_valid:
        raise ValidationError(
            _("Tệp còn lỗi hoặc dòng cần quyết định: hãy sửa tệp, hoặc chọn chỉ nhập các dòng hợp lệ.")
        )
    job.only_valid, job.confirmed_by, job.confirmed_at = only_valid, actor, timezone.now()
    job.status, job.progress = ImportJob.Status.IMPORTING, 0
    job.save(update_fields=["only_valid", "confirmed_by", "confirmed_at", "status", "progress"])
    _audit(actor, "confirm", job, only_valid=only_valid)
    _enqueue("run_import", job)
    return job


@transaction.atomic
def import_discard(*, actor, job: ImportJob) -> ImportJob:
    """Give up a file that was checked (or could not be): the job is kept as discarded, its files are deleted."""
    job = get_scoped_or_404(ImportJob.objects.all(), actor, CHANGE, lock=True, pk=job.pk)
    if not job.may_discard:
        raise ValidationError(_("Lượt nhập này không hủy được lúc này."))
    files = [f.name for f in (job.file, job.rejected) if f]
    storage = job.file.storage
    job.status, job.file, job.rejected = ImportJob.Status.DISCARDED, "", ""
    job.save(update_fields=["status", "file", "rejected"])
    _audit(actor, "discard", job)
    transaction.on_commit(lambda: [storage.delete(name) for name in files])
    return job


# A worker that died (killed, out of memory, the machine restarted) leaves its job checking or importing for ever;
# after this long without anyone acting on it, the daily sweep says so and lets it be discarded.
STALE_AFTER = datetime.timedelta(days=1)
RUNNING = (ImportJob.Status.CHECKING, ImportJob.Status.IMPORTING)


@transaction.atomic
def import_fail_stale(*, actor, on: datetime.date) -> int:
    """Mark failed, on day `on`, the jobs still checking or importing though nobody has acted on them (uploaded,
    revised, confirmed) since before the start of the day before: their worker died. One audit event for the lot
    (`actor` is None when the daily jobs run it). Returns how many jobs it marked."""
    cutoff = datetime.datetime.combine(on - STALE_AFTER, datetime.time.min, tzinfo=timezone.get_default_timezone())
    cutoff = min(cutoff, timezone.now() - STALE_AFTER)  # whatever day is asked, a job younger than that is left
    stale = (
        ImportJob.objects.select_for_update(of=("self",))
        .select_related("created_by", "confirmed_by")  # whom to tell, read with the jobs
        .filter(status__in=RUNNING, created_at__lt=cutoff)
        .exclude(confirmed_at__gte=cutoff)
        .exclude(checked_at__gte=cutoff)  # a revision starts a new check of an old upload
        .order_by("pk")
    )
    reason = _("Quá thời gian xử lý; hãy tải lên lại.")
    marked = []
    for job in stale:
        # Those waiting for it are told, as a check or a write that raised would tell them (`tasks._fail`).
        waiting = job.confirmed_by if job.status == ImportJob.Status.IMPORTING else job.created_by
        notify(
            recipients=[waiting] if waiting else [],
            kind="imports.failed",
            title=_("Lượt nhập số %(n)s không thực hiện được") % {"n": job.pk},
            body=reason,
            url=job.get_absolute_url(),
        )
        # As a check or a write that raised would leave it: a check keeps no preview.
        saved = dict(job.summary if job.status == ImportJob.Status.IMPORTING else {})
        saved["errors"] = [reason, *saved.get("errors", [])]
        saved["error_count"] = saved.get("error_count", 0) + 1
        job.status, job.failure, job.summary = ImportJob.Status.FAILED, reason, saved
        job.save(update_fields=["status", "failure", "summary"])
        marked.append(job)
    if marked:
        audit_record(
            actor=actor,
            action="imports.fail_stale",
            kind=AuditEvent.Kind.BULK,
            object_type=ImportJob._meta.label_lower,
            object_repr=_("Lượt nhập quá thời gian xử lý"),
            org_unit=marked[0].org_unit if len({job.org_unit_id for job in marked}) == 1 else None,
            changes={"jobs": [job.pk for job in marked], "on": on.isoformat()},
        )
    return len(marked)
