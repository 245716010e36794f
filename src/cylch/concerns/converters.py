"""The `<reference:…>` path converter: a path segment that cannot be a concern reference matches no route (404).

The value is passed on as typed ('2026 4k7mq2h' works as well as '2026-4K7MQ2H'); selectors normalise it.
"""

from __future__ import annotations

from cylch.concerns.references import reference_normalise
from cylch.core.codes import TYPED_CODE_PATTERN


class ReferenceConverter:
    regex = TYPED_CODE_PATTERN

    def to_python(self, value: str) -> str:
        if not reference_normalise(value):
            raise ValueError(value)  # Django's resolver reads ValueError as "this route does not match"
        return value

    def to_url(self, value: str) -> str:
        return value
