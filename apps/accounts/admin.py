from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from apps.accounts.models import ApiToken, RoleAssignment, SignInFailure, User
from apps.core.admin import ReadOnlyAdmin, ReadOnlyInline
from apps.core.audit import audit_record


class RoleInline(ReadOnlyInline):
    model = RoleAssignment
    fk_name = "user"
    fields = ["role", "org_unit", "school", "organisation", "granted_at", "granted_by", "revoked_at", "revoked_by"]
    readonly_fields = fields


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Roles are granted in the application (where scope is checked); here a system administrator may only
    deactivate an account or set a new password, and both are written to the audit log."""

    fieldsets = (
        (None, {"fields": ("username", "password", "full_name", "email", "phone")}),
        ("Trạng thái", {"fields": ("is_active", "is_staff", "is_superuser", "last_login", "date_joined")}),
    )
    readonly_fields = [
        "username",
        "full_name",
        "email",
        "phone",
        "is_staff",
        "is_superuser",
        "last_login",
        "date_joined",
    ]
    list_display = ["username", "full_name", "email", "is_active", "is_staff"]
    inlines = [RoleInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action="accounts.user_admin_change",
            obj=obj,
            changes={field: form.cleaned_data.get(field) for field in form.changed_data},
        )

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            from django.db import transaction

            with transaction.atomic():
                audit_record(actor=request.user, action="accounts.password_set_by_admin", obj=User.objects.get(pk=id))
        return response


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ["name", "user", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at"]


@admin.register(SignInFailure)
class SignInFailureAdmin(ReadOnlyAdmin):
    """Failed sign-ins, for seeing a password-spraying address (the limit per address counts these)."""

    list_display = ["at", "address", "username"]
    list_filter = ["at"]
    search_fields = ["address", "username"]
