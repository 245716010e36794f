"""The shape of each kind of feed item, checked at the boundary: the API and bulk files parse items here, so an
item means the same and is refused with the same words whichever way it arrives.

A person is named by the agency's own record ID (`local_id`): on its own it must be a record the agency sent
before; with identifying details it is received and linked as `POST /api/v1/source-records` would (a new person,
a link, or a match review), so nothing about someone unmatched is dropped.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from rest_framework import serializers

from cylch.chronology.models import EventKind, Sensitivity
from cylch.feeds.models import ItemType
from cylch.linkage.api import SourceRecordSerializer
from cylch.people.models import Ethnicity, Language, RegisterCategory, RelationshipKind, StatusKind

MAX_ITEM_ID = 100
MAX_CHILD_WORDS = 10_000
# Fields that say who the person is; `local_id` alone names a record sent before.
IDENTIFYING_FIELDS = ("given_name", "family_name", "date_of_birth", "nhs_number", "postcode", "address", "identifiers")


class PersonRefSerializer(SourceRecordSerializer):
    """The agency's record of the person (as for source records), plus identity recorded at intake."""

    is_unborn = serializers.BooleanField(required=False, default=False)
    expected_delivery_date = serializers.DateField(required=False, allow_null=True, default=None)
    ethnicity = serializers.ChoiceField(
        choices=Ethnicity.choices, required=False, allow_blank=True, default="", help_text="census code, e.g. WBRI"
    )
    first_language = serializers.ChoiceField(
        choices=Language.choices, required=False, allow_blank=True, default="", help_text="ISO 639-3, e.g. cym"
    )
    interpreter_needed = serializers.BooleanField(required=False, allow_null=True, default=None)


def has_details(person: dict[str, Any]) -> bool:
    return any(person.get(field) for field in IDENTIFYING_FIELDS) or bool(person.get("is_unborn"))


def _no_nul(value: Any) -> Any:
    """PostgreSQL cannot store a NUL character in JSON text: refuse it here rather than fail on saving."""
    if "\\u0000" in json.dumps(value):
        raise serializers.ValidationError(_("Null characters are not allowed."))
    return value


class ItemSerializer(serializers.Serializer[dict[str, Any]]):
    id = serializers.CharField(max_length=MAX_ITEM_ID, help_text="Your system's own ID for this item")
    person = PersonRefSerializer()


class EventItemSerializer(ItemSerializer):
    kind = serializers.ChoiceField(choices=EventKind.choices)
    occurred_at = serializers.DateTimeField(help_text="When it happened, with its time zone")
    summary = serializers.CharField(max_length=500)
    details = serializers.DictField(required=False, default=dict, validators=[_no_nul])
    sensitivity = serializers.ChoiceField(choices=Sensitivity.choices, required=False, default=Sensitivity.STANDARD)
    child_words = serializers.CharField(required=False, allow_blank=True, max_length=MAX_CHILD_WORDS, default="")


class InvolvementItemSerializer(ItemSerializer):
    """Your agency's work with the person, keyed on its start date: send it again with `end_date` to close it."""

    start_date = serializers.DateField()
    end_date = serializers.DateField(required=False, allow_null=True, default=None)
    team = serializers.CharField(required=False, allow_blank=True, max_length=120, default="", help_text="team name")
    practitioner = serializers.CharField(
        required=False, allow_blank=True, max_length=150, default="", help_text="the practitioner's Cylch username"
    )
    role = serializers.CharField(required=False, allow_blank=True, max_length=120, default="")


class HouseholdMembershipItemSerializer(ItemSerializer):
    """The person lives (or lived) at this address from `start_date`; `end_date` when they moved out."""

    address_line_1 = serializers.CharField(max_length=200)
    address_line_2 = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    town = serializers.CharField(max_length=100)
    postcode = serializers.CharField(max_length=10)
    start_date = serializers.DateField()
    end_date = serializers.DateField(required=False, allow_null=True, default=None)


class RelationshipItemSerializer(ItemSerializer):
    """`relative` is the <kind> of `person` (e.g. the mother is the parent of the child)."""

    relative = PersonRefSerializer()
    kind = serializers.ChoiceField(choices=RelationshipKind.choices)
    start_date = serializers.DateField(required=False, allow_null=True, default=None)
    end_date = serializers.DateField(required=False, allow_null=True, default=None)


class StatusItemSerializer(ItemSerializer):
    """Register (with its category) or looked-after status, keyed on its start date; `end_date` ends it."""

    kind = serializers.ChoiceField(choices=StatusKind.choices)
    category = serializers.ChoiceField(choices=RegisterCategory.choices, required=False, allow_blank=True, default="")
    start_date = serializers.DateField()
    end_date = serializers.DateField(required=False, allow_null=True, default=None)


ITEM_SERIALIZERS: dict[str, type[ItemSerializer]] = {
    ItemType.EVENT: EventItemSerializer,
    ItemType.INVOLVEMENT: InvolvementItemSerializer,
    ItemType.HOUSEHOLD_MEMBERSHIP: HouseholdMembershipItemSerializer,
    ItemType.RELATIONSHIP: RelationshipItemSerializer,
    ItemType.STATUS: StatusItemSerializer,
}


def _plain(value: Any, limit: int) -> str | None:
    """`value` as DRF's CharField would take it (trimmed, not blank, within `limit`), or None for anything it might
    treat otherwise (a number, a NUL, an unencodable surrogate): those go the serializer's way instead."""
    if not isinstance(value, str) or "\x00" in value:
        return None
    text = value.strip()
    if not text or len(text) > limit:
        return None
    try:
        text.encode()
    except UnicodeEncodeError:
        return None
    return text


def _aware(value: Any) -> datetime.datetime | None:
    """An ISO 8601 time with its zone, in the current zone (as DRF's DateTimeField gives it), or None."""
    if not isinstance(value, str):
        return None
    try:
        parsed = parse_datetime(value)
        if parsed is None or not timezone.is_aware(parsed):
            return None
        return parsed.astimezone(timezone.get_current_timezone())
    except (ValueError, OverflowError):
        return None


@dataclass(frozen=True)
class _EventRules:
    """What the plain reading of an event checks, read off the serializer's own fields (one definition)."""

    id_length: int
    local_id_length: int
    summary_length: int
    child_words_length: int
    kinds: frozenset[str]
    sensitivities: frozenset[str]
    sensitivity: str

    @classmethod
    def of(cls, serializer: ItemSerializer) -> _EventRules:
        fields, person = serializer.fields, serializer.fields["person"]
        sensitivity = fields["sensitivity"]
        if not isinstance(person, serializers.Serializer) or not isinstance(sensitivity, serializers.ChoiceField):
            raise TypeError("an event names its person with a serializer and its sensitivity with a choice")
        return cls(
            id_length=_max_length(fields["id"]),
            local_id_length=_max_length(person.fields["local_id"]),
            summary_length=_max_length(fields["summary"]),
            child_words_length=_max_length(fields["child_words"]),
            kinds=_choices(fields["kind"]),
            sensitivities=_choices(sensitivity),
            sensitivity=str(sensitivity.default),
        )


def _max_length(field: serializers.Field[Any, Any, Any, Any]) -> int:
    if not isinstance(field, serializers.CharField) or field.max_length is None:
        raise TypeError(f"{field.field_name} is not text of a limited length")
    return field.max_length


def _choices(field: serializers.Field[Any, Any, Any, Any]) -> frozenset[str]:
    if not isinstance(field, serializers.ChoiceField):
        raise TypeError(f"{field.field_name} is not a choice")
    return frozenset(str(choice) for choice in field.choices)


class ItemParser:
    """Checks items against one serializer per type, built once: DRF deep-copies every field of a serializer each
    time one is made (the choices of the kinds, ethnicities and languages included), which cost more than all
    the rest of storing an event. A parser is made per batch, never shared between threads.

    An event naming its person by `local_id` alone (the nightly bulk of every feed) is read by `_event_plain`
    instead, about a tenth of DRF's cost per item: its limits and choices are the serializer's fields' own
    (`_EventRules`), and it answers only when the item plainly passes them (it returns exactly what the serializer
    would, a property test holds it to that); anything else, every refusal included, goes through the serializer,
    so the errors are the serializer's words."""

    def __init__(self) -> None:
        self._serializers: dict[str, ItemSerializer] = {}
        self._person_template: dict[str, Any] | None = None
        self._event_rules: _EventRules | None = None

    def _serializer(self, item_type: str) -> ItemSerializer:
        serializer = self._serializers.get(item_type)
        if serializer is None:
            serializer = self._serializers[item_type] = ITEM_SERIALIZERS[item_type]()
        return serializer

    def _person_by_local_id(self, local_id: str) -> dict[str, Any]:
        """The serializer's reading of {"local_id": ...}: every other field at its default (read once)."""
        if self._person_template is None:
            template = PersonRefSerializer().run_validation({"local_id": "x"})
            self._person_template = dict(template)
        return {**self._person_template, "local_id": local_id}

    def _event_plain(self, raw: dict[str, Any]) -> dict[str, Any] | None:
        person = raw.get("person")
        if not isinstance(person, dict) or len(person) != 1 or "local_id" not in person:
            return None
        rules = self._event_rules
        if rules is None:
            rules = self._event_rules = _EventRules.of(self._serializer(ItemType.EVENT))
        item_id, local_id = _plain(raw.get("id"), rules.id_length), _plain(person["local_id"], rules.local_id_length)
        kind, summary = raw.get("kind"), _plain(raw.get("summary"), rules.summary_length)
        sensitivity = raw.get("sensitivity", rules.sensitivity)
        occurred_at = _aware(raw.get("occurred_at"))
        details = raw.get("details", {})
        child_words = raw.get("child_words", "")
        if (
            item_id is None
            or local_id is None
            or summary is None
            or not isinstance(kind, str)
            or kind not in rules.kinds
            or not isinstance(sensitivity, str)
            or sensitivity not in rules.sensitivities
            or occurred_at is None
            or not isinstance(details, dict)
            or (details and "\\u0000" in json.dumps(details))  # most events send none
            or not isinstance(child_words, str)
        ):
            return None
        if child_words.strip():
            words = _plain(child_words, rules.child_words_length)
            if words is None:
                return None
        else:
            words = ""
        return {
            "id": item_id,
            "person": self._person_by_local_id(local_id),
            "kind": str(kind),
            "occurred_at": occurred_at,
            "summary": summary,
            "details": {str(key): value for key, value in details.items()},
            "sensitivity": str(sensitivity),
            "child_words": words,
        }

    def parse(self, item_type: str, raw: Any) -> tuple[dict[str, Any] | None, dict[str, Any]]:
        """(the checked item, {}) or (None, field errors)."""
        if item_type not in ITEM_SERIALIZERS:
            types = ", ".join(ItemType)
            return None, {"type": [_("Unknown type of item: use one of %(types)s.") % {"types": types}]}
        if not isinstance(raw, dict):
            return None, {"item": [_("Each item is a JSON object.")]}
        if item_type == ItemType.EVENT:
            plain = self._event_plain(raw)
            if plain is not None:
                return plain, {}
        serializer = self._serializer(item_type)
        try:
            item: dict[str, Any] = serializer.run_validation(raw)
        except serializers.ValidationError as error:
            detail = error.detail
            return None, dict(detail) if isinstance(detail, dict) else {"item": detail}
        return dict(item), {}


def content_hash(item_type: str, item: dict[str, Any]) -> str:
    """The same item, however its fields were ordered or spelt (2026-01-02 or a datetime), hashes the same."""
    text = json.dumps([item_type, item], sort_keys=True, cls=DjangoJSONEncoder)
    return hashlib.sha256(text.encode()).hexdigest()
