"""What the feeds add to other apps' pages: the details an agency or a practitioner sent with an event, for the
chronology (`{% include "feeds/event_details.html" %}` in a row that has `event`)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django import template

from cylch.chronology.models import ChronologyEvent, EventKind

register = template.Library()

# Kinds Cylch writes with its own facts (a concern, a decision, a status): their details are references for the
# software (the concern, the status row), not something anyone sent, so they are not shown as the sender's words.
WRITTEN_BY_CYLCH = frozenset(
    {
        EventKind.CONCERN,
        EventKind.INFORMATION_SHARING,
        EventKind.THRESHOLD_DECISION,
        EventKind.REGISTERED,
        EventKind.DEREGISTERED,
        EventKind.BECAME_LOOKED_AFTER,
        EventKind.CEASED_LOOKED_AFTER,
    }
)
# The web form's free text is stored under this one key.
TYPED = "text"


@dataclass(frozen=True)
class Detail:
    label: str
    value: str


def _label(key: str) -> str:
    words = str(key).replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:]


def _value(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


@register.filter
def event_details(event: ChronologyEvent) -> dict[str, Any]:
    """{"text": what a practitioner typed} or {"fields": [Detail, ...]} an agency's system sent; {} for none, or
    for an event Cylch wrote itself."""
    details = event.details
    if not details or not isinstance(details, dict) or event.kind in WRITTEN_BY_CYLCH:
        return {}
    if set(details) == {TYPED} and isinstance(details[TYPED], str):
        return {"text": details[TYPED]}
    return {"fields": [Detail(_label(key), _value(value)) for key, value in details.items()]}
