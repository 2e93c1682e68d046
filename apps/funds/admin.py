"""The funds' records in Django admin: read-only, like every domain record (they are written through the services,
and the ledger refuses edits in the database anyway), except the working-day calendar, which is reference data a
system administrator keeps up to date each year (each change is audited)."""

from django.contrib import admin
from django.db import transaction

from apps.core.admin import ReadOnlyAdmin
from apps.core.audit import audit_record
from apps.funds.models import CalendarDay, Donation, Donor, Entry, Fund, Payout, Pledge, UsagePlan


@admin.register(Fund)
class FundAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "kind", "regime", "school", "org_unit", "organisation"]
    search_fields = ["code", "name"]
    raw_id_fields = ["school", "org_unit", "organisation"]


@admin.register(Donor)
class DonorAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "org_unit", "named_in_public"]
    search_fields = ["name"]
    raw_id_fields = ["org_unit", "organisation"]


@admin.register(Donation)
class DonationAdmin(ReadOnlyAdmin):
    list_display = ["receipt_number", "fund", "kind", "amount", "valuation", "received_on"]
    search_fields = ["receipt_number"]
    raw_id_fields = ["fund", "donor", "instalment"]


@admin.register(Entry)
class EntryAdmin(ReadOnlyAdmin):
    list_display = ["pk", "fund", "kind", "on", "cash", "item", "quantity", "value"]
    raw_id_fields = ["fund", "donation", "payout", "reverses"]


for model in (Payout, UsagePlan, Pledge):
    admin.site.register(model, ReadOnlyAdmin)


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    """Holidays and make-up working days: the posting period of usage plans counts with them."""

    list_display = ["day", "kind", "name"]
    list_filter = ["kind"]
    date_hierarchy = "day"

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action="funds.calendar_change",
            obj=obj,
            changes={"day": obj.day.isoformat(), "kind": obj.kind, "name": obj.name},
        )

    @transaction.atomic
    def delete_model(self, request, obj):
        audit_record(
            actor=request.user, action="funds.calendar_change", obj=obj, changes={"deleted": obj.day.isoformat()}
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)
