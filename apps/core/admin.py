from django.contrib import admin

from apps.core.models import AuditEvent


class ReadOnly:
    """Domain records are written through their services (scope checks, derived fields, the audit log); the
    admin shows them to system administrators but does not write them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnly, admin.ModelAdmin):
    pass


class ReadOnlyInline(ReadOnly, admin.TabularInline):
    extra = 0


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The audit log is append-only: readable here, never editable."""

    list_display = ["created_at", "actor", "kind", "action", "object_repr", "org_unit"]
    list_filter = ["kind", "action"]
    search_fields = ["object_repr", "action", "actor__username"]
    list_select_related = ["actor", "org_unit"]
