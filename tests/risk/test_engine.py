"""Each default rule fires, does not fire, and its boundaries (dates and ages), evaluated both ways: as the rescan
does (one set-based query per rule) and as the incremental evaluation does (the households' rows read once,
every rule evaluated on them in memory). A randomised region checks that the two agree on what fires."""

from __future__ import annotations

import datetime
import random

import pytest

from cylch.chronology.models import EventKind
from cylch.people.models import Person
from cylch.risk.definitions import definition_parse
from cylch.risk.engine import firings, firings_among, household_snapshot, months_before
from cylch.risk.models import RiskRule
from tests.factories import (
    AgencyFactory,
    HouseholdFactory,
    HouseholdMembershipFactory,
    PersonFactory,
    StatutoryStatusFactory,
)
from tests.risk.conftest import NOW, born_years_ago, event, live_in, rule_definition

WNB = EventKind.WAS_NOT_BROUGHT


@pytest.fixture(params=["query", "in-memory"], autouse=True)
def path(request):
    return request.param


def _in_memory(definition, people=None):
    """What the incremental path finds for `people` (None: everyone, evaluated household by household's rows)."""
    ids = list(Person.objects.values_list("pk", flat=True)) if people is None else people
    return firings_among(definition, household_snapshot(ids, as_of=NOW, definitions=[definition]), as_of=NOW)


@pytest.fixture
def fired(path):
    def evaluate(code, **kwargs):
        if path == "in-memory":
            return _in_memory(rule_definition(code), **kwargs)
        return firings(rule_definition(code), as_of=NOW, **kwargs)

    return evaluate


@pytest.fixture
def keys(fired):
    return lambda code, **kwargs: [f.key for f in fired(code, **kwargs)]


# --- months_before ----------------------------------------------------------------------------------------------
def test_months_before_keeps_the_day():
    assert months_before(datetime.date(2026, 6, 15), 60) == datetime.date(2021, 6, 15)


def test_months_before_clamps_to_a_shorter_month():
    assert months_before(datetime.date(2024, 3, 31), 1) == datetime.date(2024, 2, 29)


# --- the household snapshot -------------------------------------------------------------------------------------
def test_the_snapshot_reads_only_the_event_kinds_its_rules_match(db, baby):
    """Visits and appointments no rule matches are half a household's events: the snapshot leaves them unread."""
    visit = event(baby, EventKind.HOME_VISIT, days_ago=5)
    missed = event(baby, WNB, days_ago=5)
    snapshot = household_snapshot([baby.pk], as_of=NOW, definitions=[rule_definition("wnb-young-or-registered")])
    read = [e.pk for e in snapshot.events[baby.pk]]
    assert missed.pk in read
    assert visit.pk not in read


# --- two Was Not Brought in six months, under five or on the register -------------------------------------------
def test_two_was_not_brought_for_a_toddler_fires(db, baby, keys):
    event(baby, WNB, days_ago=100)
    event(baby, WNB, days_ago=5)
    assert keys("wnb-young-or-registered") == [f"p:{baby.pk}"]


def test_one_was_not_brought_does_not_fire(db, baby, keys):
    event(baby, WNB, days_ago=5)
    assert keys("wnb-young-or-registered") == []


def test_a_was_not_brought_outside_six_months_does_not_count(db, baby, keys):
    event(baby, WNB, days_ago=184)
    event(baby, WNB, days_ago=5)
    assert keys("wnb-young-or-registered") == []


def test_a_was_not_brought_on_the_window_edge_counts(db, baby, keys):
    event(baby, WNB, days_ago=183)
    event(baby, WNB, days_ago=5)
    assert keys("wnb-young-or-registered") == [f"p:{baby.pk}"]


def test_a_child_on_their_fifth_birthday_is_not_under_five(db, keys):
    child = PersonFactory(date_of_birth=born_years_ago(5))
    event(child, WNB, days_ago=100)
    event(child, WNB, days_ago=5)
    assert keys("wnb-young-or-registered") == []


def test_a_child_the_day_before_their_fifth_birthday_is_under_five(db, keys):
    child = PersonFactory(date_of_birth=born_years_ago(5) + datetime.timedelta(days=1))
    event(child, WNB, days_ago=100)
    event(child, WNB, days_ago=5)
    assert keys("wnb-young-or-registered") == [f"p:{child.pk}"]


def test_an_older_child_on_the_register_fires(db, keys):
    child = PersonFactory(date_of_birth=born_years_ago(9))
    StatutoryStatusFactory(person=child, start_date=datetime.date(2025, 1, 1))
    event(child, WNB, days_ago=100)
    event(child, WNB, days_ago=5)
    assert keys("wnb-young-or-registered") == [f"p:{child.pk}"]


def test_an_older_child_whose_registration_ended_does_not_fire(db, keys):
    child = PersonFactory(date_of_birth=born_years_ago(9))
    StatutoryStatusFactory(person=child, start_date=datetime.date(2024, 1, 1), end_date=datetime.date(2025, 1, 1))
    event(child, WNB, days_ago=100)
    event(child, WNB, days_ago=5)
    assert keys("wnb-young-or-registered") == []


def test_the_firing_names_the_events_that_made_it_fire(db, baby, fired):
    first, second = event(baby, WNB, days_ago=100), event(baby, WNB, days_ago=5)
    event(baby, EventKind.HOME_VISIT, days_ago=3)
    assert fired("wnb-young-or-registered")[0].event_ids == (first.pk, second.pk)


def test_evaluating_for_someone_else_leaves_the_pattern_alone(db, baby, keys):
    event(baby, WNB, days_ago=100)
    event(baby, WNB, days_ago=5)
    other = PersonFactory()
    assert keys("wnb-young-or-registered", people=[other.pk]) == []
    assert keys("wnb-young-or-registered", people=[baby.pk]) == [f"p:{baby.pk}"]


# --- Was Not Brought + domestic abuse + home conditions in the household -----------------------------------------
def _household_pattern(household, baby, *, da_days_ago=30):
    mother = live_in(household, PersonFactory(date_of_birth=born_years_ago(28)))
    sibling = live_in(household, PersonFactory(date_of_birth=born_years_ago(8)))
    live_in(household, baby)
    event(baby, WNB, days_ago=20)
    event(mother, EventKind.DOMESTIC_ABUSE_INCIDENT, days_ago=da_days_ago)
    event(sibling, EventKind.CONCERN, days_ago=40, categories=["neglect"])
    return mother, sibling


def test_household_pattern_fires_for_every_child_living_there(db, household, baby, fired):
    mother, sibling = _household_pattern(household, baby)
    [firing] = fired("wnb-domestic-abuse-home-conditions")
    assert firing.key == f"h:{household.pk}"
    assert set(firing.subject_ids) == {baby.pk, sibling.pk}
    assert mother.pk not in firing.subject_ids


def test_household_pattern_counts_a_siblings_concern(db, household, baby, fired):
    _household_pattern(household, baby)
    assert fired("wnb-domestic-abuse-home-conditions", people=[baby.pk])


def test_household_pattern_without_the_domestic_abuse_does_not_fire(db, household, baby, keys):
    _household_pattern(household, baby, da_days_ago=366)
    assert keys("wnb-domestic-abuse-home-conditions") == []


def test_household_pattern_needs_the_concern_category(db, household, baby, keys):
    mother = live_in(household, PersonFactory(date_of_birth=born_years_ago(28)))
    live_in(household, baby)
    event(baby, WNB, days_ago=20)
    event(mother, EventKind.DOMESTIC_ABUSE_INCIDENT, days_ago=30)
    event(baby, EventKind.CONCERN, days_ago=40, categories=["online_harm"])
    assert keys("wnb-domestic-abuse-home-conditions") == []


def test_a_domestic_abuse_concern_counts_as_domestic_abuse(db, household, baby, keys):
    live_in(household, baby)
    event(baby, WNB, days_ago=20)
    event(baby, EventKind.CONCERN, days_ago=25, categories=["domestic_abuse", "poor_home_conditions"])
    assert keys("wnb-domestic-abuse-home-conditions") == [f"h:{household.pk}"]


def test_someone_who_moved_out_no_longer_counts(db, household, baby, keys):
    live_in(household, baby)
    father = PersonFactory(date_of_birth=born_years_ago(30))
    live_in(household, father).household_memberships.update(end_date=NOW.date() - datetime.timedelta(days=60))
    event(baby, WNB, days_ago=20)
    event(father, EventKind.DOMESTIC_ABUSE_INCIDENT, days_ago=90)
    event(baby, EventKind.CONCERN, days_ago=40, categories=["neglect"])
    assert keys("wnb-domestic-abuse-home-conditions") == []


# --- three below-threshold concerns from two agencies -----------------------------------------------------------
def _concerns(child, agencies, *, outcome=None):
    made = []
    for number, agency in enumerate(agencies):
        reference = f"2026-TEST{number:02d}"
        made.append(event(child, EventKind.CONCERN, days_ago=30 + number, agency=agency, concern=reference))
        if outcome:
            event(child, EventKind.THRESHOLD_DECISION, days_ago=29 + number, concern=reference, outcome=outcome)
    return made


def test_three_concerns_from_two_agencies_fire(db, keys):
    child, school, police = PersonFactory(), AgencyFactory(), AgencyFactory()
    _concerns(child, [school, school, police], outcome="nfa")
    assert keys("below-threshold-accumulating") == [f"p:{child.pk}"]


def test_three_concerns_from_one_agency_do_not_fire(db, keys):
    child, school = PersonFactory(), AgencyFactory()
    _concerns(child, [school, school, school], outcome="nfa")
    assert keys("below-threshold-accumulating") == []


def test_concerns_taken_to_statutory_action_are_not_below_threshold(db, keys):
    child, school, police = PersonFactory(), AgencyFactory(), AgencyFactory()
    _concerns(child, [school, school, police], outcome="strategy_discussion")
    assert keys("below-threshold-accumulating") == []


def test_two_concerns_do_not_fire(db, keys):
    child, school, police = PersonFactory(), AgencyFactory(), AgencyFactory()
    _concerns(child, [school, police])
    assert keys("below-threshold-accumulating") == []


def test_an_adult_is_not_a_subject(db, keys):
    adult, school, police = PersonFactory(date_of_birth=born_years_ago(18)), AgencyFactory(), AgencyFactory()
    _concerns(adult, [school, school, police])
    assert keys("below-threshold-accumulating") == []


# --- an adult with a violence or domestic-abuse history joins a household with a baby ----------------------------
def _joins(household, *, joined_days_ago: int, history_days_ago: int = 700, age_years: int = 30):
    adult = PersonFactory(date_of_birth=born_years_ago(age_years))
    event(adult, EventKind.DOMESTIC_ABUSE_INCIDENT, days_ago=history_days_ago)
    live_in(household, adult, since=NOW.date() - datetime.timedelta(days=joined_days_ago))
    return adult


def test_violent_adult_joining_a_babys_household_fires(db, household, baby, fired):
    live_in(household, baby)
    adult = _joins(household, joined_days_ago=10)
    [firing] = fired("violent-adult-joins-baby")
    assert firing.subject_ids == (baby.pk,)
    assert adult.chronology_events.get().pk in firing.event_ids


def test_violent_adult_joining_an_unborn_childs_household_fires(db, household, fired):
    unborn = live_in(
        household,
        PersonFactory(is_unborn=True, date_of_birth=None, expected_delivery_date=datetime.date(2026, 9, 1)),
    )
    _joins(household, joined_days_ago=10)
    assert [f.subject_ids for f in fired("violent-adult-joins-baby")] == [(unborn.pk,)]


def test_an_adult_who_joined_over_a_year_ago_does_not_fire(db, household, baby, keys):
    live_in(household, baby)
    _joins(household, joined_days_ago=366)
    assert keys("violent-adult-joins-baby") == []


def test_an_adult_whose_history_is_over_five_years_old_does_not_fire(db, household, baby, keys):
    live_in(household, baby)
    _joins(household, joined_days_ago=10, history_days_ago=1900)
    assert keys("violent-adult-joins-baby") == []


def test_a_toddler_is_not_a_baby(db, household, keys):
    live_in(household, PersonFactory(date_of_birth=born_years_ago(1)))
    _joins(household, joined_days_ago=10)
    assert keys("violent-adult-joins-baby") == []


def test_a_teenager_joining_is_not_an_adult_joining(db, household, baby, keys):
    live_in(household, baby)
    _joins(household, joined_days_ago=10, age_years=16)
    assert keys("violent-adult-joins-baby") == []


# --- missing episodes and exploitation --------------------------------------------------------------------------
def test_missing_twice_and_an_exploitation_concern_fire(db, keys):
    teen = PersonFactory(date_of_birth=born_years_ago(14))
    event(teen, EventKind.MISSING_EPISODE, days_ago=50)
    event(teen, EventKind.MISSING_EPISODE, days_ago=20)
    event(teen, EventKind.CONCERN, days_ago=10, categories=["criminal_exploitation"])
    assert keys("missing-and-exploitation") == [f"p:{teen.pk}"]


def test_missing_without_exploitation_does_not_fire(db, keys):
    teen = PersonFactory(date_of_birth=born_years_ago(14))
    event(teen, EventKind.MISSING_EPISODE, days_ago=50)
    event(teen, EventKind.MISSING_EPISODE, days_ago=20)
    event(teen, EventKind.CONCERN, days_ago=10, categories=["neglect"])
    assert keys("missing-and-exploitation") == []


def test_one_missing_episode_is_not_enough(db, keys):
    teen = PersonFactory(date_of_birth=born_years_ago(14))
    event(teen, EventKind.MISSING_EPISODE, days_ago=20)
    event(teen, EventKind.CONCERN, days_ago=10, categories=["sexual_exploitation"])
    assert keys("missing-and-exploitation") == []


# --- weighted accumulation --------------------------------------------------------------------------------------
def test_weighted_score_crossing_the_threshold_fires(db, household, baby, fired):
    mother = live_in(household, PersonFactory(date_of_birth=born_years_ago(28)))
    live_in(household, baby)
    event(mother, EventKind.DOMESTIC_ABUSE_INCIDENT, days_ago=100)  # 4
    event(mother, EventKind.DOMESTIC_ABUSE_INCIDENT, days_ago=60)  # 4
    event(baby, WNB, days_ago=30)  # 2
    event(baby, WNB, days_ago=10)  # 2
    event(mother, EventKind.EMERGENCY_ATTENDANCE, days_ago=5)  # 1
    event(baby, EventKind.SCHOOL_WELFARE, days_ago=4)  # 1
    [firing] = fired("weighted-accumulation")
    assert firing.score == 14


def test_weighted_score_below_the_threshold_does_not_fire(db, household, baby, keys):
    mother = live_in(household, PersonFactory(date_of_birth=born_years_ago(28)))
    live_in(household, baby)
    event(mother, EventKind.DOMESTIC_ABUSE_INCIDENT, days_ago=100)
    event(mother, EventKind.DOMESTIC_ABUSE_INCIDENT, days_ago=60)
    event(baby, WNB, days_ago=30)
    event(baby, WNB, days_ago=10)
    event(mother, EventKind.EMERGENCY_ATTENDANCE, days_ago=400)  # outside the year
    event(baby, EventKind.SCHOOL_WELFARE, days_ago=4)  # 13
    assert keys("weighted-accumulation") == []


def test_weighted_score_does_not_count_treatment_contacts(db, household, baby, keys):
    mother = live_in(household, PersonFactory(date_of_birth=born_years_ago(28)))
    live_in(household, baby)
    for days_ago in range(10, 310, 20):
        event(mother, EventKind.MENTAL_HEALTH_CONTACT, days_ago=days_ago)
        event(mother, EventKind.SUBSTANCE_MISUSE_CONTACT, days_ago=days_ago + 1)
    assert keys("weighted-accumulation") == []


# --- the two paths agree ----------------------------------------------------------------------------------------
RANDOM_KINDS = [
    EventKind.WAS_NOT_BROUGHT,
    EventKind.DOMESTIC_ABUSE_INCIDENT,
    EventKind.CONCERN,
    EventKind.INFORMATION_SHARING,
    EventKind.MISSING_EPISODE,
    EventKind.POLICE_INCIDENT,
    EventKind.THRESHOLD_DECISION,
]
RANDOM_CATEGORIES = ["neglect", "domestic_abuse", "poor_home_conditions", "criminal_exploitation", "missing"]
# Beside the default rules: an adult-only and a child-only signal, an unborn subject, and a score with a
# below-threshold weight, so every branch of a definition is compared.
EXTRA_DEFINITIONS = [
    {
        "scope": "household",
        "window_days": 400,
        "subject": {"max_age_months": 120, "unborn": True, "statuses": ["cp_register"]},
        "signals": [
            {"label": "a", "who": "child", "match": [{"kinds": ["concern"], "below_threshold": True}]},
            {
                "label": "b",
                "who": "adult",
                "window_days": 900,
                "min_agencies": 2,
                "match": [{"kinds": ["police_incident"]}],
            },
        ],
        "score": {
            "threshold": 3,
            "weights": [{"match": {"kinds": ["concern"], "categories": ["neglect"]}, "weight": 3}],
        },
    },
    {
        "scope": "person",
        "window_days": 400,
        "subject": {"max_age_months": 150},
        "signals": [],
        "score": {
            "threshold": 3,
            "weights": [
                {"match": {"kinds": ["concern", "information_sharing"], "below_threshold": True}, "weight": 2},
                {"match": {"kinds": ["missing_episode"]}, "weight": 1},
            ],
        },
    },
]


def _random_region(rng):
    agencies = [AgencyFactory() for _ in range(3)]
    for _ in range(6):
        home = HouseholdFactory()
        for _member in range(rng.randint(1, 4)):
            unborn = rng.random() < 0.1
            person = (
                PersonFactory(is_unborn=True, date_of_birth=None, expected_delivery_date=NOW.date())
                if unborn
                else PersonFactory(date_of_birth=born_years_ago(0, days=rng.randint(10, 40 * 365)))
            )
            since = NOW.date() - datetime.timedelta(days=rng.randint(0, 800))
            HouseholdMembershipFactory(household=home, person=person, start_date=since)
            if rng.random() < 0.2:
                StatutoryStatusFactory(person=person, start_date=datetime.date(2025, 1, 1))
            for _event in range(rng.randint(1, 12)):
                kind = rng.choice(RANDOM_KINDS)
                concern = f"C-{person.pk}-{rng.randint(0, 2)}"
                if kind == EventKind.THRESHOLD_DECISION:
                    details = {"concern": concern, "outcome": rng.choice(["nfa", "assessment", "strategy_discussion"])}
                    event(person, kind, days_ago=rng.uniform(0, 500), agency=rng.choice(agencies), **details)
                else:
                    categories = rng.sample(RANDOM_CATEGORIES, rng.randint(0, 2))
                    at = {"days_ago": rng.uniform(0, 500), "agency": rng.choice(agencies)}
                    event(person, kind, **at, categories=categories, concern=concern)


@pytest.mark.parametrize("seed", range(4))
def test_the_query_and_the_in_memory_evaluation_agree(db, seed, path):
    if path == "in-memory":
        pytest.skip("compares both paths itself")
    _random_region(random.Random(seed))
    definitions = [rule_definition(code) for code in RiskRule.objects.values_list("code", flat=True)]
    definitions += [definition_parse(d) for d in EXTRA_DEFINITIONS]
    people = list(Person.objects.values_list("pk", flat=True))
    fired_somewhere = 0
    for definition in definitions:
        everyone = firings(definition, as_of=NOW)
        assert _in_memory(definition) == everyone
        fired_somewhere += len(everyone)
        for pk in people[:: max(1, len(people) // 5)]:
            assert _in_memory(definition, [pk]) == firings(definition, as_of=NOW, people=[pk])
    assert fired_somewhere >= 3  # the region is dense enough for the comparison to mean something
