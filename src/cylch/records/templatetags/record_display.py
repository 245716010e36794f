"""Filters for the person pages: what a page shows of someone in place of detail the reader may not see."""

from __future__ import annotations

from django import template
from django.utils import timezone

from cylch.people.models import Person
from cylch.records.ages import age_band as band_of

register = template.Library()


@register.filter
def age_band(person: Person) -> str:
    """The person's age band today ('Aged 1 to 4', 'Adult'), for someone whose record the reader may not open."""
    return band_of(person, timezone.localdate())
