"""Meetings shown on lower apps' pages, owned here so `records`, `concerns` and `home` need not import meetings.

`{% meetings_on_record record %}` on the single view: the child's clocks and the meetings the reader may open (the
page's own read has decided, and logged, whether the reader sees the child). `{% meetings_convene_link concern
decision %}` on a concern: after a threshold decision of "strategy discussion", the way to convene one.
`{% meetings_home %}` on the home page: how many meetings and plan actions wait, naming no one."""

from __future__ import annotations

import datetime
from typing import Any

from django import template
from django.utils import timezone, translation

from cylch.accounts.models import AgencyKind
from cylch.meetings.clocks import Clock
from cylch.meetings.models import Invitee, Meeting, Plan
from cylch.meetings.permissions import can_convene, can_see_timeliness
from cylch.meetings.selectors import clocks_for_child, meetings_of_child, work_counts

register = template.Library()


@register.inclusion_tag("meetings/includes/record_meetings.html", takes_context=True)
def meetings_on_record(context: template.Context, record: Any) -> dict[str, Any]:
    user = context["request"].user
    if not record.detail_allowed:
        return {"shown": False}
    person = record.person
    # Most children never have a meeting: one query says so, and the clocks, meetings and plan are not looked for.
    known = Meeting.objects.filter(children=person).exists()
    return {
        "shown": True,
        "record": record,
        "clocks": clocks_for_child(person) if known else [],
        "meetings": meetings_of_child(user=user, person=person) if known else [],
        "plan": Plan.objects.filter(person=person, ended_on__isnull=True).first() if known else None,
        "today": timezone.localdate(),
        "can_convene": can_convene(user),
    }


@register.inclusion_tag("meetings/includes/convene_link.html", takes_context=True)
def meetings_convene_link(context: template.Context, concern: Any, decision: Any) -> dict[str, Any]:
    user = context["request"].user
    offered = decision is not None and decision.outcome == "strategy_discussion" and can_convene(user)
    return {"offered": offered, "concern": concern, "held": concern.meetings.all() if offered else []}


@register.inclusion_tag("meetings/includes/home.html", takes_context=True)
def meetings_home(context: template.Context) -> dict[str, Any]:
    user = context["request"].user
    return {"counts": work_counts(user=user), "can_convene": can_convene(user), "timeliness": can_see_timeliness(user)}


@register.filter
def invitee_role(invitee: Invitee) -> str:
    """The invitee's role; one filled in from their agency's kind when booking is shown in the reader's language."""
    kind = AgencyKind(invitee.agency.kind) if invitee.agency.kind in AgencyKind.values else None
    if kind is not None:
        with translation.override("en"):
            english = str(kind.label)
        if invitee.role == english:
            return str(kind.label)
    return invitee.role


@register.filter
def clock_state(clock: Clock, today: datetime.date) -> str:
    """`{{ clock|clock_state:today }}`: met, late, overdue or running."""
    return str(clock.state(today))


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key)


@register.filter
def get_field(form: Any, name: str) -> Any:
    """`{{ form|get_field:name }}`: a bound field named at run time (one per invitee)."""
    return form[name]
