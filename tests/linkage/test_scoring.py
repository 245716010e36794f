"""The bound on what any record could score, which lets the linker skip scoring a description too thin to
reach review against anyone."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cylch.linkage.models import MatchReview
from cylch.linkage.scoring import best_possible_weight, could_be_anyone_known, load_model, match_record, score
from cylch.linkage.services import LinkOutcome, PersonDetails, person_link
from tests.factories import AgencyFactory, PersonFactory
from tests.factories import test_nhs_number as nhs_number

GIVEN = ["Sarah", "Sara", "Cerys", "Ceri", "Dylan", "Dilan", "Mai", "Hibo", "Małgorzata", "Gosia", "Tomos", "Tom"]
FAMILY = ["Jones", "Jone", "Pugh", "Puhg", "Llewellyn", "Lewellyn", "Nowak", "Evans-Pugh", "Web"]
DAYS = [datetime.date(2015, 2, 3), datetime.date(2015, 3, 2), datetime.date(2015, 2, 4), datetime.date(1985, 1, 1)]
POSTCODES = ["CF10 1AA", "CF10 1AB", "CF11 9ZZ", "SA1 1AA"]


def _values(choices):
    return st.lists(st.sampled_from(choices), max_size=2)


records = st.builds(
    lambda given, family, born, due, sex, nhs, postcode: match_record(
        given_names=given,
        family_names=family,
        dates_of_birth=born,
        expected_delivery_dates=due,
        sexes=sex,
        nhs_numbers=nhs,
        postcodes=postcode,
    ),
    _values(GIVEN),
    _values(FAMILY),
    _values(DAYS),
    _values(DAYS),
    _values(["female", "male"]),
    _values([nhs_number(1), nhs_number(2)]),
    _values(POSTCODES),
)


@settings(max_examples=400, deadline=None)
@given(records, records)
def test_no_record_scores_above_the_bound(incoming, other):
    model = load_model()
    assert score(incoming, other, model).match_weight <= best_possible_weight(incoming, model) + 0.001


def test_a_common_name_alone_could_not_reach_review_against_anyone():
    assert not could_be_anyone_known(match_record(given_names=["Sarah"], family_names=["Jones"]), load_model())


def test_a_name_and_a_date_of_birth_could():
    record = match_record(given_names=["Sarah"], family_names=["Jones"], dates_of_birth=[DAYS[0]])
    assert could_be_anyone_known(record, load_model())


def test_two_rare_names_could():
    assert could_be_anyone_known(match_record(given_names=["Hibo"], family_names=["Web"]), load_model())


def test_an_nhs_number_always_could():
    assert could_be_anyone_known(match_record(nhs_numbers=[nhs_number(1)]), load_model())


@pytest.mark.django_db
def test_a_thin_description_makes_a_new_person_even_beside_someone_of_that_name():
    PersonFactory(given_name="Sarah", family_name="Jones", date_of_birth=datetime.date(1988, 4, 4), nhs_number="")
    result = person_link(
        details=PersonDetails(given_name="Sarah", family_name="Jones"), agency=AgencyFactory(), local_id="1"
    )
    assert result.outcome == LinkOutcome.NEW_PERSON
    assert not MatchReview.objects.exists()
