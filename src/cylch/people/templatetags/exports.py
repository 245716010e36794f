"""Filters for printed exports: a field name as a heading, a value as a person would write it."""

from __future__ import annotations

import datetime

from django import template
from django.utils import formats, timezone
from django.utils.text import capfirst

from cylch.core.templatetags.govuk import localised_name

register = template.Library()


@register.filter
def field_label(name: str) -> str:
    """'date_of_birth' -> 'Date of birth'."""
    return str(capfirst(str(name).replace("_", " ")))


@register.filter
def field_value(value: object) -> str:
    """Dates as '27 December 2014', times in local time, lists joined, nothing as a dash."""
    if value is None or value == "" or value == [] or value == {}:
        return "–"
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "j F Y H:i")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "j F Y")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items())
    if hasattr(value, "name"):
        return localised_name(value)
    return str(value)
