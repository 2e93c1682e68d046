"""The plans' daily job (`apps.core.daily`): reminders of open tasks, in the app and by e-mail, 7 days and 1 day
before the due day and once when late; each kind once per task (`TaskReminder`), so a missed day catches up and a
second run sends nothing. Tasks of a superseded plan are left to the amendment's copies."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from apps.plans.models import Status, Task, TaskReminder


def _kind_for(task: Task, on: datetime.date) -> str:
    days = (task.due_on - on).days
    if days < 0:
        return TaskReminder.Kind.LATE
    if days <= 1:
        return TaskReminder.Kind.DAYS_1
    if days <= 7:
        return TaskReminder.Kind.DAYS_7
    return ""


def reminders(on: datetime.date) -> dict:
    from apps.notifications.services import notify
    from apps.plans.services import task_users

    sent = 0
    open_tasks = (
        Task.objects.filter(status__in=Task.OPEN, due_on__lte=on + datetime.timedelta(days=7))
        .exclude(plan__status__in=(Status.SUPERSEDED, Status.DRAFT))
        .select_related("plan", "owner_user", "owner_organisation", "owner_school", "owner_unit")
        .prefetch_related("reminders")
    )
    for task in open_tasks:
        kind = _kind_for(task, on)
        done = {r.kind for r in task.reminders.all()}
        if not kind or kind in done:
            continue
        if kind == TaskReminder.Kind.DAYS_7 and TaskReminder.Kind.DAYS_1 in done:
            continue
        TaskReminder.objects.create(task=task, kind=kind, sent_on=on)
        if kind == TaskReminder.Kind.LATE:
            title = _("Nhiệm vụ quá hạn: %(when)s") % {"when": task.when}
        elif kind == TaskReminder.Kind.DAYS_1:
            title = _("Nhiệm vụ đến hạn ngày mai: %(when)s") % {"when": task.when}
        else:
            title = _("Nhiệm vụ còn 7 ngày đến hạn: %(when)s") % {"when": task.when}
        people = task_users(task)
        if people:
            notify(
                recipients=people,
                kind=f"plans.{kind}",
                title=title[:200],
                body=task.title[:500],
                url=reverse("plans:task", args=[task.pk]),
            )
            sent += 1
    return {"sent": sent}
