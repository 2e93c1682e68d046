"""The one chokepoint for who may see and change what.

A user's role assignments (user × org unit, school or organisation × role) become a `Scope`, computed once
per request by the builder the accounts app registers (`register_scope_builder`). Every scoped model's queryset
inherits `ScopedQuerySet.restrict(user, action)` and says, in `scope_q`, how the model hangs off the org-unit
tree; other apps may widen a model's view by registering a contribution (`contribute`: a mentor sees the child
they mentor while assigned), so the model's app never imports them. Views, the API and exports reach scoped
data only through `restrict` (and `get_scoped_or_404`, which answers 404 out of scope and 403 for read-only).

Actions: `view`, `change`, `manage`; `aggregate` — counts with no personal record (served by selectors:
what partner officers are promised), by default whatever `view` reaches, widened by a model's `aggregate_q`;
`public` — what anonymous pages may show, by default nothing (`public_q`), the one action an empty scope passes.
A model reached only through another (a guardian through its child) declares `scope_parent = "<field>"`;
`unscoped_models()` lists those that reach an org unit and do neither (a test keeps it empty).
"""

from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404

VIEW, CHANGE, MANAGE = "view", "change", "manage"
AGGREGATE, PUBLIC = "aggregate", "public"
ACTIONS = (VIEW, CHANGE, MANAGE, AGGREGATE, PUBLIC)

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


_BUILDER: list = []  # the one function(user) -> Scope, registered by the accounts app


def register_scope_builder(build) -> None:
    """The function that turns a user's role assignments into a `Scope` (`apps.accounts.scopes.build_scope`,
    registered from the accounts app's config: core imports no other app)."""
    _BUILDER[:] = [build]


def scope_for(user) -> Scope:
    """The user's scope, cached on the user object for the rest of the request."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope()
    cached = getattr(user, "_dentruong_scope", None)
    if cached is not None:
        return cached
    if not _BUILDER:
        raise RuntimeError("no scope builder is registered (the accounts app registers it from its ready())")
    scope = _BUILDER[0](user)
    user._dentruong_scope = scope
    return scope


def forget_scope(user) -> None:
    """Drop the cached scope (after the user's role assignments change)."""
    user.__dict__.pop("_dentruong_scope", None)


_CONTRIBUTIONS: dict[str, list] = {}  # model label → functions(scope, action) -> Q widening what it reaches


def contribute(model_label: str, terms) -> None:
    """Let another app widen what a scope reaches of a model ("students.child"): `terms(scope, action)` returns a
    `Q` on that model (NOTHING for actions it does not widen), OR-ed with the model's own rule. Registered from
    the contributing app's config. An empty scope still reaches nothing."""
    contributions = _CONTRIBUTIONS.setdefault(model_label, [])
    if terms not in contributions:
        contributions.append(terms)


def withdraw(model_label: str, terms) -> None:
    """Take a contribution out again (tests that register one)."""
    if terms in _CONTRIBUTIONS.get(model_label, []):
        _CONTRIBUTIONS[model_label].remove(terms)


class ScopedQuerySet(models.QuerySet):
    """Base queryset of every scoped model. Subclasses implement `scope_q(scope, action) -> Q` (for view, change
    and manage) and may widen `aggregate_q` and `public_q`."""

    def restrict(self, user, action: str = VIEW):
        return self.within(scope_for(user), action)

    def within(self, scope: Scope, action: str = VIEW):
        """What `scope` may do `action` on (`restrict` for a scope already in hand)."""
        if action not in ACTIONS:
            raise ValueError(f"unknown action {action!r}")
        if action == PUBLIC:
            return self.filter(self.public_q())
        if scope.is_admin:
            return self.all()
        if scope.is_empty:
            return self.none()
        return self.filter(self.scope_terms(scope, action))

    def scope_terms(self, scope: Scope, action: str) -> Q:
        """The model's own rule, OR-ed with what other apps contribute."""
        q = self.aggregate_q(scope) if action == AGGREGATE else self.scope_q(scope, action)
        for terms in _CONTRIBUTIONS.get(self.model._meta.label_lower, ()):
            q |= terms(scope, action)
        return q

    def scope_q(self, scope: Scope, action: str) -> Q:  # pragma: no cover - every subclass overrides
        raise NotImplementedError

    def aggregate_q(self, scope: Scope) -> Q:
        """What may be counted (never shown row by row): by default what may be viewed."""
        return self.scope_q(scope, VIEW)

    def public_q(self) -> Q:
        """What anonymous pages may show: nothing unless a model says otherwise."""
        return NOTHING


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


def unscoped_models(candidates=None) -> list[str]:
    """The project's models (or `candidates`) that reach an org unit through their foreign keys but have neither
    a `ScopedQuerySet` (no `restrict`) nor a `scope_parent` naming the key they are reached through."""
    from django.apps import apps

    def scoped(model) -> bool:
        return isinstance(getattr(model._default_manager, "get_queryset", lambda: None)(), ScopedQuerySet)

    def reaches_unit(model, seen=()) -> bool:
        for field in model._meta.concrete_fields:
            target = field.related_model if field.is_relation else None
            if target is None or target in seen:
                continue
            if target._meta.label_lower == "orgunits.orgunit" or reaches_unit(target, (*seen, model)):
                return True
        return False

    found = []
    if candidates is None:
        candidates = [m for m in apps.get_models() if m.__module__.startswith("apps.")]
    for model in candidates:
        if scoped(model):
            continue
        # Reached through a chain of parents (an improvement item through its assessment through its cycle).
        through, seen = model, set()
        while (parent := getattr(through, "scope_parent", "")) and through not in seen:
            seen.add(through)
            field = through._meta.get_field(parent)
            if not field.is_relation:
                break
            through = field.related_model
            if scoped(through):
                break
        if through is not model and scoped(through):
            continue
        if reaches_unit(model):
            found.append(model._meta.label)
    return sorted(found)


def can(user, obj, action: str) -> bool:
    """Whether `user` may do `action` on `obj` (one query; for showing or hiding buttons)."""
    return type(obj)._default_manager.restrict(user, action).filter(pk=obj.pk).exists()
