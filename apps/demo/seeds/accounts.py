"""Seed step of accounts: one user per role of the cast (the system administrator is made first, by the
command, since every step writes as them)."""

from apps.accounts import services as accounts
from apps.accounts.models import Role, RoleAssignment, User
from apps.demo.steps import Context
from apps.orgunits.models import OrgUnit
from apps.schools.models import Organisation, School


def admin_user(password: str) -> User:
    """The system administrator the demo is written by, with their role."""
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        admin = User.objects.create_superuser("admin", "", password, full_name="Quản trị hệ thống")
    if not RoleAssignment.objects.active().filter(user=admin, role=Role.SYSTEM_ADMIN).exists():
        accounts.role_grant(actor=admin, user=admin, role=Role.SYSTEM_ADMIN)
    return admin


def seed(ctx: Context) -> None:
    for username, full_name, role, kind, key in ctx.spec["users"]:
        ctx.users[username] = user(ctx.admin, username, full_name, role, kind, key, ctx.password)


def user(admin, username, full_name, role, kind, key, password) -> User:
    if existing := User.objects.filter(username=username).first():
        return existing
    if kind == "unit":
        level = OrgUnit.Level.PROVINCE if len(key) == 2 else OrgUnit.Level.COMMUNE
        target = {"org_unit": OrgUnit.objects.current().get(level=level, code=key)}
    elif kind == "school":
        target = {"school": School.objects.get(moet_code=key)}
    else:
        target = {"organisation": Organisation.objects.get(name=key)}
    return accounts.user_create(
        actor=admin, username=username, password=password, full_name=full_name, role=role, **target
    )
