"""Official documents (văn bản): the bodies that issue them, the outgoing register (sổ văn bản đi) with the
numbers allocated on issue, the issued files (kept as issued, with their checksum), their PDFs, and attachments.

An issuing body is a school, a unit or an organisation; what it issues is seen by those who see it and issued by
those who run it (the principal, the unit's own officers, the organisation's partner officers)."""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.scoping import MANAGE, NOTHING, VIEW, ScopedQuerySet, under
from apps.schools.models import School, school_q
from apps.schools.owners import OwnedByOne, one_owner


def body_q(scope, action: str, prefix: str = "") -> Q:
    """Which issuing bodies (reached through `prefix`, e.g. "body__") the scope may `action`: a school's is seen by
    whoever sees the school and issued by its principal and its managing unit's officers; a unit's by the officers
    of that unit's subtree, issued by the officers of that very unit; an organisation's by its partner officers and
    whoever sees its school or unit, issued by its partner officers."""
    p = prefix
    own_org = Q(**{f"{p}organisation__in": scope.organisation_ids}) if scope.organisation_ids else NOTHING
    if action == VIEW:
        return (
            school_q(scope, VIEW, f"{p}school__")
            | under(f"{p}org_unit__", scope.officer_paths)
            | own_org
            | school_q(scope, VIEW, f"{p}organisation__school__")
            | under(f"{p}organisation__org_unit__", scope.officer_paths)
        )
    unit_officers = Q(**{f"{p}org_unit__path__in": scope.officer_paths}) if scope.officer_paths else NOTHING
    return school_q(scope, MANAGE, f"{p}school__") | unit_officers | own_org


class BodyQuerySet(ScopedQuerySet):
    def scope_q(self, scope, action):
        return body_q(scope, action)


class BodyChildQuerySet(ScopedQuerySet):
    def scope_q(self, scope, action):
        return body_q(scope, action, "body__")


class Numbering(models.TextChoices):
    PER_TYPE = "per_type", _("Mỗi loại văn bản một dãy số")
    SHARED = "shared", _("Một dãy số chung cho mọi loại")


class IssuingBody(OwnedByOne, models.Model):
    """A body that issues official documents (cơ quan ban hành): a school, a unit's People's Committee or an
    organisation, with the name printed at the top left, its parent above it, its abbreviation in the symbol
    ("THĐA" in "12/KH-THĐA") and how it numbers: one series per type (KH, BC…) or one series for all."""

    name = models.CharField(_("tên cơ quan ban hành"), max_length=200)
    parent_name = models.CharField(_("cơ quan chủ quản"), max_length=200, blank=True)
    abbreviation = models.CharField(
        _("chữ viết tắt"), max_length=20, help_text=_("Chữ viết tắt tên cơ quan trong ký hiệu văn bản, ví dụ THĐA.")
    )
    place = models.CharField(_("địa danh"), max_length=100, help_text=_("Địa danh ghi trước ngày tháng."))
    numbering = models.CharField(
        _("cách đánh số"), max_length=20, choices=Numbering.choices, default=Numbering.PER_TYPE
    )
    school = models.ForeignKey(
        School, verbose_name=_("trường"), null=True, blank=True, on_delete=models.PROTECT, related_name="issuing_bodies"
    )
    org_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issuing_bodies",
    )
    organisation = models.ForeignKey(
        "schools.Organisation",
        verbose_name=_("tổ chức"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issuing_bodies",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = BodyQuerySet.as_manager()

    class Meta:
        verbose_name = _("cơ quan ban hành")
        verbose_name_plural = _("cơ quan ban hành")
        ordering = ["name"]
        constraints = [
            one_owner("issuing_body_has_one_owner"),
        ]

    def __str__(self) -> str:
        return self.name


class Document(models.Model):
    """An entry of the outgoing register (sổ văn bản đi): a document issued by a body, numbered on issue in its
    series of the calendar year (unnumbered kinds carry none), or entered by hand from the office's paper book so
    that the numbers match. An issued document's file is kept as issued: nothing rewrites it (its checksum is
    checked on every download); a replacement is a new document that supersedes it."""

    class Source(models.TextChoices):
        SYSTEM = "system", _("Ban hành trên hệ thống")
        PAPER = "paper", _("Vào sổ từ văn bản giấy")

    class PdfState(models.TextChoices):
        NONE = "none", _("Chưa tạo")
        PENDING = "pending", _("Đang tạo")
        READY = "ready", _("Đã có")
        FAILED = "failed", _("Không tạo được")

    body = models.ForeignKey(
        IssuingBody, verbose_name=_("cơ quan ban hành"), on_delete=models.PROTECT, related_name="documents"
    )
    kind = models.CharField(_("loại văn bản"), max_length=40)
    type_code = models.CharField(_("mã loại"), max_length=10, blank=True)
    series = models.CharField(
        _("dãy số"), max_length=10, blank=True, help_text=_("Mã loại, hoặc trống khi dùng dãy chung.")
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    number = models.PositiveIntegerField(_("số"), null=True, blank=True)
    symbol = models.CharField(_("số, ký hiệu"), max_length=60, blank=True)
    issued_on = models.DateField(_("ngày ban hành"))
    summary = models.CharField(_("trích yếu"), max_length=500)
    signer_name = models.CharField(_("người ký"), max_length=150, blank=True)
    signer_position = models.CharField(_("chức vụ người ký"), max_length=150, blank=True)
    recipients = models.TextField(_("nơi nhận"), blank=True)
    source = models.CharField(_("nguồn"), max_length=10, choices=Source.choices, default=Source.SYSTEM)
    file = models.FileField(_("tệp văn bản"), upload_to="documents/%Y/", blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    pdf = models.FileField(_("tệp PDF"), upload_to="documents/pdf/%Y/", blank=True)
    pdf_state = models.CharField(max_length=10, choices=PdfState.choices, default=PdfState.NONE)
    pdf_error = models.CharField(max_length=500, blank=True)
    supersedes = models.ForeignKey(
        "self", verbose_name=_("thay thế văn bản"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = BodyChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("văn bản đi")
        verbose_name_plural = _("sổ văn bản đi")
        ordering = ["-year", "-issued_on", "-number", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "year", "series", "number"],
                condition=Q(number__isnull=False),
                name="document_number_once_per_series",
            ),
        ]
        indexes = [models.Index(fields=["body", "year", "type_code"], name="document_register_idx")]

    def __str__(self) -> str:
        return f"{self.symbol or '—'} {self.summary}"[:120]

    def issued_bytes(self) -> bytes | None:
        """The stored file as it was issued, or None when there is none or it is not the one issued (its checksum
        differs): such a file is never handed out."""
        if not self.file:
            return None
        with self.file.open("rb") as fh:
            content = fh.read()
        return content if hashlib.sha256(content).hexdigest() == self.sha256 else None


class Attachment(models.Model):
    """A file attached to an issuing body's records (evidence, a photo, a paper scan), accepted by content (PDF,
    JPEG, PNG, DOCX, XLSX), images re-encoded without their metadata, downloaded only within the body's scope."""

    body = models.ForeignKey(
        IssuingBody, verbose_name=_("cơ quan ban hành"), on_delete=models.PROTECT, related_name="attachments"
    )
    document = models.ForeignKey(
        Document, verbose_name=_("văn bản"), null=True, blank=True, on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField(upload_to="attachments/%Y/")
    filename = models.CharField(_("tên tệp"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = BodyChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.filename
