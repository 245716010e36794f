"""Template tags that put the board's charts on the cycle page and the measured facts on each C's page, without
those pages' views knowing them. Each takes the signed-in practitioner from the page's request: the radar and the
links to the board's reports show only to the region's board; a C's facts follow `facts.visible_facts`."""

from __future__ import annotations

from typing import Any

from django import template

from cylch.accounts.models import Practitioner
from cylch.assurance.charts import radar_svg
from cylch.assurance.facts import Fact, cycle_facts, visible_facts
from cylch.assurance.models import Assessment, Cycle
from cylch.assurance.permissions import can_view_cycle, runs_cycle
from cylch.assurance.selectors.reports import cycle_scores, partnership_key

register = template.Library()


def _user(context: template.Context) -> Practitioner | None:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return user if isinstance(user, Practitioner) and user.is_authenticated else None


@register.simple_tag(takes_context=True)
def cycle_charts(context: template.Context, cycle: Cycle) -> dict[str, Any] | None:
    """The radar of both scales, its table and the partnership's key for the trends page (board only)."""
    user = _user(context)
    if user is None or not isinstance(cycle, Cycle) or not runs_cycle(user, cycle):
        return None
    scores = cycle_scores(cycle)
    return {"radar": radar_svg(scores), "scores": scores, "partnership": partnership_key(cycle)}


@register.simple_tag(takes_context=True)
def assessment_facts(context: template.Context, cycle: Cycle, assessment: Assessment | None = None) -> list[Fact]:
    """The facts measured for the page's C that the reader may see (an empty list for anyone else)."""
    user = _user(context)
    found = assessment or context.get("assessment") or getattr(context.get("page"), "assessment", None)
    if user is None or not isinstance(cycle, Cycle) or not isinstance(found, Assessment):
        return []
    if not can_view_cycle(user, cycle):
        return []
    return [f for f in visible_facts(cycle_facts(cycle), user=user, cycle=cycle) if f.component == found.component]


@register.simple_tag(takes_context=True)
def fact_link(context: template.Context, fact: Fact) -> str:
    """The fact's source page if the reader may open it; "" otherwise, so nobody is linked to a 403."""
    user = _user(context)
    return fact.url_for(user) if user is not None and isinstance(fact, Fact) else ""
