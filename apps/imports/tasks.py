"""The background work of every import (django.tasks; `manage.py db_worker` runs it): the check that makes the
preview, and the write after someone confirmed. Any exception (a reader's panic included) ends the job as failed
with its reason shown. Only the death of the worker process itself could leave a job running: the daily job
"imports.stale" (`services.import_fail_stale`) marks such a job failed the next day."""

import logging

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404
from django.tasks import task
from django.utils.translation import gettext as _

from apps.core.scoping import forget_scope
from apps.imports.limits import memory_limit
from apps.imports.models import ImportJob
from apps.imports.plan import rejected_workbook, summary
from apps.notifications.services import notify

logger = logging.getLogger(__name__)


def _tell(job: ImportJob, users, kind: str, title: str, body: str = "", email: bool = False) -> None:
    """A notification about the job to those concerned (its file's name is left out: the person who named it
    may have written a child's name into it, and an e-mail leaves the system)."""
    notify(
        recipients=[u for u in users if u is not None],
        kind=kind,
        title=title,
        body=body,
        url=job.get_absolute_url(),
        email=email,
    )


def _fail(job: ImportJob, reason: str, summary_: dict | None = None) -> None:
    saved = dict(summary_ if summary_ is not None else job.summary)
    saved["errors"] = [reason, *saved.get("errors", [])]
    saved["error_count"] = saved.get("error_count", 0) + 1
    running = ImportJob.objects.filter(pk=job.pk, status__in=(ImportJob.Status.CHECKING, ImportJob.Status.IMPORTING))
    if not running.update(status=ImportJob.Status.FAILED, failure=reason, summary=saved):
        return  # discarded or swept meanwhile: it keeps that end
    if job.status == ImportJob.Status.IMPORTING:
        people = [job.confirmed_by]
    else:  # the person who asked for this check: the uploader, or whoever revised it since
        people = [get_user_model().objects.filter(pk=job.params.get("checked_as") or job.created_by_id).first()]
    _tell(job, people, "imports.failed", _("Lượt nhập số %(n)s không thực hiện được") % {"n": job.pk}, email=True)


def _reason(job: ImportJob, exc: BaseException) -> str:
    if isinstance(exc, MemoryError):
        return _("Tệp %(file)s quá lớn hoặc hỏng: không đọc được trong giới hạn bộ nhớ.") % {"file": job.filename}
    if isinstance(exc, (Http404, PermissionDenied)):
        return _("Bạn không (còn) có quyền nhập tệp này vào đơn vị, trường đã chọn.")
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return _("Lỗi hệ thống khi xử lý tệp %(file)s (%(error)s): đã ghi lại để kiểm tra; không có gì được ghi.") % {
        "file": job.filename,
        "error": exc.__class__.__name__,
    }


def _failing(exc: BaseException) -> bool:
    """Whether an exception ends the job as failed: any, but an interrupt of the worker itself (a reader's panic is
    a BaseException too, and must not leave the job running)."""
    return not isinstance(exc, (KeyboardInterrupt, SystemExit))


def _read(job: ImportJob) -> bytes:
    with job.file.open("rb") as fh:
        return fh.read()


def _plan(job: ImportJob, actor, data: bytes | None = None):
    def progress(done, total):
        ImportJob.objects.filter(pk=job.pk).update(progress=min(99, int(done * 100 / max(total, 1))))

    data = _read(job) if data is None else data
    return job.importer.plan(job=job, actor=actor, data=data, progress=progress)


def _summary(job: ImportJob, plan) -> dict:
    return {**summary(plan), **job.importer.summarise(plan)}


# What the confirmer saw and agreed to; a second check that differs (data changed meanwhile) writes nothing.
CONFIRMED = ("rows", "error_count", "question_count", "new_children", "missing_count")


@task
def check_import(job_id: int) -> None:
    """First pass: read, validate and match, as the person who asked for the check; the job then holds the
    preview (and the rejected rows as a workbook, replacing any earlier one)."""
    job = ImportJob.objects.select_related("org_unit").filter(pk=job_id).first()
    if job is None or job.status != ImportJob.Status.CHECKING:
        return  # discarded, or already done by an earlier run of this task
    actor = get_user_model().objects.filter(pk=job.params.get("checked_as") or job.created_by_id).first()
    old = job.rejected.name
    try:
        with memory_limit():
            data = _read(job)
            plan = _plan(job, actor, data)
            preview = _summary(job, plan)
            rejected = rejected_workbook(plan, data) if plan.rejected else None
        if rejected is not None:
            job.rejected.save(f"tu-choi-{job.pk}.xlsx", ContentFile(rejected), save=False)
        else:
            job.rejected = ""
        updated = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.CHECKING).update(
            status=ImportJob.Status.CHECKED, progress=100, summary=preview, rejected=job.rejected.name or ""
        )
        if not updated:  # discarded or failed meanwhile (the daily sweep): its rows are not kept, nobody is told
            if job.rejected.name and job.rejected.name != old:
                job.rejected.storage.delete(job.rejected.name)
            return
        checker = actor or job.created_by
        counts = _("%(r)s dòng hợp lệ, %(e)s lỗi, %(q)s câu hỏi.") % {
            "r": preview.get("rows", 0),
            "e": preview.get("error_count", 0),
            "q": preview.get("question_count", 0),
        }
        _tell(job, [checker], "imports.checked", _("Đã kiểm tra lượt nhập số %(n)s") % {"n": job.pk}, counts)
    except BaseException as exc:  # a bad file ends its job, never the worker
        if not _failing(exc):
            raise
        logger.warning("import %s: check failed", job.pk, exc_info=not isinstance(exc, (ValidationError, Http404)))
        _fail(job, _reason(job, exc), summary_={})
        return
    if old and old != job.rejected.name:
        job.rejected.storage.delete(old)  # an earlier check's rejected rows: personal data no longer needed


@task
def run_import(job_id: int) -> None:
    """Second pass, after someone confirmed: check again against today's data, as the confirmer, and write in one
    transaction in which the confirmer's rights over every target are read afresh and checked again; the job is
    marked done in that same transaction."""
    job = ImportJob.objects.select_related("org_unit", "confirmed_by").filter(pk=job_id).first()
    if job is None or job.status != ImportJob.Status.IMPORTING:
        return
    actor, importer = job.confirmed_by, job.importer
    preview = job.summary
    try:
        with memory_limit():
            plan = _plan(job, actor)
            preview = _summary(job, plan)
            if any(preview.get(key) != job.summary.get(key) for key in CONFIRMED):
                raise ValidationError(_("Dữ liệu đã thay đổi kể từ lần kiểm tra: hãy kiểm tra lại tệp rồi xác nhận."))
            with transaction.atomic():
                forget_scope(actor)  # the rights held now, not those read when the check began
                actor.refresh_from_db()
                importer.authorise(actor=actor, job=job, plan=plan)
                result = importer.write(job=job, actor=actor, plan=plan)
                preview["result"] = result
                preview["result_text"] = importer.result_text(result)
                running = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.IMPORTING)
                if not running.update(status=ImportJob.Status.DONE, progress=100, summary=preview):
                    raise RuntimeError("the job stopped importing while it was written")  # rolls the write back
                done = _("Đã nhập xong lượt nhập số %(n)s") % {"n": job.pk}
                _tell(job, [actor, job.created_by], "imports.done", done, preview["result_text"], email=True)
    except BaseException as exc:
        if not _failing(exc):
            raise
        logger.warning("import %s: write failed", job.pk, exc_info=not isinstance(exc, (ValidationError, Http404)))
        _fail(job, _reason(job, exc), summary_=preview)
