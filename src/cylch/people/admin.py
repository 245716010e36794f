"""Administration of people records. Opening a person here is a read of their record, so it is logged."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest, HttpResponse

from cylch.accounts.models import Practitioner
from cylch.audit.models import AccessOutcome
from cylch.audit.services import access_log_record
from cylch.people.models import (
    Household,
    HouseholdMembership,
    Involvement,
    Person,
    PersonIdentifier,
    PersonName,
    Relationship,
    SourceRecord,
    StatutoryStatus,
)


class PersonNameInline(admin.TabularInline[PersonName, Person]):
    model = PersonName
    extra = 0


class PersonIdentifierInline(admin.TabularInline[PersonIdentifier, Person]):
    model = PersonIdentifier
    extra = 0
    autocomplete_fields = ["agency"]


class InvolvementInline(admin.TabularInline[Involvement, Person]):
    model = Involvement
    extra = 0
    autocomplete_fields = ["agency"]
    raw_id_fields = ["practitioner", "team"]


class StatutoryStatusInline(admin.TabularInline[StatutoryStatus, Person]):
    model = StatutoryStatus
    extra = 0


SOURCE_RECORD_FIELDS = ("agency", "local_id", "given_name", "family_name", "date_of_birth", "nhs_number", "postcode")


class SourceRecordInline(admin.TabularInline[SourceRecord, Person]):
    """An agency's copy is never edited here: linkage may re-point it, nobody rewrites it."""

    model = SourceRecord
    extra = 0
    can_delete = False
    fields = SOURCE_RECORD_FIELDS
    readonly_fields = SOURCE_RECORD_FIELDS

    def has_add_permission(self, request: HttpRequest, obj: Person | None = None) -> bool:
        return False


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin[Person]):
    list_display = ["cylch_id", "given_name", "family_name", "date_of_birth", "is_unborn", "nhs_number"]
    list_filter = ["is_unborn", "sex"]
    search_fields = ["cylch_id", "nhs_number", "family_name", "given_name"]
    readonly_fields = ["cylch_id", "merged_into", "created_at", "updated_at"]
    inlines = [PersonNameInline, PersonIdentifierInline, InvolvementInline, StatutoryStatusInline, SourceRecordInline]

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        person = self.get_object(request, object_id)
        with transaction.atomic():
            if person is not None and isinstance(request.user, Practitioner):
                access_log_record(
                    practitioner=request.user,
                    person=person,
                    page="admin-person",
                    outcome=AccessOutcome.DETAIL,
                    request=request,
                )
            return super().change_view(request, object_id, form_url, extra_context)


class HouseholdMembershipInline(admin.TabularInline[HouseholdMembership, Household]):
    model = HouseholdMembership
    extra = 0
    raw_id_fields = ["person"]


@admin.register(Household)
class HouseholdAdmin(admin.ModelAdmin[Household]):
    list_display = ["address_line_1", "town", "postcode", "local_authority"]
    list_filter = ["local_authority"]
    search_fields = ["postcode", "address_line_1"]
    inlines = [HouseholdMembershipInline]


@admin.register(Relationship)
class RelationshipAdmin(admin.ModelAdmin[Relationship]):
    list_display = ["person", "kind", "relative", "start_date", "end_date"]
    list_filter = ["kind"]
    raw_id_fields = ["person", "relative"]
