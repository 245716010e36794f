"""bench/intake's fast loader indexes people as intake would, so the benchmark's name matching finds them."""

from __future__ import annotations

import datetime
import importlib.util
import sys
from pathlib import Path

import pytest

from cylch.linkage.matching import candidate_ids
from cylch.linkage.models import BlockingKey
from cylch.linkage.services import PersonDetails
from cylch.people.models import Person
from cylch.people.text import phonetic_key

pytestmark = pytest.mark.django_db
RUN = Path(__file__).resolve().parents[2] / "bench" / "intake" / "run.py"


@pytest.fixture
def loaded() -> list[Person]:
    spec = importlib.util.spec_from_file_location("bench_intake_run", RUN)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # as `import` would: its dataclasses look their module up
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    exec(module.LOAD_PEOPLE, {"PEOPLE": 3})  # noqa: S102 - the benchmark's own loader, run on three people
    return list(Person.objects.order_by("pk"))


def test_loaded_people_have_their_name_keys(loaded):
    assert [(p.given_name_key, p.family_name_key) for p in loaded] == [
        (phonetic_key(p.given_name), phonetic_key(p.family_name)) for p in loaded
    ]
    assert all(p.given_name_key for p in loaded)


def test_loaded_people_are_filed_under_blocking_keys(loaded):
    assert {k.person_id for k in BlockingKey.objects.all()} == {p.pk for p in loaded}


def test_a_loaded_person_is_found_by_name_and_date_of_birth_alone(loaded):
    person = loaded[0]
    assert isinstance(person.date_of_birth, datetime.date)
    details = PersonDetails(
        given_name=person.given_name, family_name=person.family_name, date_of_birth=person.date_of_birth
    )
    assert person.pk in candidate_ids(details)
