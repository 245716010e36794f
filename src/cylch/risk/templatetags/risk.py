"""`{% risk_alerts_on_record record %}`: open alerts on a person's page, owned here so records need not import risk;
`{% risk_factors_on_record record %}` and `{% risk_factors_on_family members %}`: the risk factors recorded
against the person, or against each family member whose detail the reader sees; `{% risk_home user %}`: the
alerts and follow-ups the user's agency owns, with a link to the work list, on the home page.

The page's own read has already decided, and logged, whether the reader sees the person's detail
(`record.detail_allowed`): with it they see each alert's rule and a link, without it only that an alert exists
and whom to contact. A reader who sees the child also gets the link to record a missed appointment."""

from __future__ import annotations

import datetime
from typing import Any

from django import template
from django.template.defaultfilters import date as date_format
from django.utils import timezone
from django.utils.translation import gettext as _

from cylch.accounts.models import Practitioner
from cylch.accounts.permissions import is_front_door
from cylch.risk.selectors import alerts_on_record, owned_work, risk_factors_of

register = template.Library()


@register.filter
def deadline(moment: datetime.datetime | None) -> str:
    """A clock's end as people say it: a midnight deadline is 'By the end of' the day before, not '00:00'."""
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    if local.time() == datetime.time.min:
        day = local.date() - datetime.timedelta(days=1)
        return _("By the end of %(day)s") % {"day": date_format(day, "j M Y")}
    return str(date_format(local, "j M Y H:i"))


@register.inclusion_tag("risk/includes/record_alerts.html")
def risk_alerts_on_record(record: Any) -> dict[str, Any]:
    return {"alerts": alerts_on_record(person=record.person), "detail": bool(record.detail_allowed), "record": record}


@register.inclusion_tag("risk/includes/record_factors.html")
def risk_factors_on_record(record: Any) -> dict[str, Any]:
    """Only for a reader the page's read allowed the person's detail (the factors are detail)."""
    if not record.detail_allowed:
        return {"factors": []}
    return {"factors": risk_factors_of(person_ids=[record.person.pk])[record.person.pk]}


@register.inclusion_tag("risk/includes/family_factors.html")
def risk_factors_on_family(members: Any) -> dict[str, Any]:
    """`members`: the family view's (member, relationship) pairs; only members whose detail the reader sees."""
    shown = [member for member, _relationship in members if member.detail_allowed]
    factors = risk_factors_of(person_ids=[m.person.pk for m in shown])
    return {"rows": [(m.person, factors[m.person.pk]) for m in shown if factors[m.person.pk]]}


@register.inclusion_tag("risk/includes/home.html")
def risk_home(user: Practitioner) -> dict[str, Any]:
    """Shown to the front door always, and to an agency's practitioners when their agency owns something."""
    work = owned_work(user=user)
    shown = is_front_door(user) or bool(work.alerts_open or work.follow_ups_due)
    return {"work": work, "shown": shown}
