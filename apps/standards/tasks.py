"""Tasks of the plans app (`plans.Task`) that the national standard schools create: a criterion's improvement items
and a steering committee's duties. The plans app has a service to add a task to a plan (`task_add`) but none yet
for a task with no plan (its model allows one, for meetings and campaigns); until it does, this module makes the
plan-less task the way `task_add` does (title, due day, one owner party, validated), and everything after —
status, evidence, comments, reminders, the task pages — goes through the plans app."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from apps.plans.models import Task


def new_task(
    *,
    title: str,
    due_on: datetime.date | None,
    school=None,
    org_unit=None,
    organisation=None,
    user=None,
) -> Task:
    """A plan-less task owned by the first party given (an organisation, a user, a school, a unit), saved."""
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Nhập nội dung công việc.")})
    if due_on is None:
        raise ValidationError({"due_on": _("Nhập hạn hoàn thành.")})
    task = Task(plan=None, title=title[:500], due_on=due_on)
    if organisation is not None:
        task.owner_kind, task.owner_organisation = Task.Owner.ORGANISATION, organisation
    elif user is not None:
        task.owner_kind, task.owner_user = Task.Owner.USER, user
    elif school is not None:
        task.owner_kind, task.owner_school = Task.Owner.SCHOOL, school
    elif org_unit is not None:
        task.owner_kind, task.owner_unit = Task.Owner.UNIT, org_unit
    else:
        raise ValidationError({"owner": _("Chọn người hoặc đơn vị thực hiện.")})
    task.full_clean()
    task.save()
    return task
