"""The <reference:…> path converter: only what could be a concern reference reaches a view."""

from __future__ import annotations

import re

import pytest
from django.urls import Resolver404, resolve

from cylch.concerns.converters import ReferenceConverter
from cylch.concerns.references import reference_new

VALID = reference_new(2026)


@pytest.mark.parametrize("typed", [VALID, VALID.lower(), VALID.replace("-", " ")])
def test_a_reference_as_people_type_it_is_passed_on_as_typed(typed):
    assert ReferenceConverter().to_python(typed) == typed


@pytest.mark.parametrize("text", ["\x00", VALID[:-1], VALID[:-1] + ("0" if VALID[-1] != "0" else "1"), "9" * 30])
def test_what_cannot_be_a_reference_is_refused(text):
    with pytest.raises(ValueError, match=re.escape(text)):
        ReferenceConverter().to_python(text)


@pytest.mark.parametrize("path", ["/concerns/%00/", "/concerns/submitted/%00/", "/api/v1/concerns/%00"])
def test_a_path_with_no_possible_reference_matches_no_route(path):
    with pytest.raises(Resolver404):
        resolve(path)
