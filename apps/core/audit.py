"""Appending audit events: every service write calls `audit_record` inside its own transaction."""

from typing import Any

from django.db import models, transaction

from apps.core.models import AuditEvent


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def diff(instance: models.Model, fields: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields whose value would change, from `instance`'s current values."""
    changes = {}
    for name, new in fields.items():
        old = getattr(instance, name)
        if _plain(old) != _plain(new):
            changes[name] = [_plain(old), _plain(new)]
    return changes


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    org_unit=None,
    changes: dict | None = None,
    kind: str = AuditEvent.Kind.WRITE,
    object_type: str = "",
    object_repr: str = "",
) -> AuditEvent:
    """Append one audit event. Must run inside the caller's transaction, so a rolled-back write leaves none."""
    if kind != AuditEvent.Kind.READ and not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must be called inside the transaction of the write it records")
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        org_unit=org_unit,
        kind=kind,
        action=action,
        object_type=object_type or (obj._meta.label_lower if obj is not None else ""),
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=(object_repr or (str(obj) if obj is not None else ""))[:255],
        changes=_plain(changes or {}),
    )
