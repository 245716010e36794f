"""The `<cylch_id:…>` path converter: a path segment that cannot be a Cylch ID matches no route (404).

So a NUL byte, a thousand characters or a mistyped check character never reaches a view or the database. The
value is passed on as typed (views normalise it and redirect to the canonical spelling).
"""

from __future__ import annotations

from cylch.core.codes import TYPED_CODE_PATTERN, is_valid, normalise
from cylch.people.services import CYLCH_ID_LENGTH


class CylchIdConverter:
    regex = TYPED_CODE_PATTERN

    def to_python(self, value: str) -> str:
        code = normalise(value)
        if len(code) != CYLCH_ID_LENGTH or not is_valid(code):
            raise ValueError(value)  # Django's resolver reads ValueError as "this route does not match"
        return value

    def to_url(self, value: str) -> str:
        return value
