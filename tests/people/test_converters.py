"""The <cylch_id:…> path converter: only what could be a Cylch ID reaches a view."""

from __future__ import annotations

import re

import pytest
from django.urls import Resolver404, resolve

from cylch.people.converters import CylchIdConverter
from tests.factories import cylch_id

VALID = cylch_id(1)


@pytest.mark.parametrize("typed", [VALID, VALID.lower(), f"{VALID[:5]} {VALID[5:]}", f"{VALID[:5]}-{VALID[5:]}"])
def test_an_id_as_people_type_it_is_passed_on_as_typed(typed):
    assert CylchIdConverter().to_python(typed) == typed


@pytest.mark.parametrize("text", ["\x00", VALID[:-1], VALID[:-1] + "0", VALID + "0", "9" * 30])
def test_what_cannot_be_a_cylch_id_is_refused(text):
    with pytest.raises(ValueError, match=re.escape(text)):
        CylchIdConverter().to_python(text)


@pytest.mark.parametrize(
    "path",
    ["/people/%00/", "/people/%00/family/", "/people/%00/chronology.csv", "/api/v1/persons/%00", "/people/ab%C2%B2/"],
)
def test_a_path_with_no_possible_cylch_id_matches_no_route(path):
    with pytest.raises(Resolver404):
        resolve(path)
