from django.contrib import admin

from cylch.chronology.models import ChronologyEvent


@admin.register(ChronologyEvent)
class ChronologyEventAdmin(admin.ModelAdmin[ChronologyEvent]):
    list_display = ["occurred_at", "kind", "agency", "person", "sensitivity"]
    list_filter = ["kind", "sensitivity", "agency__kind"]
    raw_id_fields = ["person", "source_record", "recorded_by"]
    date_hierarchy = "occurred_at"
