"""Concern references: `YYYY-XXXXXXC` — the year received, six random characters and a check character.

Characters come from `cylch.core.codes`' alphabet (no I, L, O, S, U, V, Z), so a reference survives being read
over the phone; the check character covers the year too, so `2025-…` typed as `2026-…` is caught.
About 594 million codes a year: collisions are retried by the caller.
"""

from __future__ import annotations

import datetime
import re

from cylch.core.codes import check_character, is_valid, new_code, normalise

BODY_LENGTH = 6
_SHAPE = re.compile(r"^(\d{4})([0-9A-Z]{7})$")


def reference_new(year: int) -> str:
    body = new_code(BODY_LENGTH + 1)[:-1]
    return f"{year}-{body}{check_character(f'{year}{body}')}"


def reference_normalise(text: str) -> str:
    """What someone typed as a canonical reference ('2026 4k7mq2x' → '2026-4K7MQ2X'), or '' if it cannot be one."""
    cleaned = normalise(text.strip())
    match = _SHAPE.match(cleaned)
    if not match or not is_valid(cleaned):
        return ""
    return f"{match.group(1)}-{match.group(2)}"


def reference_year(reference: str) -> int:
    return int(reference[:4])


def current_year(now: datetime.datetime) -> int:
    return now.year
