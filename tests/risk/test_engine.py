"""Each default rule fires, does not fire, and its boundaries (dates and ages), evaluated as the rescan does."""

from __future__ import annotations

import datetime
from collections import defaultdict

from cylch.chronology.models import EventKind
from cylch.risk.engine import HouseholdSnapshot, RecentEvent, could_fire, firings, months_before
from tests.factories import AgencyFactory, PersonFactory, StatutoryStatusFactory
from tests.risk.conftest import NOW, born_years_ago, event, live_in, rule_definition

WNB = EventKind.WAS_NOT_BROUGHT


def fired(code, **kwargs):
    return firings(rule_definition(code), as_of=NOW, **kwargs)


def keys(code, **kwargs):
    return [f.key for f in fired(code, **kwargs)]


# --- months_before ----------------------------------------------------------------------------------------------
def test_months_before_keeps_the_day():
    assert months_before(datetime.date(2026, 6, 15), 60) == datetime.date(2021, 6, 15)


def test_months_before_clamps_to_a_shorter_month():
    assert months_before(datetime.date(2024, 3, 31), 1) == datetime.date(2024, 2, 29)


# --- two Was Not Brought in six months, under five or on the register -------------------------------------------
def test_two_was_not_brought_for_a_toddler_fires(db, baby):
    event(baby, WNB, days_ago=100)
    event(baby, WNB, days_ago=5)
    assert keys("wnb-young-or-registered") == [f"p:{baby.pk}"]


def test_one_was_not_brought_does_not_fire(db, baby):
    event(baby, WNB, days_ago=5)
    assert keys("wnb-young-or-registered") == []


def test_a_was_not_brought_outside_six_months_does_not_count(db, baby):
    event(baby, WNB, days_ago=184)
    event(baby, WNB, days_ago=5)
    assert keys("wnb-young-or-registered") == []


def test_a_was_not_brought_on_the_window_edge_counts(db, baby):
    event(baby, WNB, days_ago=183)
    event(baby, WNB, days_ago=5)
    assert keys("wnb-young-or-registered") == [f"p:{baby.pk}"]


def test_a_child_on_their_fifth_birthday_is_not_under_five(db):
    child = PersonFactory(date_of_birth=born_years_ago(5))
    event(child, WNB, days_ago=100)
    event(child, WNB, days_ago=5)
    assert keys("wnb-young-or-registered") == []


def test_a_child_the_day_before_their_fifth_birthday_is_under_five(db):
    child = PersonFactory(date_of_birth=born_years_ago(5) + datetime.timedelta(days=1))
    event(child, WNB, days_ago=100)
    event(child, WNB, days_ago=5)
    assert keys("wnb-young-or-registered") == [f"p:{child.pk}"]


def test_an_older_child_on_the_register_fires(db):
    child = PersonFactory(date_of_birth=born_years_ago(9))
    StatutoryStatusFactory(person=child, start_date=datetime.date(2025, 1, 1))
    event(child, WNB, days_ago=100)
    event(child, WNB, days_ago=5)
    assert keys("wnb-young-or-registered") == [f"p:{child.pk}"]


def test_an_older_child_whose_registration_ended_does_not_fire(db):
    child = PersonFactory(date_of_birth=born_years_ago(9))
    StatutoryStatusFactory(person=child, start_date=datetime.date(2024, 1, 1), end_date=datetime.date(2025, 1, 1))
    event(child, WNB, days_ago=100)
    event(child, WNB, days_ago=5)
    assert keys("wnb-young-or-registered") == []


def test_the_firing_names_the_events_that_made_it_fire(db, baby):
    first, second = event(baby, WNB, days_ago=100), event(baby, WNB, days_ago=5)
    event(baby, EventKind.HOME_VISIT, days_ago=3)
    assert fired("wnb-young-or-registered")[0].event_ids == (first.pk, second.pk)


def test_evaluating_for_someone_else_leaves_the_pattern_alone(db, baby):
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


def test_household_pattern_fires_for_every_child_living_there(db, household, baby):
    mother, sibling = _household_pattern(household, baby)
    [firing] = fired("wnb-domestic-abuse-home-conditions")
    assert firing.key == f"h:{household.pk}"
    assert set(firing.subject_ids) == {baby.pk, sibling.pk}
    assert mother.pk not in firing.subject_ids


def test_household_pattern_counts_a_siblings_concern(db, household, baby):
    _household_pattern(household, baby)
    assert fired("wnb-domestic-abuse-home-conditions", people=[baby.pk])


def test_household_pattern_without_the_domestic_abuse_does_not_fire(db, household, baby):
    _household_pattern(household, baby, da_days_ago=366)
    assert keys("wnb-domestic-abuse-home-conditions") == []


def test_household_pattern_needs_the_concern_category(db, household, baby):
    mother = live_in(household, PersonFactory(date_of_birth=born_years_ago(28)))
    live_in(household, baby)
    event(baby, WNB, days_ago=20)
    event(mother, EventKind.DOMESTIC_ABUSE_INCIDENT, days_ago=30)
    event(baby, EventKind.CONCERN, days_ago=40, categories=["online_harm"])
    assert keys("wnb-domestic-abuse-home-conditions") == []


def test_a_domestic_abuse_concern_counts_as_domestic_abuse(db, household, baby):
    live_in(household, baby)
    event(baby, WNB, days_ago=20)
    event(baby, EventKind.CONCERN, days_ago=25, categories=["domestic_abuse", "poor_home_conditions"])
    assert keys("wnb-domestic-abuse-home-conditions") == [f"h:{household.pk}"]


def test_someone_who_moved_out_no_longer_counts(db, household, baby):
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


def test_three_concerns_from_two_agencies_fire(db):
    child, school, police = PersonFactory(), AgencyFactory(), AgencyFactory()
    _concerns(child, [school, school, police], outcome="nfa")
    assert keys("below-threshold-accumulating") == [f"p:{child.pk}"]


def test_three_concerns_from_one_agency_do_not_fire(db):
    child, school = PersonFactory(), AgencyFactory()
    _concerns(child, [school, school, school], outcome="nfa")
    assert keys("below-threshold-accumulating") == []


def test_concerns_taken_to_statutory_action_are_not_below_threshold(db):
    child, school, police = PersonFactory(), AgencyFactory(), AgencyFactory()
    _concerns(child, [school, school, police], outcome="strategy_discussion")
    assert keys("below-threshold-accumulating") == []


def test_two_concerns_do_not_fire(db):
    child, school, police = PersonFactory(), AgencyFactory(), AgencyFactory()
    _concerns(child, [school, police])
    assert keys("below-threshold-accumulating") == []


def test_an_adult_is_not_a_subject(db):
    adult, school, police = PersonFactory(date_of_birth=born_years_ago(18)), AgencyFactory(), AgencyFactory()
    _concerns(adult, [school, school, police])
    assert keys("below-threshold-accumulating") == []


# --- an adult with a violence or domestic-abuse history joins a household with a baby ----------------------------
def _joins(household, *, joined_days_ago: int, history_days_ago: int = 700, age_years: int = 30):
    adult = PersonFactory(date_of_birth=born_years_ago(age_years))
    event(adult, EventKind.DOMESTIC_ABUSE_INCIDENT, days_ago=history_days_ago)
    live_in(household, adult, since=NOW.date() - datetime.timedelta(days=joined_days_ago))
    return adult


def test_violent_adult_joining_a_babys_household_fires(db, household, baby):
    live_in(household, baby)
    adult = _joins(household, joined_days_ago=10)
    [firing] = fired("violent-adult-joins-baby")
    assert firing.subject_ids == (baby.pk,)
    assert adult.chronology_events.get().pk in firing.event_ids


def test_violent_adult_joining_an_unborn_childs_household_fires(db, household):
    unborn = live_in(
        household,
        PersonFactory(is_unborn=True, date_of_birth=None, expected_delivery_date=datetime.date(2026, 9, 1)),
    )
    _joins(household, joined_days_ago=10)
    assert [f.subject_ids for f in fired("violent-adult-joins-baby")] == [(unborn.pk,)]


def test_an_adult_who_joined_over_a_year_ago_does_not_fire(db, household, baby):
    live_in(household, baby)
    _joins(household, joined_days_ago=366)
    assert keys("violent-adult-joins-baby") == []


def test_an_adult_whose_history_is_over_five_years_old_does_not_fire(db, household, baby):
    live_in(household, baby)
    _joins(household, joined_days_ago=10, history_days_ago=1900)
    assert keys("violent-adult-joins-baby") == []


def test_a_toddler_is_not_a_baby(db, household):
    live_in(household, PersonFactory(date_of_birth=born_years_ago(1)))
    _joins(household, joined_days_ago=10)
    assert keys("violent-adult-joins-baby") == []


def test_a_teenager_joining_is_not_an_adult_joining(db, household, baby):
    live_in(household, baby)
    _joins(household, joined_days_ago=10, age_years=16)
    assert keys("violent-adult-joins-baby") == []


# --- missing episodes and exploitation --------------------------------------------------------------------------
def test_missing_twice_and_an_exploitation_concern_fire(db):
    teen = PersonFactory(date_of_birth=born_years_ago(14))
    event(teen, EventKind.MISSING_EPISODE, days_ago=50)
    event(teen, EventKind.MISSING_EPISODE, days_ago=20)
    event(teen, EventKind.CONCERN, days_ago=10, categories=["criminal_exploitation"])
    assert keys("missing-and-exploitation") == [f"p:{teen.pk}"]


def test_missing_without_exploitation_does_not_fire(db):
    teen = PersonFactory(date_of_birth=born_years_ago(14))
    event(teen, EventKind.MISSING_EPISODE, days_ago=50)
    event(teen, EventKind.MISSING_EPISODE, days_ago=20)
    event(teen, EventKind.CONCERN, days_ago=10, categories=["neglect"])
    assert keys("missing-and-exploitation") == []


def test_one_missing_episode_is_not_enough(db):
    teen = PersonFactory(date_of_birth=born_years_ago(14))
    event(teen, EventKind.MISSING_EPISODE, days_ago=20)
    event(teen, EventKind.CONCERN, days_ago=10, categories=["sexual_exploitation"])
    assert keys("missing-and-exploitation") == []


# --- weighted accumulation --------------------------------------------------------------------------------------
def test_weighted_score_crossing_the_threshold_fires(db, household, baby):
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


def test_weighted_score_below_the_threshold_does_not_fire(db, household, baby):
    mother = live_in(household, PersonFactory(date_of_birth=born_years_ago(28)))
    live_in(household, baby)
    event(mother, EventKind.DOMESTIC_ABUSE_INCIDENT, days_ago=100)
    event(mother, EventKind.DOMESTIC_ABUSE_INCIDENT, days_ago=60)
    event(baby, WNB, days_ago=30)
    event(baby, WNB, days_ago=10)
    event(mother, EventKind.EMERGENCY_ATTENDANCE, days_ago=400)  # outside the year
    event(baby, EventKind.SCHOOL_WELFARE, days_ago=4)  # 13
    assert keys("weighted-accumulation") == []


def test_weighted_score_does_not_count_treatment_contacts(db, household, baby):
    mother = live_in(household, PersonFactory(date_of_birth=born_years_ago(28)))
    live_in(household, baby)
    for days_ago in range(10, 310, 20):
        event(mother, EventKind.MENTAL_HEALTH_CONTACT, days_ago=days_ago)
        event(mother, EventKind.SUBSTANCE_MISUSE_CONTACT, days_ago=days_ago + 1)
    assert keys("weighted-accumulation") == []


# --- the household check before a rule's query ------------------------------------------------------------------
BABY, ADULT = 1, 2


def _recent(kind, days_ago, agency_id=1, categories=(), person=BABY):
    return RecentEvent(person, kind, NOW - datetime.timedelta(days=days_ago), agency_id, frozenset(categories))


def _household(*events, baby_born=None, statuses=()):
    return HouseholdSnapshot(
        evaluated=frozenset({BABY}),
        events=list(events),
        born={BABY: (baby_born or born_years_ago(0, days=200), False), ADULT: (born_years_ago(30), False)},
        statuses=defaultdict(set, {BABY: set(statuses)}),
    )


def test_a_signal_short_of_its_count_rules_the_rule_out():
    definition = rule_definition("wnb-young-or-registered")
    assert not could_fire(definition, _household(_recent(WNB, 10)), as_of=NOW)
    assert could_fire(definition, _household(_recent(WNB, 10), _recent(WNB, 100)), as_of=NOW)


def test_an_event_outside_the_signals_window_does_not_count():
    definition = rule_definition("wnb-young-or-registered")
    assert not could_fire(definition, _household(_recent(WNB, 10), _recent(WNB, 200)), as_of=NOW)


def test_no_possible_subject_rules_the_rule_out():
    definition = rule_definition("wnb-young-or-registered")
    twice = (_recent(WNB, 10), _recent(WNB, 100))
    assert not could_fire(definition, _household(*twice, baby_born=born_years_ago(7)), as_of=NOW)
    assert could_fire(definition, _household(*twice, baby_born=born_years_ago(7), statuses=["cp_register"]), as_of=NOW)


def test_a_person_rule_counts_only_the_evaluated_persons_events():
    definition = rule_definition("wnb-young-or-registered")
    assert not could_fire(definition, _household(_recent(WNB, 10), _recent(WNB, 100, person=ADULT)), as_of=NOW)


def test_too_few_agencies_rule_the_rule_out():
    definition = rule_definition("below-threshold-accumulating")
    three = [_recent(EventKind.CONCERN, d, agency_id=7) for d in (10, 20, 30)]
    assert not could_fire(definition, _household(*three), as_of=NOW)
    assert could_fire(definition, _household(*three[:2], _recent(EventKind.CONCERN, 30, agency_id=8)), as_of=NOW)


def test_a_concern_without_the_category_does_not_count():
    definition = rule_definition("missing-and-exploitation")
    missing = [_recent(EventKind.MISSING_EPISODE, d) for d in (10, 20)]
    neglect = _recent(EventKind.CONCERN, 5, categories=["neglect"])
    assert not could_fire(definition, _household(*missing, neglect), as_of=NOW)
    exploited = _recent(EventKind.CONCERN, 5, categories=["criminal_exploitation"])
    assert could_fire(definition, _household(*missing, exploited), as_of=NOW)


def test_a_score_below_the_threshold_rules_the_rule_out():
    definition = rule_definition("weighted-accumulation")
    incidents = [_recent(EventKind.DOMESTIC_ABUSE_INCIDENT, d, person=ADULT) for d in (10, 20, 30)]  # 12
    assert not could_fire(definition, _household(*incidents), as_of=NOW)
    assert could_fire(definition, _household(*incidents, _recent(WNB, 5)), as_of=NOW)
