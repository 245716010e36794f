"""Administration of chronology events: administrators only, and audited."""

from django.contrib import admin

from cylch.audit.admin import PersonalDataAdminMixin
from cylch.chronology.models import ChronologyEvent


@admin.register(ChronologyEvent)
class ChronologyEventAdmin(PersonalDataAdminMixin[ChronologyEvent]):
    list_display = ["occurred_at", "kind", "agency", "person", "sensitivity"]
    list_filter = ["kind", "sensitivity", "agency__kind"]
    raw_id_fields = ["person", "source_record", "recorded_by"]
    date_hierarchy = "occurred_at"
