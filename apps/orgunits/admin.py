from django.contrib import admin

from apps.core.admin import ReadOnlyAdmin
from apps.orgunits.models import Designation, OrgUnit, OrgUnitSuccession


@admin.register(OrgUnit)
class OrgUnitAdmin(ReadOnlyAdmin):
    list_display = ["name", "code", "type", "valid_from", "valid_to"]
    list_filter = ["type", "level"]
    search_fields = ["name", "name_folded", "code"]
    raw_id_fields = ["parent"]
    readonly_fields = ["path", "level", "name_folded"]


@admin.register(OrgUnitSuccession)
class OrgUnitSuccessionAdmin(ReadOnlyAdmin):
    list_display = ["predecessor", "successor", "partial", "effective_on", "source"]
    raw_id_fields = ["predecessor", "successor"]
    search_fields = ["predecessor__name", "successor__name"]


@admin.register(Designation)
class DesignationAdmin(ReadOnlyAdmin):
    list_display = ["unit", "kind", "valid_from", "valid_to", "decision_ref"]
    list_filter = ["kind"]
    search_fields = ["unit__name", "unit__code", "decision_ref"]
    raw_id_fields = ["unit"]
    list_select_related = ["unit"]
