"""Administration of people records: administrators only, and every list, record, save and delete audited."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from cylch.audit.admin import PersonalDataAdminMixin
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
class PersonAdmin(PersonalDataAdminMixin[Person]):
    audit_person = ""
    list_display = ["cylch_id", "given_name", "family_name", "date_of_birth", "is_unborn", "nhs_number"]
    list_filter = ["is_unborn", "sex"]
    search_fields = ["cylch_id", "nhs_number", "family_name", "given_name"]
    readonly_fields = ["cylch_id", "merged_into", "created_at", "updated_at"]
    inlines = [PersonNameInline, PersonIdentifierInline, InvolvementInline, StatutoryStatusInline, SourceRecordInline]


class HouseholdMembershipInline(admin.TabularInline[HouseholdMembership, Household]):
    model = HouseholdMembership
    extra = 0
    raw_id_fields = ["person"]


@admin.register(Household)
class HouseholdAdmin(PersonalDataAdminMixin[Household]):
    audit_person = None  # an address, shared by its members
    list_display = ["address_line_1", "town", "postcode", "local_authority"]
    list_filter = ["local_authority"]
    search_fields = ["postcode", "address_line_1"]
    inlines = [HouseholdMembershipInline]


@admin.register(Relationship)
class RelationshipAdmin(PersonalDataAdminMixin[Relationship]):
    list_display = ["person", "kind", "relative", "start_date", "end_date"]
    list_filter = ["kind"]
    raw_id_fields = ["person", "relative"]
