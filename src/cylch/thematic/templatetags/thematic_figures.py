"""Display filters for the analysis' figures (the page and the report share them)."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format

register = template.Library()
SMALLEST_SHOWN = 0.0001


@register.filter
def p_value(value: float) -> str:
    """A p-value to four decimal places, or "< 0.0001" (never a misleading 0.0000).

    >>> p_value(0.03125)
    '0.0312'
    """
    if value < SMALLEST_SHOWN:
        return "< " + number_format(SMALLEST_SHOWN, decimal_pos=4)
    return number_format(value, decimal_pos=4)
