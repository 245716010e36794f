import datetime

import pytest

from cylch.linkage.scoring import CONTRADICTS_A_RECORD
from cylch.linkage.services import LinkOutcome, LinkResult, PersonDetails, person_link
from cylch.people.models import SourceRecord
from tests.factories import AgencyFactory, PersonFactory
from tests.factories import test_nhs_number as nhs_number

pytestmark = pytest.mark.django_db


def test_an_exact_nhs_number_links_to_the_existing_person():
    person = PersonFactory()
    result = person_link(
        details=PersonDetails(given_name="Someone", nhs_number=person.nhs_number), agency=AgencyFactory(), local_id="1"
    )
    assert (result.person, result.outcome) == (person, LinkOutcome.LINKED)


def test_no_match_creates_a_new_person_with_a_cylch_id():
    result = person_link(
        details=PersonDetails(given_name="Nia", family_name="Morgan", date_of_birth=datetime.date(2019, 2, 1)),
        agency=AgencyFactory(),
        local_id="1",
    )
    assert result.outcome == LinkOutcome.NEW_PERSON
    assert len(result.person.cylch_id) == 10


def test_the_agencys_copy_is_kept_as_it_arrived():
    person = PersonFactory(given_name="William")
    result = person_link(
        details=PersonDetails(given_name="Bill", nhs_number=person.nhs_number), agency=AgencyFactory(), local_id="X7"
    )
    record = SourceRecord.objects.get(pk=result.source_record.pk)
    assert (record.given_name, record.person, record.local_id) == ("Bill", person, "X7")


def test_an_unborn_child_is_created_without_a_date_of_birth():
    result = person_link(
        details=PersonDetails(is_unborn=True, expected_delivery_date=datetime.date(2027, 3, 1)),
        agency=AgencyFactory(),
        local_id="U1",
    )
    assert result.person.is_unborn
    assert result.person.date_of_birth is None


def _gwenllian(local_id: str, **fields: object) -> LinkResult:
    details = {"given_name": "Gwenllian", "family_name": "Pritchard", "sex": "female", "postcode": "CF10 1AA"}
    return person_link(details=PersonDetails(**(details | fields)), agency=AgencyFactory(), local_id=local_id)  # type: ignore[arg-type]


def test_a_record_that_matches_one_of_a_persons_records_but_contradicts_another_is_not_linked_to_them():
    daughter = _gwenllian("1", date_of_birth=datetime.date(2017, 6, 9), nhs_number=nhs_number(3)).person
    # The mother's record was keyed with her daughter's NHS number: one field out beside it, so it links.
    assert _gwenllian("2", date_of_birth=datetime.date(1986, 3, 2), nhs_number=nhs_number(3)).person == daughter
    # The mother again, without a number: she agrees with the second record and contradicts the first.
    mother = _gwenllian("3", date_of_birth=datetime.date(1986, 3, 2))
    assert mother.person != daughter
    assert [(r.candidate, r.guard) for r in mother.reviews] == [(daughter, CONTRADICTS_A_RECORD)]


def test_an_agreeing_nhs_number_with_name_and_birth_date_disagreeing_is_reviewed_not_linked():
    holder = PersonFactory(given_name="Ifan", family_name="Rees", date_of_birth=datetime.date(2015, 1, 4))
    result = person_link(
        details=PersonDetails(
            given_name="Zac", family_name="Rees", date_of_birth=datetime.date(2009, 8, 30), nhs_number=holder.nhs_number
        ),
        agency=AgencyFactory(),
        local_id="1",
    )
    assert result.person != holder
    assert [(r.candidate, r.guard) for r in result.reviews] == [(holder, "nhs_number_only")]


def test_twins_are_never_linked():
    born = datetime.date(2018, 7, 21)
    megan = _gwenllian("1", given_name="Megan", date_of_birth=born).person
    bethan = _gwenllian("2", given_name="Bethan", date_of_birth=born)
    assert bethan.person != megan
    assert bethan.outcome == LinkOutcome.NEW_PERSON


def test_twins_one_named_after_the_other_are_never_linked_through_the_middle_name():
    born = datetime.date(2016, 4, 2)
    william = _gwenllian("1", given_name="William Macsen", family_name="Roberts", sex="male", date_of_birth=born)
    kevin = _gwenllian("2", given_name="Kevin William", family_name="Roberts", sex="male", date_of_birth=born)
    assert kevin.person != william.person
    assert kevin.outcome == LinkOutcome.NEW_PERSON


def test_a_record_without_birth_date_or_nhs_number_joins_neither_of_two_namesakes_a_generation_apart():
    # A school's contact for the father, Llŷr Thomas, at the home of his son of the same name.
    llyr = {"given_name": "Llŷr", "family_name": "Thomas", "sex": "male"}
    son = _gwenllian("1", date_of_birth=datetime.date(2015, 5, 1), **llyr).person
    father = _gwenllian("2", date_of_birth=datetime.date(1984, 9, 12), **llyr).person
    contact = _gwenllian("3", **llyr)
    assert contact.person not in {son, father}
    assert {(r.candidate, r.guard) for r in contact.reviews} == {
        (son, "namesakes_around"),
        (father, "namesakes_around"),
    }


def test_a_birth_date_a_year_out_is_reviewed_never_linked_on_the_rest_alone():
    child = _gwenllian("1", date_of_birth=datetime.date(2017, 6, 9)).person
    result = _gwenllian("2", date_of_birth=datetime.date(2018, 6, 9))
    assert result.person != child
    assert [(r.candidate, r.guard) for r in result.reviews] == [(child, "different_birth_year")]
