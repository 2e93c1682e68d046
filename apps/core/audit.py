"""Appending audit events: every service write calls `audit_record` inside its own transaction.

Each app declares the actions it records, with a label for the change log, in `apps/<app>/audit_actions.py`:

    from apps.core.audit import register_actions
    register_actions("schools", {"schools.school_create": _("Thêm trường")})

`CoreConfig.ready()` imports that module of every installed app (`autodiscover_modules`), so an app joins by
having the file; `audit_record` refuses a code nobody declared. How each field's value is shown on the log page
is registered beside the actions (`apps.core.audit_display`).
"""

from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from apps.core.models import AuditEvent

_ACTIONS: dict[str, Any] = {}  # code → label (lazy), over every app
_BY_APP: dict[str, set[str]] = {}  # app label → the codes it declared

UNDECLARED = _("Hành động chưa khai báo")  # an old event whose code no app declares any more


def register_actions(app_label: str, actions: dict[str, Any]) -> None:
    """Declare `app_label`'s audit actions, {"<app_label>.<what>": label}. Declaring a code again with the same
    label is harmless; with another label, or a code outside the app's prefix, is refused (ValueError)."""
    for code, label in actions.items():
        what = code.removeprefix(f"{app_label}.")
        if what == code or not what:
            raise ValueError(f"audit action {code!r} does not start with {app_label!r}.")
        if code in _ACTIONS and str(_ACTIONS[code]) != str(label):
            raise ValueError(f"audit action {code!r} is already declared as {str(_ACTIONS[code])!r}.")
    for code, label in actions.items():
        _ACTIONS[code] = label
        _BY_APP.setdefault(app_label, set()).add(code)


def unregister_actions(app_label: str) -> None:
    """Forget every action `app_label` declared (for tests that declare actions of their own)."""
    for code in _BY_APP.pop(app_label, set()):
        _ACTIONS.pop(code, None)


def registered_actions() -> dict[str, Any]:
    """{code: label} of every declared action."""
    return dict(_ACTIONS)


def action_label(code: str) -> str:
    """What the change log calls an action, in the active language."""
    return str(_ACTIONS.get(code, UNDECLARED))


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


def _event(*, actor, action, obj, org_unit, changes, kind, object_type, object_repr) -> AuditEvent:
    if action not in _ACTIONS:
        raise ValueError(f"audit action {action!r} is not declared: add it to its app's audit_actions.py.")
    if kind != AuditEvent.Kind.READ and not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must be called inside the transaction of the write it records")
    unit = {"org_unit_id": org_unit} if isinstance(org_unit, int) else {"org_unit": org_unit}
    return AuditEvent(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        **unit,
        kind=kind,
        action=action,
        object_type=object_type or (obj._meta.label_lower if obj is not None else ""),
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=(object_repr or (str(obj) if obj is not None else ""))[:255],
        changes=_plain(changes or {}),
    )


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
    """Append one audit event of a declared action. Must run inside the caller's transaction, so a rolled-back
    write leaves none. `org_unit`: the unit the event concerns, or its id."""
    event = _event(
        actor=actor,
        action=action,
        obj=obj,
        org_unit=org_unit,
        changes=changes,
        kind=kind,
        object_type=object_type,
        object_repr=object_repr,
    )
    event.save(force_insert=True)
    return event


def audit_record_many(records: list[dict]) -> list[AuditEvent]:
    """Many events at once (each a dict of `audit_record`'s arguments), in a few INSERTs: for a bulk write such
    as an import's after-write hooks, with the same checks as one by one."""
    events = [
        _event(
            **{
                "obj": None,
                "org_unit": None,
                "changes": None,
                "kind": AuditEvent.Kind.WRITE,
                "object_type": "",
                "object_repr": "",
                **record,
            }
        )
        for record in records
    ]
    return AuditEvent.objects.bulk_create(events, batch_size=500)
