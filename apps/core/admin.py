from django.contrib import admin

from apps.core.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit log is append-only: readable here, never editable."""

    list_display = ["created_at", "actor", "kind", "action", "object_repr", "org_unit"]
    list_filter = ["kind", "action"]
    search_fields = ["object_repr", "action", "actor__username"]
    list_select_related = ["actor", "org_unit"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
