from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from apps.core.scoping import NOTHING, ScopedQuerySet


class ImportJobQuerySet(ScopedQuerySet):
    def scope_q(self, scope, action):
        # Who may see or act on a job is each kind's rule, on the rights held today over the job's unit or target
        # (never "uploaded it once"): the registry asks every kind.
        from apps.imports.registry import kinds

        q = NOTHING
        for kind in kinds():
            q |= Q(kind=kind.name) & kind.scope_q(scope, action)
        return q


class ImportJob(models.Model):
    """One uploaded file of some kind (a roster, a census, a list of hamlets…): checked in the background (the
    preview), then written on someone's confirmation, or discarded. The kind (see `registry`) says what the
    file is, who may see and confirm it, and how its rows are read, checked and written."""

    class Status(models.TextChoices):
        CHECKING = "checking", _("Đang kiểm tra")
        CHECKED = "checked", _("Đã kiểm tra, chờ xác nhận")
        IMPORTING = "importing", _("Đang nhập")
        DONE = "done", _("Đã nhập")
        FAILED = "failed", _("Không nhập được")
        DISCARDED = "discarded", _("Đã hủy")

    kind = models.CharField(_("loại"), max_length=40, db_index=True)
    # The unit the file belongs to (a school's managing unit, a census's commune, the unit a province file covers):
    # named by its label so that every app, `orgunits` included, can register a kind.
    org_unit = models.ForeignKey("orgunits.OrgUnit", on_delete=models.PROTECT, related_name="+")
    # The kind's main object, when it has one (a roster's school); plain id, the kind knows its model.
    target_id = models.PositiveBigIntegerField(_("đối tượng"), null=True, blank=True, db_index=True)
    params = models.JSONField(_("tham số"), default=dict, blank=True)  # kind-specific: the school year, a hamlet…
    # What the user changed in the preview: {field: column number} and the answers to its questions.
    mapping = models.JSONField(_("cột đã chọn"), default=dict, blank=True)
    decisions = models.JSONField(_("quyết định"), default=dict, blank=True)
    filename = models.CharField(_("tệp"), max_length=255)
    file = models.FileField(upload_to="imports/%Y/%m/", blank=True)
    rejected = models.FileField(_("các dòng bị từ chối"), upload_to="imports/%Y/%m/", blank=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.CHECKING)
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    only_valid = models.BooleanField(_("chỉ nhập các dòng hợp lệ"), default=False)
    summary = models.JSONField(_("kết quả"), default=dict, blank=True)
    failure = models.TextField(_("lý do không nhập được"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)  # when the latest check was asked for (a revision)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("lượt nhập tệp")
        verbose_name_plural = _("lượt nhập tệp")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.filename

    @property
    def finished(self) -> bool:
        """Nothing is running for it (the preview stops polling)."""
        return self.status not in (self.Status.CHECKING, self.Status.IMPORTING)

    @property
    def importer(self):
        from apps.imports.registry import get

        return get(self.kind)

    @property
    def kind_label(self) -> str:
        return str(self.importer.label)

    @cached_property
    def target_label(self) -> str:
        """What the file is for, in words ("Trường Tiểu học Trà Nam · năm học 2025-2026"); a page of jobs gets
        theirs together (`registry.label_jobs`)."""
        return self.importer.describe_many([self])[self.pk]

    @property
    def chosen_columns(self) -> dict:
        """The user's changes to the column mapping ({field: column number or None}), as the readers take them."""
        return {name: (None if column is None else int(column)) for name, column in self.mapping.items()}

    def get_absolute_url(self) -> str:
        return reverse("imports:detail", args=[self.pk])

    @property
    def may_confirm(self) -> bool:
        """Checked, with a header found and at least one row that may be written."""
        found = self.summary.get("header_row") is not None and bool(self.summary.get("rows"))
        return self.status == self.Status.CHECKED and found

    @property
    def may_discard(self) -> bool:
        return self.status in (self.Status.CHECKED, self.Status.FAILED)
