"""Reads of accounts: the users an actor manages and the targets they may grant roles on."""

from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _

from apps.accounts.models import Role, RoleAssignment, User
from apps.core import sections
from apps.core.scoping import MANAGE, VIEW, get_scoped_or_404, scope_for
from apps.orgunits.models import OrgUnit
from apps.schools.models import Organisation, School


def _assignments(actor=None):
    """Active assignments; as seen by `actor`, only those whose target the actor manages (and may revoke)."""
    assignments = RoleAssignment.objects.restrict(actor, MANAGE) if actor is not None else RoleAssignment.objects
    return assignments.active().select_related("org_unit", "school", "organisation")


def user_list(actor):
    return (
        User.objects.restrict(actor, VIEW)
        .prefetch_related(Prefetch("role_assignments", queryset=_assignments(actor), to_attr="active_roles"))
        .order_by("username")
    )


def user_for(actor, pk: int) -> User:
    user = get_scoped_or_404(User.objects.all(), actor, VIEW, pk=pk)
    user.active_roles = list(_assignments(actor).filter(user=user))
    return user


def grantable_roles(actor) -> list[tuple[str, str]]:
    """The roles the actor may grant somewhere (the service still checks each target)."""
    scope = scope_for(actor)
    if scope.is_admin:
        roles = list(Role)
    else:
        roles = []
        if OrgUnit.objects.restrict(actor, MANAGE).current().filter(level=OrgUnit.Level.PROVINCE).exists():
            roles.append(Role.PROVINCE_OFFICER)
        if scope.officer_paths:
            roles += [Role.COMMUNE_OFFICER, Role.PRINCIPAL]
        if scope.officer_paths or scope.principal_school_ids:
            roles += [Role.TEACHER, Role.PARTNER_OFFICER]
    return [(role.value, role.label) for role in roles]


def grant_targets(actor) -> list[tuple[str, list[tuple[str, str]]]]:
    """Grouped choices "unit:ID" / "school:ID" / "org:ID" of everything the actor may grant a role on."""
    units = (
        OrgUnit.objects.restrict(actor, MANAGE)
        .current()
        .filter(level__in=[OrgUnit.Level.PROVINCE, OrgUnit.Level.COMMUNE])
        .order_by("level", "name")
    )
    schools = School.objects.restrict(actor, MANAGE).order_by("name")
    # Partner officers are granted by whoever manages the organisation's school or unit (as the service checks).
    orgs = (
        Organisation.objects.filter(Q(school__in=schools) | Q(org_unit__in=units))
        .select_related("school", "org_unit")
        .order_by("name")
    )
    groups = []
    if units_list := [(f"unit:{u.pk}", u.name) for u in units.only("pk", "name")]:
        groups.append((_("Đơn vị"), units_list))
    if schools_list := [(f"school:{s.pk}", s.name) for s in schools.only("pk", "name")]:
        groups.append((_("Trường"), schools_list))
    if orgs_list := [(f"org:{o.pk}", f"{o.name} — {o.owner}") for o in orgs]:
        groups.append((_("Tổ chức"), orgs_list))
    return groups


def home_summary(user) -> dict:
    """What the home page shows: the user's roles, then each app's tile for them (`apps.core.sections`)."""
    return {
        "roles": list(_assignments().filter(user=user)),  # the user's own roles, all of them
        "scope": scope_for(user),
        "tiles": sections.tiles_for(user),
    }
