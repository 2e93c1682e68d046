from django.contrib import admin

from apps.core.admin import ReadOnlyAdmin, ReadOnlyInline
from apps.schools.models import Organisation, Phase, School, SchoolSite, SchoolYear, Semester


class SiteInline(ReadOnlyInline):
    model = SchoolSite
    raw_id_fields = ["hamlet"]


@admin.register(School)
class SchoolAdmin(ReadOnlyAdmin):
    list_display = ["name", "moet_code", "location", "managed_by", "ownership"]
    search_fields = ["name", "moet_code"]
    raw_id_fields = ["location"]
    inlines = [SiteInline]


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "school", "org_unit"]
    raw_id_fields = ["school", "org_unit"]


class SemesterInline(ReadOnlyInline):
    model = Semester


class PhaseInline(ReadOnlyInline):
    model = Phase


@admin.register(SchoolYear)
class SchoolYearAdmin(ReadOnlyAdmin):
    list_display = ["name", "province", "opening_day"]
    inlines = [SemesterInline, PhaseInline]
    raw_id_fields = ["province"]
