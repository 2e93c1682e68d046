"""Writes to the org-unit tree. Administrative units come from the loader; hamlets from commune users."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.audit import audit_record, diff
from apps.core.scoping import CHANGE, get_scoped_or_404
from apps.core.text import nfc
from apps.orgunits.models import OrgUnit
from apps.orgunits.names import hamlet_key


def _check_hamlet_name(commune: OrgUnit, name: str, qualifier: str, exclude_pk=None) -> None:
    clash = (
        OrgUnit.objects.current()
        .filter(type=OrgUnit.Type.HAMLET, parent=commune, name_folded=hamlet_key(name), qualifier=qualifier)
        .exclude(pk=exclude_pk)
    )
    if clash.exists():
        raise ValidationError(
            {
                "name": _(
                    "%(commune)s đã có thôn “%(name)s”. Nếu xã mới có hai thôn trùng tên từ các xã cũ, "
                    "hãy ghi tên xã cũ vào ô phân biệt."
                )
                % {"commune": commune.name, "name": name}
            }
        )


@transaction.atomic
def hamlet_create(*, actor, commune: OrgUnit, name: str, qualifier: str = "", audit: bool = True) -> OrgUnit:
    """Add a hamlet (thôn, ấp, bản, tổ dân phố) to a commune the actor governs."""
    commune = get_scoped_or_404(OrgUnit.objects.all(), actor, CHANGE, lock=True, pk=commune.pk)
    if not commune.is_commune_level or not commune.is_current:
        raise ValidationError({"parent": _("Chỉ thêm được thôn vào một xã, phường, đặc khu hiện hành.")})
    name, qualifier = nfc(name), nfc(qualifier)
    if not name:
        raise ValidationError({"name": _("Hãy nhập tên thôn.")})
    _check_hamlet_name(commune, name, qualifier)
    hamlet = OrgUnit(
        type=OrgUnit.Type.HAMLET,
        level=OrgUnit.Level.HAMLET,
        name=name,
        name_folded=hamlet_key(name),
        qualifier=qualifier,
        parent=commune,
        path="/",
        valid_from=datetime.date.today(),
    )
    hamlet.full_clean(exclude=["path", "level"])
    hamlet.save()
    hamlet.path = f"{commune.path}{hamlet.pk}/"
    hamlet.save(update_fields=["path"])
    if audit:
        audit_record(
            actor=actor,
            action="orgunits.hamlet_create",
            obj=hamlet,
            org_unit=commune,
            changes={"name": name, "qualifier": qualifier},
        )
    return hamlet


@transaction.atomic
def hamlet_update(*, actor, hamlet: OrgUnit, name: str, qualifier: str = "") -> OrgUnit:
    hamlet = get_scoped_or_404(OrgUnit.objects.all(), actor, CHANGE, lock=True, pk=hamlet.pk, type=OrgUnit.Type.HAMLET)
    name, qualifier = nfc(name), nfc(qualifier)
    _check_hamlet_name(hamlet.parent, name, qualifier, exclude_pk=hamlet.pk)
    changes = diff(hamlet, {"name": name, "qualifier": qualifier})
    if changes:
        hamlet.name, hamlet.qualifier, hamlet.name_folded = name, qualifier, hamlet_key(name)
        hamlet.save(update_fields=["name", "qualifier", "name_folded"])
        audit_record(actor=actor, action="orgunits.hamlet_update", obj=hamlet, org_unit=hamlet.parent, changes=changes)
    return hamlet


@transaction.atomic
def hamlet_retire(*, actor, hamlet: OrgUnit, on: datetime.date | None = None) -> OrgUnit:
    """A hamlet that was merged or dissolved keeps its row and history; it is valid until `on`."""
    hamlet = get_scoped_or_404(OrgUnit.objects.all(), actor, CHANGE, lock=True, pk=hamlet.pk, type=OrgUnit.Type.HAMLET)
    hamlet.valid_to = on or datetime.date.today()
    hamlet.full_clean(exclude=["path", "level"], validate_constraints=False)
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
def orgunit_move(*, actor, unit: OrgUnit, new_parent: OrgUnit) -> OrgUnit:
    """Attach a unit (and its subtree) to another parent; a unit can never end up below itself."""
    unit = get_scoped_or_404(OrgUnit.objects.all(), actor, CHANGE, lock=True, pk=unit.pk)
    new_parent = get_scoped_or_404(OrgUnit.objects.all(), actor, CHANGE, pk=new_parent.pk)
    if new_parent.path.startswith(unit.path):
        raise ValidationError({"parent": _("Không thể chuyển một đơn vị vào bên dưới chính nó.")})
    if new_parent.level >= unit.level:
        raise ValidationError({"parent": _("Đơn vị cấp trên phải ở cấp cao hơn.")})
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
