from django.contrib import admin

from apps.schools.models import Organisation, Phase, School, SchoolSite, SchoolYear, Semester


class SiteInline(admin.TabularInline):
    model = SchoolSite
    raw_id_fields = ["hamlet"]
    extra = 0


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["name", "moet_code", "location", "managed_by", "ownership"]
    search_fields = ["name", "moet_code"]
    raw_id_fields = ["location"]
    inlines = [SiteInline]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "school", "org_unit"]
    raw_id_fields = ["school", "org_unit"]


class SemesterInline(admin.TabularInline):
    model = Semester
    extra = 0


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0


@admin.register(SchoolYear)
class SchoolYearAdmin(admin.ModelAdmin):
    list_display = ["name", "province", "opening_day"]
    inlines = [SemesterInline, PhaseInline]
    raw_id_fields = ["province"]
