"""`{% risk_alerts_on_record record %}`: open alerts on a person's page, owned here so records need not import risk.

The page's own read has already decided, and logged, whether the reader sees the person's detail
(`record.detail_allowed`): with it they see each alert's rule and a link, without it only that an alert exists
and whom to contact. A reader who sees the child also gets the link to record a missed appointment."""

from __future__ import annotations

from typing import Any

from django import template

from cylch.risk.selectors import alerts_on_record

register = template.Library()


@register.inclusion_tag("risk/includes/record_alerts.html")
def risk_alerts_on_record(record: Any) -> dict[str, Any]:
    return {"alerts": alerts_on_record(person=record.person), "detail": bool(record.detail_allowed), "record": record}
