"""Reads of the early warning, from the user's scope: the at-risk students of a class, school or commune (a read
of children's personal data, logged), a child's flags with their history, the rules a user may read or edit."""

from django.conf import settings
from django.core.paginator import Paginator

from apps.core.audit import audit_record
from apps.core.models import AuditEvent
from apps.core.scoping import CHANGE, VIEW, scope_for
from apps.orgunits.models import OrgUnit
from apps.retention.models import Level, RiskFlag
from apps.retention.rules import rules_for


def at_risk_page(
    user, *, year, class_group=None, school=None, commune=None, levels=(Level.MEDIUM, Level.HIGH), page=None
):
    """The current flags at `levels` of the year's ongoing students the user sees, narrowed to a class, a school or
    the commune where the children live; high first, then by score. Logged as a read with the count shown."""
    flags = (
        RiskFlag.objects.restrict(user, VIEW)
        .filter(current=True, level__in=levels, enrolment__year=year, enrolment__ongoing=True)
        .select_related("enrolment__child", "enrolment__class_group", "enrolment__school")
        .order_by("-score", "enrolment__child__name_folded", "pk")
    )
    if class_group is not None:
        flags = flags.filter(enrolment__class_group=class_group)
    if school is not None:
        flags = flags.filter(enrolment__school=school)
    if commune is not None:
        flags = flags.filter(enrolment__child__commune=commune)
    found = Paginator(flags, settings.PAGE_SIZE).get_page(page)
    unit = (school.managed_by_id if school else None) or (commune.pk if commune else None)
    if class_group is not None:
        unit = class_group.school.managed_by_id
    audit_record(
        actor=user,
        action="retention.list_read",
        kind=AuditEvent.Kind.READ,
        org_unit=unit,
        object_type="students.child",
        changes={"count": len(found.object_list)},
    )
    return found


def flags_of_child(user, child) -> list[RiskFlag]:
    """Every flag (current and past) of the child's enrolments the user sees, latest first."""
    return list(
        RiskFlag.objects.restrict(user, VIEW)
        .filter(enrolment__child=child)
        .select_related("enrolment__year")
        .order_by("-computed_at", "-pk")
    )


def editable_provinces(user):
    """The provinces whose rules the user may change (their own officers; every province for an administrator)."""
    return OrgUnit.objects.current().restrict(user, CHANGE).filter(level=OrgUnit.Level.PROVINCE).order_by("code")


def readable_provinces(user):
    scope = scope_for(user)
    provinces = OrgUnit.objects.current().filter(level=OrgUnit.Level.PROVINCE)
    return provinces if scope.is_admin else provinces.filter(pk__in=scope.ancestor_ids())


def rules_of(province):
    return rules_for(province.pk)
