"""Writes of the indicators app: universal-education thresholds (system administrators) and attested inputs (the
commune). The snapshot's writes are in `snapshots.py`; the count tables are derived (`counts.py`)."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.core.scoping import CHANGE, get_scoped_or_404, scope_for
from apps.indicators.models import AttestedInput, Threshold
from apps.indicators.universal import ATTESTED, DERIVED, preschool_completion
from apps.orgunits.models import OrgUnit

THRESHOLD_FIELDS = ("label", "value", "dbkk_value", "verified", "source")


@transaction.atomic
def threshold_update(*, actor, threshold: Threshold, **fields) -> Threshold:
    """Change a threshold (the rules changed in 2025 and will again): system administrators only, audited."""
    if not scope_for(actor).is_admin:
        raise PermissionDenied
    threshold = Threshold.objects.select_for_update().get(pk=threshold.pk)
    changes = {}
    for name, value in fields.items():
        if name not in THRESHOLD_FIELDS:
            raise ValueError(name)
        before = getattr(threshold, name)
        if before != value:
            changes[name] = [str(before), str(value)]
            setattr(threshold, name, value)
    for name in ("value", "dbkk_value"):
        v = getattr(threshold, name)
        if v is not None and not Decimal(0) <= Decimal(v) <= Decimal(100):
            raise ValidationError({name: _("Ngưỡng là một tỷ lệ từ 0 đến 100 %.")})
    if not changes:
        return threshold
    threshold.full_clean()
    threshold.save()
    audit_record(actor=actor, action="indicators.threshold_update", obj=threshold, changes=changes)
    return threshold


@transaction.atomic
def attested_input_set(
    *, actor, commune: OrgUnit, year, criterion: str, evidence: str, met: bool | None = None, value=None
) -> AttestedInput:
    """Attest a figure the census cannot give, with its evidence: the commune's officers (or those above)."""
    commune = get_scoped_or_404(OrgUnit.objects.all(), actor, CHANGE, pk=commune.pk)
    if criterion not in ATTESTED:
        raise ValidationError({"criterion": _("Tiêu chí không cần xác nhận.")})
    if criterion in DERIVED and preschool_completion(commune, year) is not None:
        raise ValidationError(
            {"criterion": _("Tiêu chí này được tính từ hồ sơ mẫu giáo 5 tuổi năm học trước, không cần xác nhận.")}
        )
    if not evidence.strip():
        raise ValidationError({"evidence": _("Hãy ghi minh chứng (số văn bản, biên bản kiểm tra…).")})
    if met is None and value is None:
        raise ValidationError({"met": _("Hãy ghi đạt hay không, hoặc tỷ lệ.")})
    if value is not None and not Decimal(0) <= Decimal(value) <= Decimal(100):
        raise ValidationError({"value": _("Tỷ lệ từ 0 đến 100 %.")})
    row, _created = AttestedInput.objects.update_or_create(
        commune=commune,
        year=year,
        criterion=criterion,
        defaults={"met": met, "value": value, "evidence": evidence.strip(), "attested_by": actor},
    )
    audit_record(
        actor=actor,
        action="indicators.attested_input_set",
        obj=row,
        org_unit=commune,
        changes={
            "criterion": criterion,
            "met": met,
            "value": None if value is None else str(value),
            "evidence": evidence.strip(),
        },
    )
    return row
