"""Writes to the org-unit tree. Administrative units come from the loader; hamlets from commune users."""

import datetime
import unicodedata

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_record, diff
from apps.core.scoping import CHANGE, get_scoped_or_404
from apps.core.text import fold, nfc
from apps.orgunits.models import Designation, OrgUnit
from apps.orgunits.names import hamlet_key


def _clean_hamlet(commune: OrgUnit, name: str, qualifier: str, exclude_pk=None) -> tuple[str, str]:
    """The hamlet's name and qualifier as stored, or a ValidationError: a name is unique among the current
    hamlets of its commune; one that repeats (merged communes inherit several "Thôn 1") needs a qualifier
    naming the former commune, and qualifiers are compared without case or diacritics."""
    name, qualifier = nfc(name), nfc(qualifier)
    if not fold(name):  # nothing but punctuation ("...") is no name
        raise ValidationError({"name": _("Hãy nhập tên thôn.")})
    if len(name) > 150 or len(qualifier) > 100:
        raise ValidationError({"name": _("Tên thôn tối đa 150 ký tự, phần phân biệt tối đa 100 ký tự.")})
    namesakes = (
        OrgUnit.objects.current()
        .filter(type=OrgUnit.Type.HAMLET, parent=commune, name_folded=hamlet_key(name))
        .exclude(pk=exclude_pk)
    )
    qualifiers = [fold(q) for q in namesakes.values_list("qualifier", flat=True)]
    if fold(qualifier) in qualifiers or (qualifiers and not qualifier):
        raise ValidationError(
            {
                "name": _(
                    "%(commune)s đã có thôn “%(name)s”. Nếu xã mới có hai thôn trùng tên từ các xã cũ, "
                    "hãy ghi tên xã cũ vào ô phân biệt."
                )
                % {"commune": commune.name, "name": name}
            }
        )
    return name, qualifier


@transaction.atomic
def hamlet_create(
    *,
    actor,
    commune: OrgUnit,
    name: str,
    qualifier: str = "",
    valid_from: datetime.date | None = None,
) -> OrgUnit:
    """Add a hamlet (thôn, ấp, bản, tổ dân phố) to a commune the actor governs. `valid_from` is the day it was
    established, when known (entering an old hamlet today says nothing about when it began)."""
    hamlet = _hamlet_insert(actor=actor, commune=commune, name=name, qualifier=qualifier, valid_from=valid_from)
    audit_record(
        actor=actor,
        action="orgunits.hamlet_create",
        obj=hamlet,
        org_unit=hamlet.parent,
        changes={"name": hamlet.name, "qualifier": hamlet.qualifier},
    )
    return hamlet


def _hamlet_insert(
    *, actor, commune: OrgUnit, name: str, qualifier: str = "", valid_from: datetime.date | None = None
) -> OrgUnit:
    """`hamlet_create` without its audit event: for a bulk write that records one event for all its rows (the
    hamlet import). Checks and writes the same way; the caller holds the transaction."""
    commune = get_scoped_or_404(OrgUnit.objects.all(), actor, CHANGE, lock=True, pk=commune.pk)
    if not commune.is_commune_level or not commune.is_current:
        raise ValidationError({"parent": _("Chỉ thêm được thôn vào một xã, phường, đặc khu hiện hành.")})
    name, qualifier = _clean_hamlet(commune, name, qualifier)
    hamlet = OrgUnit(
        type=OrgUnit.Type.HAMLET,
        level=OrgUnit.Level.HAMLET,
        name=name,
        name_folded=hamlet_key(name),
        qualifier=qualifier,
        parent=commune,
        path="/",
        valid_from=valid_from,
    )
    hamlet.full_clean(exclude=["path", "level"])
    hamlet.save()
    hamlet.path = f"{commune.path}{hamlet.pk}/"
    hamlet.save(update_fields=["path"])
    return hamlet


@transaction.atomic
def hamlet_update(*, actor, hamlet: OrgUnit, name: str, qualifier: str = "") -> OrgUnit:
    hamlet = get_scoped_or_404(OrgUnit.objects.all(), actor, CHANGE, lock=True, pk=hamlet.pk, type=OrgUnit.Type.HAMLET)
    if not hamlet.is_current:
        raise ValidationError(_("%(name)s đã thôi hiệu lực từ trước.") % {"name": hamlet.display_name})
    name, qualifier = _clean_hamlet(hamlet.parent, name, qualifier, exclude_pk=hamlet.pk)
    changes = diff(hamlet, {"name": name, "qualifier": qualifier})
    if changes:
        hamlet.name, hamlet.qualifier, hamlet.name_folded = name, qualifier, hamlet_key(name)
        hamlet.save(update_fields=["name", "qualifier", "name_folded"])
        audit_record(actor=actor, action="orgunits.hamlet_update", obj=hamlet, org_unit=hamlet.parent, changes=changes)
    return hamlet


@transaction.atomic
def hamlet_retire(*, actor, hamlet: OrgUnit, on: datetime.date) -> OrgUnit:
    """A hamlet that was merged or dissolved keeps its row and history; it was valid until `on`. School sites
    standing in it must be moved or closed first."""
    hamlet = get_scoped_or_404(OrgUnit.objects.all(), actor, CHANGE, lock=True, pk=hamlet.pk, type=OrgUnit.Type.HAMLET)
    if not hamlet.is_current:
        raise ValidationError(_("%(name)s đã thôi hiệu lực từ trước.") % {"name": hamlet.display_name})
    if on > timezone.localdate():
        raise ValidationError({"valid_to": _("Ngày thôi hiệu lực không thể ở tương lai.")})
    if hamlet.valid_from and on < hamlet.valid_from:
        raise ValidationError(
            {
                "valid_to": _("Ngày thôi hiệu lực không thể trước ngày thôn được lập (%(day)s).")
                % {"day": hamlet.valid_from.strftime("%d/%m/%Y")}
            }
        )
    if sites := hamlet.school_sites.filter(closed_on__isnull=True).count():
        raise ValidationError(
            _("Còn %(n)s điểm trường ở %(name)s: hãy chuyển hoặc đóng các điểm trường đó trước.")
            % {"n": sites, "name": hamlet.display_name}
        )
    hamlet.valid_to = on
    hamlet.save(update_fields=["valid_to"])
    audit_record(
        actor=actor,
        action="orgunits.hamlet_retire",
        obj=hamlet,
        org_unit=hamlet.parent,
        changes={"valid_to": str(hamlet.valid_to)},
    )
    return hamlet


@transaction.atomic
def hamlet_restore(*, actor, hamlet: OrgUnit) -> OrgUnit:
    """Undo a retirement entered by mistake: the hamlet is current again (if its name is still free)."""
    hamlet = get_scoped_or_404(OrgUnit.objects.all(), actor, CHANGE, lock=True, pk=hamlet.pk, type=OrgUnit.Type.HAMLET)
    if hamlet.is_current:
        return hamlet
    _clean_hamlet(hamlet.parent, hamlet.name, hamlet.qualifier, exclude_pk=hamlet.pk)
    changes = {"valid_to": [str(hamlet.valid_to), None]}
    hamlet.valid_to = None
    hamlet.save(update_fields=["valid_to"])
    audit_record(actor=actor, action="orgunits.hamlet_restore", obj=hamlet, org_unit=hamlet.parent, changes=changes)
    return hamlet


@transaction.atomic
def orgunit_move(*, actor, unit: OrgUnit, new_parent: OrgUnit) -> OrgUnit:
    """Attach a hamlet (and anything below it) to another commune; a unit can never end up below itself.
    Administrative units move only with the official data (`load_admin_units`)."""
    unit = get_scoped_or_404(OrgUnit.objects.all(), actor, CHANGE, lock=True, pk=unit.pk)
    new_parent = get_scoped_or_404(OrgUnit.objects.all(), actor, CHANGE, lock=True, pk=new_parent.pk)
    if new_parent.path.startswith(unit.path):
        raise ValidationError({"parent": _("Không thể chuyển một đơn vị vào bên dưới chính nó.")})
    if unit.type != OrgUnit.Type.HAMLET or not new_parent.is_commune_level:
        raise ValidationError({"parent": _("Chỉ chuyển được thôn sang một xã, phường, đặc khu hiện hành.")})
    _clean_hamlet(new_parent, unit.name, unit.qualifier, exclude_pk=unit.pk)
    old_path, new_path = unit.path, f"{new_parent.path}{unit.pk}/"
    changes = {"parent": [unit.parent_id, new_parent.pk]}
    descendants = list(OrgUnit.objects.filter(path__startswith=old_path))
    for node in descendants:
        node.path = new_path + node.path[len(old_path) :]
        if node.pk == unit.pk:
            node.parent = new_parent
    OrgUnit.objects.bulk_update(descendants, ["path", "parent"], batch_size=500)
    audit_record(actor=actor, action="orgunits.move", obj=unit, org_unit=new_parent, changes=changes)
    unit.refresh_from_db()
    return unit


@transaction.atomic
def designation_record(
    *,
    actor,
    unit: OrgUnit,
    kind: str,
    valid_from: datetime.date,
    valid_to: datetime.date | None = None,
    decision_ref: str,
    note: str = "",
) -> Designation:
    """Record that a decision designates a unit the actor may change (a commune or hamlet as especially
    difficult) from `valid_from` until `valid_to` (open-ended when None). A unit holds one designation of a kind
    at a time: a period overlapping one already recorded is refused."""
    unit = get_scoped_or_404(OrgUnit.objects.all(), actor, CHANGE, lock=True, pk=unit.pk)
    designation = Designation(
        unit=unit,
        kind=kind,
        valid_from=valid_from,
        valid_to=valid_to,
        decision_ref=nfc(decision_ref),
        note=unicodedata.normalize("NFC", note).strip(),  # a note may keep its lines
    )
    designation.full_clean()
    if unit.level not in Designation.LEVELS[designation.kind]:
        raise ValidationError(
            {
                "unit": _("%(unit)s không thuộc cấp được xác định diện “%(kind)s”.")
                % {"unit": unit.display_name, "kind": designation.get_kind_display()}
            }
        )
    overlapping = Designation.objects.filter(unit=unit, kind=kind).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from)
    )
    if valid_to is not None:
        overlapping = overlapping.filter(valid_from__lte=valid_to)
    if other := overlapping.first():
        raise ValidationError(
            _("%(unit)s đã thuộc diện “%(kind)s” từ %(day)s theo %(decision)s.")
            % {
                "unit": unit.display_name,
                "kind": designation.get_kind_display(),
                "day": other.valid_from.strftime("%d/%m/%Y"),
                "decision": other.decision_ref,
            }
        )
    designation.save()
    audit_record(
        actor=actor,
        action="orgunits.designation_record",
        obj=designation,
        org_unit=unit,
        changes={
            "kind": designation.kind,
            "valid_from": str(valid_from),
            "valid_to": str(valid_to) if valid_to else None,
            "decision_ref": designation.decision_ref,
            "note": designation.note,
        },
    )
    return designation
