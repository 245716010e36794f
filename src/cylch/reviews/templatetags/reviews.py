"""Template filters for review pages (names of review types and themes in the active language), and
`{% reviews_home %}`, the home page's part."""

from __future__ import annotations

import datetime
from typing import Any

from django import template
from django.utils import timezone, translation
from django.utils.translation import ngettext

from cylch.reviews.definitions import review_types
from cylch.reviews.models import Theme
from cylch.reviews.permissions import can_run_reviews
from cylch.reviews.selectors import agency_action_counts, current_reviews_by_lateness

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
def age_since(made_on: datetime.date | None, today: datetime.date | None = None) -> str:
    """How long ago a recommendation was made: days under two months, whole calendar months after."""
    if made_on is None:
        return ""
    today = today or timezone.localdate()
    months = (today.year - made_on.year) * 12 + today.month - made_on.month - (today.day < made_on.day)
    if months >= 2:
        return ngettext("%(count)d month", "%(count)d months", months) % {"count": months}
    days = max((today - made_on).days, 0)
    return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}


@register.filter
def lookup(mapping: dict[object, object], key: object) -> object:
    """`themes|lookup:review.pk`: a value from a dict the view built."""
    return mapping.get(key, "")


@register.inclusion_tag("reviews/includes/home.html", takes_context=True)
def reviews_home(context: template.Context) -> dict[str, Any]:
    """`{% reviews_home %}` on the home page: the agency's open review actions (and how many are overdue), and
    for the board its current reviews and how many are late. Counts only: no one is named."""
    user = context["request"].user
    board = can_run_reviews(user)
    current = current_reviews_by_lateness(user=user) if board else []
    return {
        "actions": agency_action_counts(user=user),
        "board": board,
        "current": len(current),
        "late": sum(1 for row in current if row.days_late > 0),
    }
