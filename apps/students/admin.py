from django.contrib import admin

from apps.core.admin import ReadOnlyAdmin, ReadOnlyInline
from apps.students.models import CensusRecord, Child, ClassGroup, Enrolment, EnrolmentEvent


class EventInline(ReadOnlyInline):
    model = EnrolmentEvent
    fields = ["kind", "on", "reason", "reason_text", "other_school", "recorded_by"]
    readonly_fields = fields


@admin.register(Enrolment)
class EnrolmentAdmin(ReadOnlyAdmin):
    list_display = ["child", "school", "year", "grade", "class_group"]
    list_select_related = ["child", "school", "year", "class_group"]
    inlines = [EventInline]


@admin.register(Child)
class ChildAdmin(ReadOnlyAdmin):
    list_display = ["full_name", "birth_year", "sex", "commune"]
    list_select_related = ["commune"]
    search_fields = ["name_folded", "personal_id", "learner_id"]


@admin.register(ClassGroup)
class ClassGroupAdmin(ReadOnlyAdmin):
    list_display = ["name", "school", "year", "grade"]


@admin.register(CensusRecord)
class CensusRecordAdmin(ReadOnlyAdmin):
    list_display = ["child", "year", "hamlet", "status"]
