import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core import scoping
from apps.core.scoping import ScopedQuerySet, under


class Role(models.TextChoices):
    SYSTEM_ADMIN = scoping.SYSTEM_ADMIN, _("Quản trị hệ thống")
    PROVINCE_OFFICER = scoping.PROVINCE_OFFICER, _("Cán bộ Sở GDĐT")
    COMMUNE_OFFICER = scoping.COMMUNE_OFFICER, _("Cán bộ UBND xã")
    PRINCIPAL = scoping.PRINCIPAL, _("Hiệu trưởng")
    TEACHER = scoping.TEACHER, _("Giáo viên")
    PARTNER_OFFICER = scoping.PARTNER_OFFICER, _("Cán bộ tổ chức phối hợp")


class UserQuerySet(ScopedQuerySet):
    def scope_q(self, scope, action):
        # Users with an assignment (current or revoked, so it can be granted again) somewhere the actor manages;
        # teachers and partner officers see no other accounts.
        targets = RoleAssignment.objects.filter(RoleAssignmentQuerySet.managed_targets(scope))
        return Q(pk__in=targets.values("user"))


class ScopedUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A person who signs in. What they may see and do comes only from their role assignments."""

    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    # When the password was last set: API tokens created before it stop working (a leaked password changed
    # takes its tokens with it, as Django's session hash does for sessions).
    password_changed_at = models.DateTimeField(_("lần đổi mật khẩu cuối"), null=True, blank=True, editable=False)

    objects = ScopedUserManager()

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    def set_password(self, raw_password):
        # Every path that sets a password (the change page, admin, a reset, a command) goes through here.
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()


class RoleAssignmentQuerySet(ScopedQuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)

    @staticmethod
    def managed_targets(scope) -> Q:
        """Assignments whose target the scope manages: units in the subtrees it governs, the schools those very
        units manage, the teachers of a principal's own school, and the organisations of all of these."""
        officer = scope.officer_paths
        schools = scope.principal_school_ids
        return (
            under("org_unit__", officer)
            | Q(school__managed_by__path__in=officer)
            | under("organisation__org_unit__", officer)
            | Q(organisation__school__managed_by__path__in=officer)
            | Q(school__in=schools, role=scoping.TEACHER)
            | Q(organisation__school__in=schools)
        )

    def scope_q(self, scope, action):
        return self.managed_targets(scope)


class RoleAssignment(models.Model):
    """User × (org unit | school | organisation) × role. Revoking keeps the row (`revoked_at`, `revoked_by`)."""

    user = models.ForeignKey(
        User, verbose_name=_("người dùng"), on_delete=models.PROTECT, related_name="role_assignments"
    )
    role = models.CharField(_("vai trò"), max_length=30, choices=Role.choices)
    org_unit = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name=_("đơn vị"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    school = models.ForeignKey(
        "schools.School",
        verbose_name=_("trường"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_assignments",
    )
    organisation = models.ForeignKey(
        "schools.Organisation",
        verbose_name=_("tổ chức"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_assignments",
    )
    granted_at = models.DateTimeField(_("ngày cấp"), auto_now_add=True)
    granted_by = models.ForeignKey(
        User, verbose_name=_("người cấp"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(_("ngày thu hồi"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, verbose_name=_("người thu hồi"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("phân quyền")
        verbose_name_plural = _("phân quyền")
        ordering = ["user", "role"]
        constraints = [
            models.CheckConstraint(
                name="role_assignment_target_matches_role",
                condition=(
                    Q(role=scoping.SYSTEM_ADMIN, org_unit__isnull=True, school__isnull=True, organisation__isnull=True)
                    | Q(
                        role__in=sorted(scoping.OFFICER_ROLES),
                        org_unit__isnull=False,
                        school__isnull=True,
                        organisation__isnull=True,
                    )
                    | Q(
                        role__in=sorted(scoping.SCHOOL_ROLES),
                        org_unit__isnull=True,
                        school__isnull=False,
                        organisation__isnull=True,
                    )
                    | Q(
                        role=scoping.PARTNER_OFFICER,
                        org_unit__isnull=True,
                        school__isnull=True,
                        organisation__isnull=False,
                    )
                ),
            ),
            *(
                models.UniqueConstraint(
                    fields=["user", "role", target],
                    condition=Q(revoked_at__isnull=True, **{f"{target}__isnull": False}),
                    name=f"role_assignment_unique_active_{target}",
                )
                for target in ("org_unit", "school", "organisation")
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(revoked_at__isnull=True, role=scoping.SYSTEM_ADMIN),
                name="role_assignment_unique_active_admin",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.target}"

    @property
    def target(self):
        return self.org_unit or self.school or self.organisation or _("toàn hệ thống")


def token_expiry():
    return timezone.now() + timedelta(days=settings.API_TOKEN_DAYS)


class ApiTokenQuerySet(models.QuerySet):
    def usable(self):
        """Not revoked, not expired, its user active, and created after the user's last password change."""
        return self.filter(
            Q(user__password_changed_at__isnull=True) | Q(created_at__gte=F("user__password_changed_at")),
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
            user__is_active=True,
        )

    def authenticate(self, raw: str):
        digest = hashlib.sha256(raw.encode()).hexdigest()
        return self.usable().select_related("user").filter(key_hash=digest).first()


class ApiToken(models.Model):
    """A token for machine clients of the API. Only its SHA-256 is stored; the key is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người dùng"), on_delete=models.PROTECT, related_name="api_tokens"
    )
    name = models.CharField(_("tên"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("đầu mã"), max_length=8, editable=False)
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("lần dùng cuối"), null=True, blank=True)
    expires_at = models.DateTimeField(_("hết hạn"), default=token_expiry)
    revoked_at = models.DateTimeField(_("ngày thu hồi"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("mã truy cập API")
        verbose_name_plural = _("mã truy cập API")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def outdated(self) -> bool:
        """Created before the user's last password change: it no longer works (a new one is needed)."""
        changed = self.user.password_changed_at
        return changed is not None and self.created_at < changed

    @staticmethod
    def new_key() -> tuple[str, str]:
        raw = "dt_" + secrets.token_urlsafe(32)
        return raw, hashlib.sha256(raw.encode()).hexdigest()


class SignInFailure(models.Model):
    """One failed sign-in: the address it came from and the user name typed (never the password). The slower limit
    per address across user names (`apps.accounts.signin`) counts these; kept in the database so that every
    server process shares the count."""

    address = models.GenericIPAddressField(_("địa chỉ"))
    username = models.CharField(_("tên đăng nhập"), max_length=150, blank=True)
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("lần đăng nhập sai")
        verbose_name_plural = _("lần đăng nhập sai")
        indexes = [models.Index(fields=["address", "at"], name="signin_failure_address_at")]

    def __str__(self) -> str:
        return f"{self.address} {self.username} {self.at:%Y-%m-%d %H:%M}"
