"""Risk factors recorded against persons from concerns, front-door decisions and agency events, with their
source, dates and whether current, and shown on the single view and the family view."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cylch.accounts.models import AgencyKind, RoleCode
from cylch.chronology.models import EventKind
from cylch.concerns.models import Category
from cylch.risk.factors import CARER_FACTORS, CHILD_VULNERABILITIES, CIN_ASSESSMENT_FACTORS, factors_shown
from cylch.risk.models import RiskFactor, RiskFactorKind, RiskFactorSource
from cylch.risk.selectors import risk_factors_of
from cylch.risk.services import risk_factors_derive
from tests.factories import AgencyFactory, ConcernFactory, PersonFactory, PractitionerFactory
from tests.risk.conftest import NOW, born_years_ago, event, live_in

pytestmark = pytest.mark.usefixtures("now_is_fixed")
K = RiskFactorKind


def test_every_factor_is_a_child_vulnerability_or_a_carer_factor():
    assert set(CHILD_VULNERABILITIES) | set(CARER_FACTORS) == set(K.values)
    assert not set(CHILD_VULNERABILITIES) & set(CARER_FACTORS)


def test_census_codes_are_the_2024_assessment_factors():
    codes = {code for codes in CIN_ASSESSMENT_FACTORS.values() for code in codes}
    assert codes <= {"1A", "1B", "2A", "2B", "3A", "3B", "4A", "4B", "7A", "10A", "11A", "15A", "16A", "17A",
                     "18C", "19C", "22A", "24A"}  # fmt: skip


@given(
    kind=st.sampled_from(EventKind.values),
    adult=st.booleans(),
    categories=st.lists(st.sampled_from([*Category.values, "made_up"]), max_size=5),
    outcome=st.one_of(st.none(), st.text(max_size=20)),
)
def test_an_event_shows_only_known_factors_without_repeats(kind, adult, categories, outcome):
    shown = factors_shown(kind, adult=adult, categories=categories, outcome=outcome)
    assert set(shown) <= set(K.values)
    assert len(shown) == len(set(shown))
    if adult:
        assert set(shown) <= set(CARER_FACTORS)


def test_a_decision_that_found_no_need_confirms_nothing():
    assert factors_shown(EventKind.THRESHOLD_DECISION, adult=False, categories=["neglect"], outcome="nfa") == []
    assert factors_shown(EventKind.THRESHOLD_DECISION, adult=False, categories=["neglect"], outcome="assessment") == [
        K.NEGLECT
    ]


def test_a_concern_records_its_categories_against_the_child_with_its_source(db):
    child = PersonFactory(date_of_birth=born_years_ago(7))
    school = AgencyFactory(kind=AgencyKind.SCHOOL)
    shown = event(
        child, EventKind.CONCERN, days_ago=30, agency=school, categories=["neglect", "parental_mental_health"]
    )
    assert risk_factors_derive(people=[child.pk]) == 2
    factors = RiskFactor.objects.filter(person=child).order_by("kind")
    assert [(f.kind, f.source, f.agency, f.event, f.observed_on) for f in factors] == [
        (K.CARER_MENTAL_HEALTH, RiskFactorSource.CONCERN, school, shown, (NOW - datetime.timedelta(days=30)).date()),
        (K.NEGLECT, RiskFactorSource.CONCERN, school, shown, (NOW - datetime.timedelta(days=30)).date()),
    ]


def test_an_adults_domestic_abuse_call_out_is_a_domestic_abuse_relationship(db):
    adult = PersonFactory(date_of_birth=born_years_ago(30))
    child = PersonFactory(date_of_birth=born_years_ago(3))
    police = AgencyFactory(kind=AgencyKind.POLICE)
    event(adult, EventKind.DOMESTIC_ABUSE_INCIDENT, agency=police)
    event(child, EventKind.DOMESTIC_ABUSE_INCIDENT, agency=police)
    risk_factors_derive(people=[adult.pk, child.pk])
    assert list(RiskFactor.objects.filter(person=adult).values_list("kind", "source")) == [
        (K.DOMESTIC_ABUSE_RELATIONSHIP, RiskFactorSource.AGENCY_EVENT)
    ]
    assert list(RiskFactor.objects.filter(person=child).values_list("kind", flat=True)) == [
        K.LIVING_WITH_DOMESTIC_ABUSE
    ]


def test_a_front_door_decision_confirms_the_concerns_categories(db):
    child = PersonFactory(date_of_birth=born_years_ago(7))
    concern = ConcernFactory(categories=["sexual_exploitation"])
    event(child, EventKind.THRESHOLD_DECISION, concern=concern.reference, outcome="strategy_discussion")
    risk_factors_derive(people=[child.pk])
    assert list(RiskFactor.objects.filter(person=child).values_list("kind", "source")) == [
        (K.SEXUAL_EXPLOITATION, RiskFactorSource.DECISION)
    ]


def test_deriving_twice_records_each_factor_once(db):
    child = PersonFactory(date_of_birth=born_years_ago(7))
    event(child, EventKind.MISSING_EPISODE)
    assert risk_factors_derive(people=[child.pk]) == 1
    assert risk_factors_derive() == 0
    assert RiskFactor.objects.filter(person=child).count() == 1


def test_a_factor_is_current_while_seen_within_a_year(db):
    child = PersonFactory(date_of_birth=born_years_ago(12))
    event(child, EventKind.MISSING_EPISODE, days_ago=500)
    event(child, EventKind.MISSING_EPISODE, days_ago=400)
    event(child, EventKind.MENTAL_HEALTH_CONTACT, days_ago=365)
    risk_factors_derive(people=[child.pk])
    summaries = {f.kind: f for f in risk_factors_of(person_ids=[child.pk], today=NOW.date())[child.pk]}
    assert summaries[K.MISSING].current is False
    assert summaries[K.MISSING].evidence == 2
    assert summaries[K.MISSING].first_seen == (NOW - datetime.timedelta(days=500)).date()
    assert summaries[K.MISSING].cin_codes == ("10A",)
    assert summaries[K.CHILD_MENTAL_HEALTH].current is True


def test_an_event_landing_records_its_factors_once_it_commits(db, django_capture_on_commit_callbacks):
    child = PersonFactory(date_of_birth=born_years_ago(9))
    with django_capture_on_commit_callbacks(execute=True):
        event(child, EventKind.CONCERN, categories=["young_carer"])
    assert list(RiskFactor.objects.filter(person=child).values_list("kind", flat=True)) == [K.YOUNG_CARER]


@pytest.fixture
def family(db, household):
    child = live_in(household, PersonFactory(date_of_birth=born_years_ago(6)))
    mother = live_in(household, PersonFactory(date_of_birth=born_years_ago(29), family_name=child.family_name))
    event(child, EventKind.CONCERN, categories=["poor_home_conditions"])
    event(mother, EventKind.SUBSTANCE_MISUSE_CONTACT)
    risk_factors_derive()
    return child, mother


def test_the_single_view_shows_the_factors_to_a_reader_who_sees_the_child(client, family):
    child, _mother = family
    client.force_login(PractitionerFactory(roles=[RoleCode.FRONT_DOOR]))
    page = client.get(f"/people/{child.cylch_id}/").content.decode()
    assert 'id="risk-factors"' in page
    assert "Poor home conditions" in page


def test_the_single_view_hides_the_factors_from_a_reader_who_may_not_see_the_child(client, family):
    child, _mother = family
    client.force_login(PractitionerFactory(agency=AgencyFactory(kind=AgencyKind.SCHOOL)))
    page = client.get(f"/people/{child.cylch_id}/").content.decode()
    assert "Poor home conditions" not in page


def test_the_family_view_shows_each_members_factors(client, family):
    child, _mother = family
    client.force_login(PractitionerFactory(roles=[RoleCode.FRONT_DOOR]))
    page = client.get(f"/people/{child.cylch_id}/family/").content.decode()
    assert "Risk factors in this family" in page
    assert "Parent or carer drug or alcohol misuse" in page
    assert "1B, 2B" in page
