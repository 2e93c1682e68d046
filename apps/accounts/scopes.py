"""Turning a user's active role assignments into a `Scope` (apps.core.scoping), role by role. Registered with
core from the accounts app's config, so that core never imports accounts."""

from apps.accounts.models import RoleAssignment
from apps.core.scoping import OFFICER_ROLES, PARTNER_OFFICER, PRINCIPAL, SCHOOL_ROLES, SYSTEM_ADMIN, Scope


def build_scope(user) -> Scope:
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
    return Scope(
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
