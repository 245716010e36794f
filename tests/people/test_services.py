from __future__ import annotations

import pytest

from cylch.people.models import Ethnicity, Language
from cylch.people.services import person_identity_record
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_identity_answers_fill_a_record_that_has_none():
    person = PersonFactory()
    changed = person_identity_record(
        person=person, ethnicity=Ethnicity.BAFR, first_language=Language.SOMALI, interpreter_needed=True
    )
    person.refresh_from_db()
    assert changed == ["ethnicity", "first_language", "interpreter_needed"]
    assert (person.ethnicity, person.first_language, person.interpreter_needed) == ("BAFR", "som", True)


def test_another_agencys_ethnicity_and_language_are_not_replaced():
    person = PersonFactory(ethnicity=Ethnicity.WBRI, first_language=Language.WELSH)
    assert person_identity_record(person=person, ethnicity=Ethnicity.WOTH, first_language=Language.POLISH) == []
    person.refresh_from_db()
    assert (person.ethnicity, person.first_language) == ("WBRI", "cym")


def test_an_interpreter_once_needed_is_not_switched_off_by_a_later_answer():
    person = PersonFactory(interpreter_needed=True)
    assert person_identity_record(person=person, interpreter_needed=False) == []
    person.refresh_from_db()
    assert person.interpreter_needed is True


def test_not_known_answers_change_nothing():
    person = PersonFactory()
    assert person_identity_record(person=person, ethnicity=Ethnicity.NOBT) == []
