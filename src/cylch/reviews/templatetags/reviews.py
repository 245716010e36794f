"""Template filters for review pages: names of review types and themes in the active language."""

from __future__ import annotations

from django import template
from django.utils import translation

from cylch.reviews.definitions import review_types
from cylch.reviews.models import Theme

register = template.Library()


@register.filter
def review_type_name(code: str) -> str:
    """'susr' -> 'Single Unified Safeguarding Review (SUSR)', in Welsh when Welsh is active."""
    definition = review_types().get(code)
    if definition is None:
        return code
    return definition.name_cy if translation.get_language() == "cy" else definition.name


@register.filter
def theme_label(code: str) -> str:
    return str(dict(Theme.choices).get(code, code))


@register.filter
def lookup(mapping: dict[object, object], key: object) -> object:
    """`themes|lookup:review.pk`: a value from a dict the view built."""
    return mapping.get(key, "")
