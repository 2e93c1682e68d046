"""Importing a commune's hamlets from a spreadsheet (the import kind `orgunits.hamlets`): every row, or none
unless only the valid rows are asked for."""

from functools import cache
from pathlib import Path

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.audit import audit_record
from apps.core.models import AuditEvent
from apps.core.scoping import CHANGE, get_scoped_or_404, under
from apps.core.spreadsheets import RowError
from apps.core.text import fold
from apps.imports.forms import UploadForm
from apps.imports.plan import MAX_LISTED, Plan, TableReader, check_file, read_vocabulary
from apps.imports.registry import Importer
from apps.orgunits.models import OrgUnit
from apps.orgunits.names import hamlet_key
from apps.orgunits.selectors import governed_communes, governs_a_commune
from apps.orgunits.services import _hamlet_insert

MAX_ROWS = 2000
HEADERS_FILE = Path(__file__).parent / "data" / "hamlet_headers.csv"


@cache
def vocabulary() -> dict[str, set[str]]:
    """The header vocabulary of hamlet lists, kept as data."""
    return read_vocabulary(HEADERS_FILE)


LABELS = {"name": gettext_lazy("Tên thôn (tổ dân phố, ấp, bản…)"), "qualifier": gettext_lazy("Xã cũ")}


class HamletImportError(Exception):
    def __init__(self, errors: list):
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


class HamletReader(TableReader):
    """A hamlet list's reader, remembering the commune's hamlets and the names already read in the file."""

    def __init__(self, plan: Plan, *, commune: OrgUnit):
        super().__init__(plan, vocabulary=vocabulary(), labels=LABELS)
        self.existing = {
            (name, fold(qualifier))
            for name, qualifier in OrgUnit.objects.current()
            .filter(type=OrgUnit.Type.HAMLET, parent=commune)
            .values_list("name_folded", "qualifier")
        }
        self.seen: dict[tuple[str, str], int] = {}


def plan_hamlets(*, actor, commune: OrgUnit, filename: str, data: bytes, columns: dict | None = None) -> Plan:
    """Read and check every row (name given, no duplicate in the file); rows naming a hamlet the commune already
    has are left out, so that importing the same file twice adds nothing. Writes nothing."""
    commune = get_scoped_or_404(OrgUnit.objects.all(), actor, CHANGE, pk=commune.pk)
    return check_file(
        HamletImporter(), actor=actor, filename=filename, data=data, params={"commune": commune}, columns=columns
    )


def write_hamlets(*, actor, commune: OrgUnit, plan: Plan, only_valid: bool = False) -> list[OrgUnit]:
    """Add the plan's hamlets in one transaction, with one audit event; nothing when the plan has errors (unless
    only the valid rows are asked for)."""
    if len(plan.rows) > MAX_ROWS:  # whatever is asked: no commune has that many hamlets
        raise HamletImportError([_("Tệp %(file)s có quá %(max)s dòng.") % {"file": plan.filename, "max": MAX_ROWS}])
    if plan.errors and not only_valid:
        raise HamletImportError([f"{plan.filename}: {e}" for e in plan.errors])
    created = []
    column = plan.header[plan.columns["name"]] if plan.header else str(LABELS["name"])
    with transaction.atomic():
        for number, name, qualifier in plan.rows:
            try:
                # One audit event for the file below, not one per hamlet.
                created.append(_hamlet_insert(actor=actor, commune=commune, name=name, qualifier=qualifier))
            except ValidationError as exc:
                raise HamletImportError(
                    [f"{plan.filename}: " + str(RowError(number, column, name, "; ".join(exc.messages)))]
                ) from exc
        if created:
            audit_record(
                actor=actor,
                action="orgunits.hamlet_import",
                kind=AuditEvent.Kind.BULK,
                object_type="orgunits.orgunit",
                org_unit=commune,
                object_repr=plan.filename,
                changes={"file": plan.filename, "created": len(created), "rows": len(plan.rows)},
            )
    return created


def import_hamlets(*, actor, commune: OrgUnit, filename: str, data: bytes) -> list[OrgUnit]:
    """Both passes at once (for code that has the file in hand): every hamlet listed, or none if any row is
    wrong."""
    plan = plan_hamlets(actor=actor, commune=commune, filename=filename, data=data)
    return write_hamlets(actor=actor, commune=commune, plan=plan)


class HamletUploadForm(UploadForm):
    commune = forms.ModelChoiceField(
        label=gettext_lazy("Xã, phường"), queryset=None, empty_label=gettext_lazy("— Chọn —")
    )
    field_order = ["commune", "file"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.offer("commune", governed_communes(user), preselect=True)


class HamletImporter(Importer):
    """A commune's list of hamlets (thôn, tổ dân phố, ấp, bản…), checked and written in the background."""

    name = "orgunits.hamlets"
    label = gettext_lazy("Danh sách thôn")
    upload_label = gettext_lazy("Nhập danh sách thôn")
    upload_help = gettext_lazy("Cột bắt buộc: “Tên thôn”; cột tùy chọn: “Xã cũ” (phân biệt thôn trùng tên).")
    upload_form = HamletUploadForm
    fields = LABELS

    def scope_q(self, scope, action):
        return under("org_unit__", scope.officer_paths)

    def may_start(self, user):
        return governs_a_commune(user)

    def start(self, *, actor, cleaned):
        commune = get_scoped_or_404(OrgUnit.objects.all(), actor, CHANGE, pk=cleaned["commune"].pk)
        if not commune.is_commune_level:
            raise ValidationError({"commune": _("Hãy chọn xã, phường.")})
        return commune, None, {}

    def authorise(self, *, actor, job, plan=None):
        get_scoped_or_404(OrgUnit.objects.all(), actor, CHANGE, pk=job.org_unit_id)

    required = ({"name"},)

    def params(self, *, job, actor):
        return {"commune": get_scoped_or_404(OrgUnit.objects.all(), actor, CHANGE, pk=job.org_unit_id)}

    def reader(self, run):
        return HamletReader(run.plan, commune=run.params["commune"])

    def parse_row(self, run, number, row, error):
        reader: HamletReader = run.reader
        name, qualifier = reader.cell(row, "name"), reader.cell(row, "qualifier")
        if not name:
            error("name", "", _("thiếu tên thôn"))
            return None
        key = (hamlet_key(name), fold(qualifier))
        if key in reader.seen:
            error("name", name, _("trùng với dòng %(row)s trong cùng tệp") % {"row": reader.seen[key]})
            return None
        reader.seen[key] = number
        return None if key in reader.existing else (number, name, qualifier)

    def check(self, run):
        plan = run.plan
        if len(plan.rows) > MAX_ROWS:
            plan.errors.insert(0, _("Tệp %(file)s có quá %(max)s dòng.") % {"file": plan.filename, "max": MAX_ROWS})

    def write(self, *, job, actor, plan):
        try:
            created = write_hamlets(actor=actor, commune=job.org_unit, plan=plan, only_valid=job.only_valid)
        except HamletImportError as exc:
            raise ValidationError([str(e) for e in exc.errors]) from exc
        return {"created": len(created)}

    def summarise(self, plan):
        return {"first_rows": [{"row": n, "name": name, "qualifier": q} for n, name, q in plan.rows[:MAX_LISTED]]}

    def result_text(self, result):
        return _("Đã thêm %(n)s thôn.") % {"n": result["created"]}
