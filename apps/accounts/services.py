"""Accounts and role assignments. Nobody grants a role beyond what they themselves manage."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import ApiToken, Role, RoleAssignment, User, token_expiry
from apps.core import scoping
from apps.core.audit import audit_record
from apps.core.scoping import CHANGE, MANAGE, forget_scope, get_scoped_or_404, scope_for
from apps.core.text import nfc
from apps.orgunits.models import OrgUnit
from apps.schools.models import Organisation, School


def _authorise_grant(actor, role: str, org_unit, school, organisation):
    """Check the target fits the role and the actor manages it; return the org unit the grant belongs to."""
    if role == Role.SYSTEM_ADMIN:
        if not scope_for(actor).is_admin:
            raise PermissionDenied(_("Chỉ quản trị hệ thống mới cấp được vai trò quản trị hệ thống."))
        return None
    if role in scoping.OFFICER_ROLES:
        if org_unit is None:
            raise ValidationError({"org_unit": _("Hãy chọn đơn vị.")})
        wanted = OrgUnit.Level.PROVINCE if role == Role.PROVINCE_OFFICER else OrgUnit.Level.COMMUNE
        if org_unit.level != wanted or not org_unit.is_current:
            raise ValidationError(
                {
                    "org_unit": _("Vai trò này gắn với một %(level)s hiện hành.")
                    % {"level": OrgUnit.Level(wanted).label.lower()}
                }
            )
        return get_scoped_or_404(OrgUnit.objects.all(), actor, MANAGE, pk=org_unit.pk)
    if role in scoping.SCHOOL_ROLES:
        if school is None:
            raise ValidationError({"school": _("Hãy chọn trường.")})
        # A principal staffs their own school with teachers; principals are appointed by the managing unit.
        school = get_scoped_or_404(
            School.objects.all(), actor, MANAGE if role == Role.TEACHER else CHANGE, pk=school.pk
        )
        return school.managed_by
    if role == Role.PARTNER_OFFICER:
        if organisation is None:
            raise ValidationError({"organisation": _("Hãy chọn tổ chức.")})
        organisation = get_scoped_or_404(Organisation.objects.all(), actor, scoping.VIEW, pk=organisation.pk)
        if organisation.school_id:
            get_scoped_or_404(School.objects.all(), actor, MANAGE, pk=organisation.school_id)
            return organisation.school.managed_by
        return get_scoped_or_404(OrgUnit.objects.all(), actor, MANAGE, pk=organisation.org_unit_id)
    raise ValidationError({"role": _("Vai trò không hợp lệ.")})


@transaction.atomic
def role_grant(*, actor, user: User, role: str, org_unit=None, school=None, organisation=None) -> RoleAssignment:
    unit = _authorise_grant(actor, role, org_unit, school, organisation)
    assignment = RoleAssignment(
        user=user,
        role=role,
        granted_by=actor if actor and actor.is_authenticated else None,
        org_unit=org_unit if role in scoping.OFFICER_ROLES else None,
        school=school if role in scoping.SCHOOL_ROLES else None,
        organisation=organisation if role == Role.PARTNER_OFFICER else None,
    )
    if (
        RoleAssignment.objects.active()
        .filter(
            user=user,
            role=role,
            org_unit=assignment.org_unit,
            school=assignment.school,
            organisation=assignment.organisation,
        )
        .exists()
    ):
        raise ValidationError(_("Người dùng đã có vai trò này."))
    assignment.full_clean()
    assignment.save()
    if role == Role.SYSTEM_ADMIN and not (user.is_staff and user.is_superuser):
        user.is_staff = user.is_superuser = True  # Django admin stays available to system admins
        user.save(update_fields=["is_staff", "is_superuser"])
    forget_scope(user)
    audit_record(
        actor=actor,
        action="accounts.role_grant",
        obj=assignment,
        org_unit=unit,
        changes={"user": user.username, "role": role, "target": str(assignment.target)},
    )
    return assignment


@transaction.atomic
def role_revoke(*, actor, assignment: RoleAssignment) -> RoleAssignment:
    """End an assignment; the row stays, with who revoked it and when."""
    assignment = get_scoped_or_404(RoleAssignment.objects.active(), actor, MANAGE, lock=True, pk=assignment.pk)
    unit = _authorise_grant(actor, assignment.role, assignment.org_unit, assignment.school, assignment.organisation)
    assignment.revoked_at = timezone.now()
    assignment.revoked_by = actor
    assignment.save(update_fields=["revoked_at", "revoked_by"])
    user = assignment.user
    if (
        assignment.role == Role.SYSTEM_ADMIN
        and not user.role_assignments.active().filter(role=Role.SYSTEM_ADMIN).exists()
    ):
        user.is_staff = user.is_superuser = False
        user.save(update_fields=["is_staff", "is_superuser"])
    forget_scope(user)
    audit_record(
        actor=actor,
        action="accounts.role_revoke",
        obj=assignment,
        org_unit=unit,
        changes={"user": user.username, "role": assignment.role},
    )
    return assignment


@transaction.atomic
def user_create(
    *,
    actor,
    username: str,
    password: str,
    full_name: str = "",
    email: str = "",
    phone: str = "",
    role: str,
    org_unit=None,
    school=None,
    organisation=None,
) -> User:
    """Create an account together with its first role; the actor must be able to grant that role."""
    unit = _authorise_grant(actor, role, org_unit, school, organisation)
    user = User(username=username.strip(), full_name=nfc(full_name), email=email.strip(), phone=phone.strip())
    user.full_clean(exclude=["password"])
    validate_password(password, user)
    user.set_password(password)
    user.save()
    role_grant(actor=actor, user=user, role=role, org_unit=org_unit, school=school, organisation=organisation)
    audit_record(
        actor=actor,
        action="accounts.user_create",
        obj=user,
        org_unit=unit,
        changes={"username": user.username, "full_name": user.full_name},
    )
    return user


@transaction.atomic
def api_token_create(*, actor, name: str) -> tuple[ApiToken, str]:
    """A new API token for the actor; the raw key is returned once and never stored."""
    raw, digest = ApiToken.new_key()
    token = ApiToken.objects.create(user=actor, name=nfc(name) or "API", key_hash=digest, prefix=raw[:8])
    audit_record(actor=actor, action="accounts.api_token_create", obj=token, changes={"name": token.name})
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    token = ApiToken.objects.select_for_update().get(pk=token.pk, user=actor)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(actor=actor, action="accounts.api_token_revoke", obj=token)
    return token


@transaction.atomic
def api_token_renew(*, actor, token: ApiToken) -> ApiToken:
    """Another API_TOKEN_DAYS from today for a token that still works (an expired or outdated one is replaced by a
    new token, never revived)."""
    token = ApiToken.objects.usable().select_for_update().get(pk=token.pk, user=actor)
    before = token.expires_at
    token.expires_at = token_expiry()
    token.save(update_fields=["expires_at"])
    audit_record(
        actor=actor,
        action="accounts.api_token_renew",
        obj=token,
        changes={"expires_at": [before.isoformat(), token.expires_at.isoformat()]},
    )
    return token
