from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.scoping import VIEW, ScopedQuerySet, under


class AuditEventQuerySet(ScopedQuerySet):
    def scope_q(self, scope, action):
        # The log is read by those who govern a unit: what happened in its subtree. Nobody changes it.
        if action != VIEW:
            return models.Q(pk__in=[])
        return under("org_unit__", scope.officer_paths)


class AuditEvent(models.Model):
    """One thing someone did: a write (create, change, delete, grant, import) or a read of personal data.

    Appended by services in the same transaction as the change itself; never edited or deleted.
    A bulk job (a load, an import) writes one event that summarises it, not one per row.
    """

    class Kind(models.TextChoices):
        WRITE = "write", _("Ghi")
        READ = "read", _("Đọc dữ liệu cá nhân")
        BULK = "bulk", _("Tác vụ hàng loạt")

    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    org_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices, default=Kind.WRITE)
    action = models.CharField(_("hành động"), max_length=80)
    object_type = models.CharField(_("loại đối tượng"), max_length=80, blank=True)
    object_id = models.CharField(_("mã đối tượng"), max_length=64, blank=True)
    object_repr = models.CharField(_("đối tượng"), max_length=255, blank=True)
    changes = models.JSONField(_("thay đổi"), default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("nhật ký")
        verbose_name_plural = _("nhật ký")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"

    @property
    def action_label(self) -> str:
        from apps.core.audit import action_label  # the registry lives with `audit_record`, which imports this

        return action_label(self.action)


class DailyRun(models.Model):
    """One daily job's run for one day (`apps.core.daily`): written in the job's own transaction, so a finished
    run means its work is done for that day and a second `run_daily` skips it. A run that failed keeps its
    reason, has no `finished_at`, and is tried again on the next call that day."""

    job = models.CharField(_("việc"), max_length=80)
    on = models.DateField(_("ngày"))
    started_at = models.DateTimeField(_("bắt đầu lúc"))
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)
    result = models.JSONField(_("kết quả"), default=dict, blank=True)
    failure = models.TextField(_("lý do lỗi"), blank=True)

    class Meta:
        verbose_name = _("lượt chạy việc hằng ngày")
        verbose_name_plural = _("lượt chạy việc hằng ngày")
        ordering = ["-on", "job"]
        constraints = [models.UniqueConstraint(fields=["job", "on"], name="dailyrun_once_per_job_and_day")]

    def __str__(self) -> str:
        return f"{self.job} {self.on:%d/%m/%Y}"


class Counter(models.Model):
    """The last number handed out under one key (a fund's receipts of one year, a unit's documents of one type):
    see `apps.core.counters`. Its row is locked while a number is taken, so numbers follow each other without gaps."""

    key = models.CharField(_("khóa"), max_length=120, unique=True)
    value = models.PositiveBigIntegerField(_("số cuối"), default=0)

    class Meta:
        verbose_name = _("bộ đếm số")
        verbose_name_plural = _("bộ đếm số")

    def __str__(self) -> str:
        return f"{self.key}: {self.value}"


class WorkerHeartbeat(models.Model):
    """A background worker (`manage.py worker`) that is alive: it writes `beat_at` every few seconds while it runs
    and deletes its row when it stops. A task still marked running whose worker stopped beating (or whose process
    is gone, on the same machine) was left by a worker that died: the reaper (`apps.core.workers.reap`) queues it
    again or marks it failed."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.host}:{self.pid})"
