"""Loading a criteria set's official texts from a spreadsheet (the import kind `standards.criteria`, system
administrators only): one row per indicator (or per criterion, or per level 4 requirement), the set named by its
code. A new code makes a new set — no code change is needed for a new circular; an existing set is completed or
corrected (nothing deleted), never one already verified. Loading never marks a set verified."""

import re
from functools import cache
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.audit import audit_record
from apps.core.models import AuditEvent
from apps.core.scoping import NOTHING, scope_for
from apps.core.text import fold
from apps.imports.forms import UploadForm
from apps.imports.plan import MAX_LISTED, read_vocabulary
from apps.imports.registry import Importer
from apps.standards import catalogue, services
from apps.standards.models import CriteriaSet, SetKind

HEADERS_FILE = Path(__file__).parent / "data" / "criteria_headers.csv"
LABELS = {
    "set_code": gettext_lazy("Mã bộ tiêu chuẩn"),
    "set_name": gettext_lazy("Tên bộ tiêu chuẩn"),
    "circular": gettext_lazy("Văn bản quy định"),
    "kind": gettext_lazy("Loại trường"),
    "standard": gettext_lazy("Tiêu chuẩn số"),
    "title": gettext_lazy("Tên tiêu chuẩn"),
    "criterion": gettext_lazy("Tiêu chí số"),
    "criterion_text": gettext_lazy("Nội dung tiêu chí"),
    "level": gettext_lazy("Mức"),
    "label": gettext_lazy("Chỉ báo"),
    "indicator_text": gettext_lazy("Nội dung chỉ báo"),
}
KINDS = {fold(str(label)): value for value, label in SetKind.choices} | {
    "mam non": SetKind.PRESCHOOL,
    "tieu hoc": SetKind.PRIMARY,
    "trung hoc": SetKind.SECONDARY,
    "trung hoc co so": SetKind.SECONDARY,
    "thcs": SetKind.SECONDARY,
    "thpt": SetKind.SECONDARY,
    "preschool": SetKind.PRESCHOOL,
    "primary": SetKind.PRIMARY,
    "secondary": SetKind.SECONDARY,
}
CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


@cache
def vocabulary() -> dict[str, set[str]]:
    return read_vocabulary(HEADERS_FILE)


def _number(text: str, low: int, high: int) -> int | None:
    text = text.strip().rstrip(".").removeprefix("Mức").strip()
    if text.endswith(".0"):  # a number cell read as a float
        text = text[:-2]
    if not text.isdigit() or not low <= int(text) <= high:
        return None
    return int(text)


class CriteriaUploadForm(UploadForm):
    pass


class CriteriaImporter(Importer):
    """A criteria set's standards, criteria and indicators with their official texts."""

    name = "standards.criteria"
    label = gettext_lazy("Bộ tiêu chuẩn trường chuẩn quốc gia")
    upload_label = gettext_lazy("Nhập bộ tiêu chuẩn")
    upload_help = gettext_lazy(
        "Cột bắt buộc: “Mã bộ”, “Tiêu chuẩn”; thêm “Tên bộ”, “Loại trường” cho bộ mới; “Tên tiêu chuẩn”, “Tiêu chí”, "
        "“Nội dung tiêu chí”, “Mức”, “Chỉ báo”, “Nội dung chỉ báo”. Mức 4 không ghi tiêu chí."
    )
    upload_form = CriteriaUploadForm
    fields = LABELS
    required = ({"set_code", "standard"},)

    def scope_q(self, scope, action):
        return NOTHING  # system administrators pass every scope; nobody else sees these jobs

    def may_start(self, user):
        return scope_for(user).is_admin

    def _check(self, actor):
        if not scope_for(actor).is_admin:
            raise PermissionDenied(_("Chỉ quản trị hệ thống được nhập bộ tiêu chuẩn."))

    def start(self, *, actor, cleaned):
        from apps.orgunits.models import OrgUnit

        self._check(actor)
        # A job belongs to a unit; a set belongs to none: it is filed under the first province.
        unit = OrgUnit.objects.current().filter(level=OrgUnit.Level.PROVINCE).order_by("code").first()
        if unit is None:
            raise ValidationError(_("Chưa có đơn vị hành chính nào."))
        return unit, None, {}

    def authorise(self, *, actor, job, plan=None):
        self._check(actor)

    def vocabulary(self):
        return vocabulary()

    def parse_row(self, run, number, row, error):
        cell = run.reader.cell
        code = cell(row, "set_code").strip().lower()
        if not CODE.match(code):
            error("set_code", code, _("mã bộ chỉ gồm chữ thường không dấu, số, “-” (tối đa 40 ký tự)"))
            return None
        standard = _number(cell(row, "standard"), 1, 9)
        if standard is None:
            error("standard", cell(row, "standard"), _("số tiêu chuẩn từ 1 đến 9"))
            return None
        criterion_text, raw_criterion = cell(row, "criterion_text"), cell(row, "criterion")
        criterion = None
        if raw_criterion:
            criterion = _number(
                raw_criterion.split(".")[-1] if "." in raw_criterion.rstrip(".") else raw_criterion, 1, 99
            )
            if criterion is None:
                error("criterion", raw_criterion, _("số tiêu chí từ 1 đến 99 (ví dụ 10 hoặc 1.10)"))
                return None
        raw_level, label = cell(row, "level"), cell(row, "label").strip().rstrip(")").strip()
        level = None
        if raw_level:
            level = _number(raw_level, 1, 4)
            if level is None:
                error("level", raw_level, _("mức từ 1 đến 4"))
                return None
            if not label or len(label) > 10:
                error("label", label, _("ghi ký hiệu chỉ báo (a, b, c… hoặc số yêu cầu của mức 4), tối đa 10 ký tự"))
                return None
            if level < 4 and criterion is None:
                error("criterion", "", _("chỉ báo mức 1–3 phải thuộc một tiêu chí"))
                return None
            if level == 4 and criterion is not None:
                error("criterion", raw_criterion, _("yêu cầu của mức 4 không ghi tiêu chí"))
                return None
        elif criterion is None and not cell(row, "title"):
            return None  # neither a criterion, an indicator nor a title: a note
        return {
            "row": number,
            "set_code": code,
            "set_name": cell(row, "set_name"),
            "circular": cell(row, "circular"),
            "kind": cell(row, "kind"),
            "standard": standard,
            "title": cell(row, "title"),
            "criterion": criterion,
            "criterion_text": criterion_text,
            "level": level,
            "label": label,
            "indicator_text": cell(row, "indicator_text"),
        }

    def check(self, run):
        plan = run.plan
        codes = {r["set_code"] for r in plan.rows}
        if len(codes) > 1:
            plan.errors.insert(
                0,
                _("Tệp %(file)s ghi nhiều mã bộ (%(codes)s): mỗi tệp một bộ.")
                % {"file": plan.filename, "codes": ", ".join(sorted(codes))},
            )
            return
        if not codes:
            return
        code = codes.pop()
        existing = CriteriaSet.objects.filter(code=code).first()
        first = plan.rows[0]
        if existing is not None and existing.verified:
            plan.errors.insert(0, _("Bộ “%(code)s” đã được xác minh: bỏ xác minh trước khi nhập lại.") % {"code": code})
        elif existing is None:
            if not next((r["set_name"] for r in plan.rows if r["set_name"]), ""):
                plan.errors.insert(
                    0, _("Tệp %(file)s: bộ mới “%(code)s” cần cột “Tên bộ”.") % {"file": plan.filename, "code": code}
                )
            kind_text = next((r["kind"] for r in plan.rows if r["kind"]), "")
            if fold(kind_text) not in KINDS:
                plan.errors.insert(
                    0,
                    _("Tệp %(file)s, dòng %(row)s: “Loại trường” là Mầm non, Tiểu học hoặc Trung học.")
                    % {"file": plan.filename, "row": first["row"]},
                )

    def write(self, *, job, actor, plan):
        self._check(actor)
        if plan.errors and not job.only_valid:
            raise ValidationError([f"{plan.filename}: {e}" for e in plan.errors])
        return load_plan(actor=actor, rows=plan.rows, filename=plan.filename)

    def summarise(self, plan):
        return {"first_rows": [{k: str(v or "") for k, v in r.items()} for r in plan.rows[:MAX_LISTED]]}

    def result_text(self, result):
        return (
            _(
                "Đã nhập bộ “%(code)s”: %(standards)s tiêu chuẩn, %(criteria)s tiêu chí, %(indicators)s chỉ báo mới; "
                "%(texts)s nội dung được cập nhật."
            )
            % result
        )


def load_plan(*, actor, rows, filename: str) -> dict:
    """Write checked rows (inside the import layer's transaction): the set made when new, then its structure."""
    code = rows[0]["set_code"]
    criteria_set = CriteriaSet.objects.filter(code=code).first()
    if criteria_set is None:
        criteria_set = CriteriaSet.objects.create(
            code=code,
            name=next(r["set_name"] for r in rows if r["set_name"]),
            circular=next((r["circular"] for r in rows if r["circular"]), ""),
            kind=KINDS[fold(next(r["kind"] for r in rows if r["kind"]))],
            national_levels=dict(catalogue.RULE),
        )
    elif criteria_set.verified:
        raise ValidationError(_("Bộ “%(code)s” đã được xác minh: bỏ xác minh trước khi nhập lại.") % {"code": code})
    counts = services.load_rows(criteria_set=criteria_set, rows=rows)
    audit_record(
        actor=actor,
        action="standards.set_import",
        kind=AuditEvent.Kind.BULK,
        obj=criteria_set,
        object_repr=filename,
        changes={"file": filename, **counts},
    )
    return {"code": code, **counts}
