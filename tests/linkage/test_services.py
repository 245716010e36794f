import datetime

import pytest

from cylch.linkage.services import LinkOutcome, PersonDetails, person_link
from cylch.people.models import SourceRecord
from tests.factories import AgencyFactory, PersonFactory

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
