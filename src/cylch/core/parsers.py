"""The API's JSON parser: bounded in size and nesting depth, so no body can cost a 5xx.

Python's json module recurses once per level: a body nested 100,000 levels deep raised RecursionError before
this parser existed. Depth is measured on the raw text before parsing, so nothing deep is ever built. Size is
capped by Django's own limit (`DATA_UPLOAD_MAX_MEMORY_SIZE`, checked as DRF reads the body before parsing);
`cylch.core.api_errors` answers that with a 413 saying so rather than Django's bare 400 page.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser
from rest_framework.utils import json

# Deeper than any body the API accepts (a concern's subjects' identifiers are four levels down).
MAX_DEPTH = 32
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


def json_depth(text: str) -> int:
    """How deeply arrays and objects nest in `text` (brackets inside strings do not count)."""
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    return max(itertools.accumulate(1 if ch in "[{" else -1 for ch in brackets), default=0)


class BoundedJSONParser(JSONParser):
    def parse(
        self, stream: IO[Any], media_type: str | None = None, parser_context: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        raw = stream.read()
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = raw.decode(encoding)
        except (LookupError, UnicodeError) as error:
            raise ParseError(_("The request body is not text in %(encoding)s.") % {"encoding": encoding}) from error
        if json_depth(text) > MAX_DEPTH:
            raise ParseError(_("The JSON is nested more than %(limit)s levels deep.") % {"limit": MAX_DEPTH})
        try:
            data: dict[str, Any] = json.loads(text, parse_constant=json.strict_constant if self.strict else None)
        except ValueError as error:
            raise ParseError(_("The request body is not valid JSON: %(error)s") % {"error": error}) from error
        return data
