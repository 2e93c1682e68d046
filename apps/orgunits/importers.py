"""Importing a commune's hamlets from a spreadsheet: all rows or none."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.audit import audit_record
from apps.core.models import AuditEvent
from apps.core.scoping import CHANGE, get_scoped_or_404
from apps.core.spreadsheets import RowError, SpreadsheetError, find_header, read_sheet
from apps.core.text import fold
from apps.orgunits.models import OrgUnit
from apps.orgunits.names import hamlet_key
from apps.orgunits.services import hamlet_create

MAX_ROWS = 2000
HEADERS = {
    "name": {
        "ten thon",
        "thon",
        "ten thon ap ban",
        "thon xom",
        "thon ban",
        "ten thon to dan pho",
        "ten thon xom",
        "ap",
        "ban",
        "to dan pho",
        "ten",
        "ten don vi",
        "ten to dan pho",
        "ten ap",
        "ten khu pho",
        "khu pho",
        "khoi pho",
        "ten khoi pho",
        "ten xom",
        "ten ban",
        "ten buon",
        "ten lang",
        "thon to dan pho",
        "thon ap",
    },
    "qualifier": {"phan biet", "xa cu", "thuoc xa cu", "ten xa cu"},
}
LABELS = {"name": gettext_lazy("Tên thôn (tổ dân phố, ấp, bản…)"), "qualifier": gettext_lazy("Xã cũ")}


class HamletImportError(Exception):
    def __init__(self, errors: list):
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


def import_hamlets(*, actor, commune: OrgUnit, filename: str, data: bytes) -> list[OrgUnit]:
    """Add every hamlet listed in the file to the commune, or none if any row is wrong. Rows naming a hamlet
    the commune already has are skipped, so importing the same file twice adds nothing."""
    commune = get_scoped_or_404(OrgUnit.objects.all(), actor, CHANGE, pk=commune.pk)
    try:
        sheet = read_sheet(filename, data)
        header, columns = find_header(sheet, HEADERS, {"name"}, labels=LABELS)
    except SpreadsheetError as exc:
        raise HamletImportError([str(exc)]) from exc
    title = sheet.rows[header]
    existing = {
        (name, fold(qualifier))
        for name, qualifier in OrgUnit.objects.current()
        .filter(type=OrgUnit.Type.HAMLET, parent=commune)
        .values_list("name_folded", "qualifier")
    }
    wanted, errors, seen = [], [], {}
    for index, row in enumerate(sheet.rows[header + 1 :], start=header + 2):
        cells = {f: row[c].strip() if c < len(row) else "" for f, c in columns.items()}
        if not any(row):
            continue
        name, qualifier = cells["name"], cells.get("qualifier", "")
        if not name:
            errors.append(RowError(index, title[columns["name"]], "", _("thiếu tên thôn")))
            continue
        key = (hamlet_key(name), fold(qualifier))
        if key in seen:
            errors.append(
                RowError(
                    index, title[columns["name"]], name, _("trùng với dòng %(row)s trong cùng tệp") % {"row": seen[key]}
                )
            )
            continue
        seen[key] = index
        if key not in existing:
            wanted.append((index, name, qualifier))
    if len(wanted) > MAX_ROWS:
        errors.insert(0, _("Tệp %(file)s có quá %(max)s dòng.") % {"file": filename, "max": MAX_ROWS})
    if errors:
        raise HamletImportError([f"{filename}: {e}" for e in errors])
    created = []
    with transaction.atomic():
        for index, name, qualifier in wanted:
            try:
                created.append(hamlet_create(actor=actor, commune=commune, name=name, qualifier=qualifier, audit=False))
            except ValidationError as exc:
                raise HamletImportError(
                    [f"{filename}: " + str(RowError(index, title[columns["name"]], name, "; ".join(exc.messages)))]
                ) from exc
        if created:
            audit_record(
                actor=actor,
                action="orgunits.hamlet_import",
                kind=AuditEvent.Kind.BULK,
                object_type="orgunits.orgunit",
                org_unit=commune,
                object_repr=filename,
                changes={"file": filename, "created": len(created), "rows": len(seen)},
            )
    return created
