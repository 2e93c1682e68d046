"""The one chokepoint for who may see and change what.

A user's role assignments (user × org unit, school or organisation × role) become a `Scope`, computed once
per request. Every scoped model's queryset inherits `ScopedQuerySet.restrict(user, action)` and says, in
`scope_q`, how the model hangs off the org-unit tree. Views, the API and exports reach scoped data only
through `restrict` (and `get_scoped_or_404`, which answers 404 out of scope and 403 for read-only).
"""

from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404

VIEW, CHANGE, MANAGE = "view", "change", "manage"
ACTIONS = (VIEW, CHANGE, MANAGE)

SYSTEM_ADMIN = "system_admin"
PROVINCE_OFFICER = "province_officer"
COMMUNE_OFFICER = "commune_officer"
PRINCIPAL = "principal"
TEACHER = "teacher"
PARTNER_OFFICER = "partner_officer"
OFFICER_ROLES = frozenset({PROVINCE_OFFICER, COMMUNE_OFFICER})
SCHOOL_ROLES = frozenset({PRINCIPAL, TEACHER})

NOTHING = Q(pk__in=[])
MAX_ID = 2**63 - 1


@dataclass(frozen=True)
class Scope:
    """What a user's active role assignments reach, as tree paths and ids."""

    user_id: int | None = None  # for rules that follow the user's own work (a teacher's classes)
    is_admin: bool = False
    officer_paths: tuple[str, ...] = ()  # subtrees the user governs (province/commune officer)
    principal_school_ids: frozenset[int] = frozenset()
    teacher_school_ids: frozenset[int] = frozenset()
    school_location_paths: tuple[str, ...] = ()  # communes where the user's schools stand (for their hamlets)
    partner_paths: tuple[str, ...] = ()  # units owning a partner officer's organisations
    partner_school_ids: frozenset[int] = frozenset()  # schools owning a partner officer's organisations
    organisation_ids: frozenset[int] = frozenset()
    roles: frozenset[str] = field(default_factory=frozenset)

    @property
    def staff_school_ids(self) -> frozenset[int]:
        return self.principal_school_ids | self.teacher_school_ids

    @property
    def is_empty(self) -> bool:
        return not (self.is_admin or self.officer_paths or self.staff_school_ids or self.organisation_ids)

    def all_paths(self) -> tuple[str, ...]:
        return self.officer_paths + self.school_location_paths + self.partner_paths

    def ancestor_ids(self) -> set[int]:
        """Ids of every unit on the way down to any unit the user is attached to (itself included)."""
        return {int(part) for path in self.all_paths() for part in path.strip("/").split("/") if part}


def under(prefix: str, paths) -> Q:
    """Rows whose unit (reached through `prefix`, e.g. 'location__') lies in the subtree of any of `paths`."""
    if not paths:
        return NOTHING
    return reduce(or_, (Q(**{f"{prefix}path__startswith": p}) for p in paths))


def scope_for(user) -> Scope:
    """The user's scope, cached on the user object for the rest of the request."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope()
    cached = getattr(user, "_dentruong_scope", None)
    if cached is not None:
        return cached
    from apps.accounts.models import RoleAssignment

    officer, loc, partner = [], [], []
    principal, teacher, partner_schools, orgs, roles = set(), set(), set(), set(), set()
    is_admin = user.is_superuser
    grants = (
        RoleAssignment.objects.active()
        .filter(user=user)
        .select_related("org_unit", "school__location", "organisation__org_unit", "organisation__school__location")
    )
    for g in grants:
        roles.add(g.role)
        if g.role == SYSTEM_ADMIN:
            is_admin = True
        elif g.role in OFFICER_ROLES:
            officer.append(g.org_unit.path)
        elif g.role in SCHOOL_ROLES:
            (principal if g.role == PRINCIPAL else teacher).add(g.school_id)
            loc.append(g.school.location.path)
        elif g.role == PARTNER_OFFICER:
            orgs.add(g.organisation_id)
            if g.organisation.school_id:
                partner_schools.add(g.organisation.school_id)
                loc.append(g.organisation.school.location.path)
            else:
                partner.append(g.organisation.org_unit.path)
    scope = Scope(
        user_id=user.pk,
        is_admin=is_admin,
        officer_paths=tuple(sorted(set(officer))),
        principal_school_ids=frozenset(principal),
        teacher_school_ids=frozenset(teacher),
        school_location_paths=tuple(sorted(set(loc))),
        partner_paths=tuple(sorted(set(partner))),
        partner_school_ids=frozenset(partner_schools),
        organisation_ids=frozenset(orgs),
        roles=frozenset(roles),
    )
    user._dentruong_scope = scope
    return scope


def forget_scope(user) -> None:
    """Drop the cached scope (after the user's role assignments change)."""
    user.__dict__.pop("_dentruong_scope", None)


class ScopedQuerySet(models.QuerySet):
    """Base queryset of every scoped model. Subclasses implement `scope_q(scope, action) -> Q`."""

    def restrict(self, user, action: str = VIEW):
        if action not in ACTIONS:
            raise ValueError(f"unknown action {action!r}")
        scope = scope_for(user)
        if scope.is_admin:
            return self.all()
        if scope.is_empty:
            return self.none()
        return self.filter(self.scope_q(scope, action))

    def scope_q(self, scope: Scope, action: str) -> Q:  # pragma: no cover - every subclass overrides
        raise NotImplementedError


def get_scoped_or_404(queryset, user, action: str = VIEW, *, lock: bool = False, **lookup):
    """The object if the user may do `action` on it; 404 when it is out of view, 403 when only readable.

    `lock=True` (inside a transaction) then re-reads the row with SELECT … FOR UPDATE by its primary key
    alone: PostgreSQL refuses to lock through the outer joins that scope filters use."""
    qs = queryset if isinstance(queryset, models.QuerySet) else queryset._default_manager.all()
    ids = (v for k, v in lookup.items() if (k in ("pk", "id") or k.endswith("_id")) and isinstance(v, int))
    if not all(0 < v <= MAX_ID for v in ids):
        raise Http404  # a number no row can have (and one the database would refuse to compare)
    try:
        obj = qs.restrict(user, VIEW).get(**lookup)
    except (qs.model.DoesNotExist, ValueError):
        raise Http404 from None
    if action != VIEW and not qs.restrict(user, action).filter(pk=obj.pk).exists():
        raise PermissionDenied
    if lock:
        return qs.model._default_manager.select_for_update().get(pk=obj.pk)
    return obj


def can(user, obj, action: str) -> bool:
    """Whether `user` may do `action` on `obj` (one query; for showing or hiding buttons)."""
    return type(obj)._default_manager.restrict(user, action).filter(pk=obj.pk).exists()
