"""Tasks of the plans app (`plans.Task`) that the national standard schools create: a criterion's improvement items,
a steering committee's duties and an inspection's findings. Each is a plan-less task made by the plans' audited
service (`plans.services.task_create`); everything after — status, evidence, comments, reminders, the task pages —
goes through the plans app too. Here only what the standards add: a due day is always asked for (no month range)."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from apps.plans import services as plan_services
from apps.plans.models import Task


def new_task(
    *,
    actor,
    title: str,
    due_on: datetime.date | None,
    commune,
    school=None,
    org_unit=None,
    organisation=None,
    user=None,
    audit_action: str = "plans.task_create",
    audit_changes: dict | None = None,
) -> Task:
    """A plan-less task owned by the first party given (an organisation, a user, a school, a unit), saved and
    audited under `commune` (a unit or its id), once: as the caller's `audit_action` with its `audit_changes`."""
    if not (title or "").strip():
        raise ValidationError({"title": _("Nhập nội dung công việc.")})
    if due_on is None:
        raise ValidationError({"due_on": _("Nhập hạn hoàn thành.")})
    return plan_services.task_create(
        actor=actor,
        title=title,
        due_on=due_on,
        organisation=organisation,
        user=user,
        school=school,
        org_unit=org_unit,
        commune=commune,
        audit_action=audit_action,
        audit_changes=audit_changes,
    )
