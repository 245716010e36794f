"""Filters for the person pages: what a page shows of someone in place of detail the reader may not see."""

from __future__ import annotations

import datetime

from django import template
from django.utils import timezone

from cylch.people.models import Person
from cylch.records.ages import age_band as band_of

register = template.Library()


@register.filter
def age_band(person: Person) -> str:
    """The person's age band today ('Aged 1 to 4', 'Adult'), for someone whose record the reader may not open."""
    return band_of(person, timezone.localdate())


@register.filter(expects_localtime=True)
def time_if_known(value: datetime.datetime | None) -> str:
    """'14:05', or nothing for local midnight: an event an agency gave only a date for (a register start, an
    appointment day) is stored at 00:00, and printing '00:00' would claim a time nobody recorded."""
    if not value or (value.hour, value.minute, value.second) == (0, 0, 0):
        return ""
    return f"{value:%H:%M}"


@register.filter
def concern_reference(local_id: str) -> str:
    """The concern's reference in a record the front door made from it (`concern:REF:N`), else ''. Cylch's own key
    is not an agency's record number, so the page says "Concern REF" instead of showing the key."""
    kind, _, rest = (local_id or "").partition(":")
    return rest.partition(":")[0] if kind == "concern" else ""
