"""The national standard schools' daily jobs: construction milestones past due (each managing unit told of its
schools' overdue items once, on the day after the milestone), and schools whose recognition expires within their
set's re-registration lead (five months): listed, and their managing unit told once per decision."""

import datetime
from collections import defaultdict

from django.urls import reverse
from django.utils.translation import gettext as _

from apps.standards.models import ConstructionItem, Recognition


def officers_of(unit_ids):
    from apps.accounts.models import RoleAssignment, User

    grants = RoleAssignment.objects.active().filter(
        org_unit__in=list(unit_ids), role__in=("province_officer", "commune_officer")
    )
    return User.objects.filter(pk__in=grants.values("user"), is_active=True)


def overdue_items(on: datetime.date, items=None):
    """Items not yet handed over whose milestone is before `on`."""
    qs = ConstructionItem.objects.all() if items is None else items
    return (
        qs.filter(due_on__lt=on)
        .exclude(status__in=[ConstructionItem.Status.HANDED_OVER, ConstructionItem.Status.IN_USE])
        .select_related("school")
    )


def overdue(on: datetime.date) -> dict:
    from apps.notifications.services import notify

    newly = overdue_items(on).filter(due_on=on - datetime.timedelta(days=1))
    by_unit = defaultdict(list)
    for item in newly:
        by_unit[item.school.managed_by_id].append(item)
    for unit_id, items in by_unit.items():
        notify(
            recipients=officers_of([unit_id]),
            kind="standards.overdue",
            title=_("%(n)s hạng mục công trình trường chuẩn quá mốc hoàn thành") % {"n": len(items)},
            body="; ".join(f"{i.school.name}: {i.name}" for i in items)[:1900],
            url=reverse("standards:roadmap") + "?overdue=1",
        )
    return {"overdue": overdue_items(on).count(), "notified_units": len(by_unit)}


def lead_of(school) -> int:
    from apps.standards.services import set_for

    criteria_set = set_for(school)
    return criteria_set.reregister_months if criteria_set else 5


def months_before(day: datetime.date, months: int) -> datetime.date:
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError


def due_for_reregistration(on: datetime.date, recognitions=None) -> list[Recognition]:
    """The latest decision of each kind of each school, still valid on `on`, that expires within the school's set's
    re-registration lead."""
    qs = Recognition.objects.all() if recognitions is None else recognitions
    latest = {}
    for r in qs.filter(valid_until__gte=on).select_related("school__managed_by").order_by("issued_on", "pk"):
        latest[(r.school_id, r.kind)] = r
    return [r for r in latest.values() if months_before(r.valid_until, lead_of(r.school)) <= on]


def reregister(on: datetime.date) -> dict:
    from apps.notifications.services import notify

    due = due_for_reregistration(on)
    told = 0
    for recognition in due:
        if recognition.reminded_on is not None:
            continue
        notify(
            recipients=officers_of([recognition.school.managed_by_id]),
            kind="standards.reregister",
            title=_("%(school)s cần đăng ký công nhận lại (hết hạn %(day)s)")
            % {"school": recognition.school.name[:120], "day": f"{recognition.valid_until:%d/%m/%Y}"},
            body=_("Quyết định %(number)s (%(kind)s) hết hiệu lực ngày %(day)s.")
            % {
                "number": recognition.number,
                "kind": recognition.get_kind_display(),
                "day": f"{recognition.valid_until:%d/%m/%Y}",
            },
            url=reverse("standards:recognitions"),
        )
        recognition.reminded_on = on
        recognition.save(update_fields=["reminded_on"])
        told += 1
    return {"due": len(due), "notified": told}
