"""Alerts from firings (one per pattern, escalation, closing), rule versions, and evaluation when an event lands."""

from __future__ import annotations

import datetime
import threading
import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models.signals import post_save
from factory.django import mute_signals

from cylch.accounts.models import RoleCode
from cylch.chronology.models import EventKind
from cylch.notifications.models import Notification
from cylch.risk import services
from cylch.risk.models import Alert, AlertOutcome, AlertStatus, RiskRule, RiskRuleVersion
from cylch.risk.services import (
    LIVE_RULES_SECONDS,
    alert_acknowledge,
    alert_close,
    live_rules_forget,
    risk_evaluate,
    rule_save,
)
from tests.factories import AgencyFactory, InvolvementFactory, PersonFactory, PractitionerFactory
from tests.risk.conftest import NOW, born_years_ago, event, live_in, rule_definition

WNB = EventKind.WAS_NOT_BROUGHT
DAY = datetime.timedelta(days=1)
pytestmark = pytest.mark.usefixtures("now_is_fixed")


def _two_missed(child):
    return [event(child, WNB, days_ago=60), event(child, WNB, days_ago=5)]


def _pause(code="wnb-young-or-registered"):
    current = RiskRule.objects.get(code=code).current
    return rule_save(
        code=code,
        name=current.name,
        rationale=current.rationale,
        research=current.research,
        definition=current.definition,
        active=False,
        change_note="Paused while the health board reviews its booking system.",
    )


def _alerts(code="wnb-young-or-registered"):
    return list(Alert.objects.filter(rule__code=code))


def test_a_firing_raises_one_alert_with_its_version_children_and_events(db, baby):
    missed = _two_missed(baby)
    [alert] = risk_evaluate(people=[baby.pk]).raised
    assert alert.rule.code == "wnb-young-or-registered"
    assert alert.version == alert.rule.current
    assert list(alert.people.all()) == [baby]
    assert set(alert.events.all()) == set(missed)


def test_the_alert_is_due_in_working_days(db, baby):
    _two_missed(baby)
    [alert] = risk_evaluate(people=[baby.pk]).raised
    # Raised on Monday 15 June 2026 at 13:00 London time: acknowledge by the end of Tuesday, act by the next Monday.
    assert alert.acknowledge_due_at.isoformat() == "2026-06-17T00:00:00+01:00"
    assert alert.act_due_at.isoformat() == "2026-06-23T00:00:00+01:00"


def test_the_front_door_owns_an_alert_whose_rule_has_no_lead_agency(db, baby):
    _two_missed(baby)
    [alert] = risk_evaluate(people=[baby.pk]).raised
    assert alert.owner_agency is None


def test_the_rules_lead_agency_owns_its_alerts(db, baby):
    rule = RiskRule.objects.get(code="wnb-young-or-registered")
    lead = AgencyFactory()
    current = rule.current
    rule_save(
        code=rule.code,
        name=current.name,
        rationale=current.rationale,
        research=current.research,
        definition=current.definition,
        active=True,
        lead_agency=lead,
        change_note="Health visiting leads on missed appointments.",
    )
    _two_missed(baby)
    [alert] = risk_evaluate(people=[baby.pk]).raised
    assert alert.owner_agency == lead


def test_evaluating_again_raises_no_duplicate(db, baby):
    _two_missed(baby)
    risk_evaluate(people=[baby.pk])
    result = risk_evaluate()
    assert (result.raised, result.escalated) == ([], [])
    assert len(_alerts()) == 1


def test_an_alert_raised_at_the_same_time_is_not_raised_twice(db, baby, monkeypatch):
    """Two evaluations running together both find no alert for the pattern and both raise it: the database turns
    the second copy away and the rest of that evaluation still raises what it found."""
    toddler = PersonFactory(date_of_birth=born_years_ago(2))
    missed = set(_two_missed(baby))
    [first] = risk_evaluate(people=[baby.pk]).raised
    _two_missed(toddler)
    monkeypatch.setattr(services, "_known_alerts", lambda rules, keys: [])  # looked before the first committed
    raised = risk_evaluate(people=[baby.pk, toddler.pk]).raised
    assert [a.pattern_key for a in raised] == [f"p:{toddler.pk}"]
    assert sorted(a.pattern_key for a in _alerts()) == sorted([f"p:{baby.pk}", f"p:{toddler.pk}"])
    assert (list(first.people.all()), set(first.events.all())) == ([baby], missed)


@pytest.mark.django_db(transaction=True)
def test_two_evaluations_running_together_raise_one_alert(baby, monkeypatch):
    """The real race on PostgreSQL: the second evaluation looks for the pattern's alerts before the first commits
    the one it raised, so it raises it too; its insert waits for the first to commit, and the copy is turned away."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite lets one writer in at a time")
    with mute_signals(post_save):  # the receivers would evaluate as each event commits
        _two_missed(baby)
    looked = threading.Event()
    known = services._known_alerts

    def known_then_said(rules, keys):
        rows = known(rules, keys)
        if threading.current_thread().name == "second":
            looked.set()
        return rows

    monkeypatch.setattr(services, "_known_alerts", known_then_said)
    second: list[object] = []

    def evaluate_second():
        try:
            second.append(risk_evaluate(people=[baby.pk]).raised)
        except Exception as error:  # the assertion below reports it
            second.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=evaluate_second, name="second")
    with transaction.atomic():
        first = risk_evaluate(people=[baby.pk]).raised
        thread.start()
        assert looked.wait(timeout=30)
    thread.join(timeout=30)
    assert (len(first), second) == (1, [[]])
    assert [a.pk for a in _alerts()] == [first[0].pk]


def test_a_worsening_pattern_escalates_the_open_alert(db, baby):
    _two_missed(baby)
    [alert] = risk_evaluate(people=[baby.pk]).raised
    third = event(baby, WNB, days_ago=1)
    [escalated] = risk_evaluate(people=[baby.pk]).escalated
    assert escalated.pk == alert.pk
    assert escalated.level == 2
    assert alert.alert_events.get(event=third).level == 2
    assert len(_alerts()) == 1


def test_a_closed_alert_is_not_raised_again_for_the_same_events(db, baby):
    front_door = PractitionerFactory(roles=[RoleCode.FRONT_DOOR])
    _two_missed(baby)
    [alert] = risk_evaluate(people=[baby.pk]).raised
    alert_close(alert=alert, user=front_door, outcome=AlertOutcome.NO_FURTHER_ACTION, reason="Rebooked; seen.")
    assert risk_evaluate(people=[baby.pk]).raised == []


def test_a_new_event_after_closing_raises_a_new_alert(db, baby):
    front_door = PractitionerFactory(roles=[RoleCode.FRONT_DOOR])
    _two_missed(baby)
    [alert] = risk_evaluate(people=[baby.pk]).raised
    alert_close(alert=alert, user=front_door, outcome=AlertOutcome.REFERRED, reason="Referred.")
    event(baby, WNB, days_ago=1)
    [again] = risk_evaluate(people=[baby.pk]).raised
    assert again.pk != alert.pk


def test_a_household_alert_concerns_every_child_there(db, household, baby):
    sibling = live_in(household, PersonFactory())
    mother = live_in(household, PersonFactory(date_of_birth="1995-01-01"))
    live_in(household, baby)
    event(baby, WNB, days_ago=20)
    event(mother, EventKind.DOMESTIC_ABUSE_INCIDENT, days_ago=30)
    event(sibling, EventKind.CONCERN, days_ago=40, categories=["neglect"])
    risk_evaluate(people=[mother.pk])
    [alert] = _alerts("wnb-domestic-abuse-home-conditions")
    assert set(alert.people.all()) == {baby, sibling}


def test_involved_practitioners_are_told(db, baby):
    health_visitor = PractitionerFactory()
    InvolvementFactory(person=baby, agency=health_visitor.agency, practitioner=health_visitor)
    _two_missed(baby)
    risk_evaluate(people=[baby.pk])
    message = Notification.objects.get(recipient=health_visitor)
    assert message.template == "risk_alert"
    assert baby.given_name not in message.body  # email: no one named


@pytest.mark.parametrize("how", ["in the household read", "in the rescan"])
def test_a_practitioner_no_longer_involved_or_active_is_not_told(db, baby, how):
    left = PractitionerFactory(is_active=False)
    InvolvementFactory(person=baby, agency=left.agency, practitioner=left)
    moved_on = PractitionerFactory()
    InvolvementFactory(person=baby, agency=moved_on.agency, practitioner=moved_on, end_date=NOW.date() - DAY)
    current = PractitionerFactory()
    InvolvementFactory(person=baby, agency=current.agency, practitioner=current)
    _two_missed(baby)
    risk_evaluate(people=[baby.pk] if how == "in the household read" else None)
    assert list(Notification.objects.filter(recipient__isnull=False).values_list("recipient", flat=True)) == [
        current.pk
    ]


def test_an_alert_raised_with_no_one_involved_costs_five_statements(db, baby, django_assert_num_queries):
    """The household read, the patterns' alerts, then the alert and its children's and events' rows, with no
    savepoint around them inside the caller's transaction: no practitioners are read when none is involved."""
    risk_evaluate(people=[baby.pk])  # the live rules are kept from here
    _two_missed(baby)
    with django_assert_num_queries(5):
        assert len(risk_evaluate(people=[baby.pk]).raised) == 1


def test_an_escalation_tells_them_again(db, baby):
    health_visitor = PractitionerFactory()
    InvolvementFactory(person=baby, agency=health_visitor.agency, practitioner=health_visitor)
    _two_missed(baby)
    risk_evaluate(people=[baby.pk])
    event(baby, WNB, days_ago=1)
    risk_evaluate(people=[baby.pk])
    assert Notification.objects.filter(recipient=health_visitor).count() == 2


def test_an_inactive_rule_raises_nothing(db, baby):
    _pause()
    _two_missed(baby)
    assert risk_evaluate(people=[baby.pk]).raised == []


# --- acknowledging and closing ----------------------------------------------------------------------------------
@pytest.fixture
def alert(db, baby):
    _two_missed(baby)
    return risk_evaluate(people=[baby.pk]).raised[0]


def test_the_front_door_acknowledges(alert):
    front_door = PractitionerFactory(roles=[RoleCode.FRONT_DOOR])
    acknowledged = alert_acknowledge(alert=alert, user=front_door)
    assert (acknowledged.status, acknowledged.acknowledged_by) == (AlertStatus.ACKNOWLEDGED, front_door)


def test_a_practitioner_of_another_agency_cannot_acknowledge(alert):
    with pytest.raises(PermissionDenied):
        alert_acknowledge(alert=alert, user=PractitionerFactory())


def test_closing_records_who_when_what_and_why(alert):
    front_door = PractitionerFactory(roles=[RoleCode.FRONT_DOOR])
    closed = alert_close(alert=alert, user=front_door, outcome=AlertOutcome.MEETING, reason="Core group on Friday.")
    closed.refresh_from_db()
    assert (closed.status, closed.closed_by, closed.outcome) == (AlertStatus.CLOSED, front_door, "meeting")
    assert closed.outcome_reason == "Core group on Friday."
    assert closed.closed_at is not None


def test_closing_needs_a_reason(alert):
    front_door = PractitionerFactory(roles=[RoleCode.FRONT_DOOR])
    with pytest.raises(ValidationError):
        alert_close(alert=alert, user=front_door, outcome=AlertOutcome.NO_FURTHER_ACTION, reason=" ")


def test_a_closed_alert_cannot_be_closed_again(alert):
    front_door = PractitionerFactory(roles=[RoleCode.FRONT_DOOR])
    alert_close(alert=alert, user=front_door, outcome=AlertOutcome.REFERRED, reason="Referred.")
    with pytest.raises(ValidationError):
        alert_close(alert=alert, user=front_door, outcome=AlertOutcome.REFERRED, reason="Again.")


def test_the_owning_agencys_practitioner_can_close(alert):
    owner = PractitionerFactory()
    Alert.objects.filter(pk=alert.pk).update(owner_agency=owner.agency)
    alert.refresh_from_db()
    assert alert_close(alert=alert, user=owner, outcome=AlertOutcome.REFERRED, reason="Referred.").closed_by == owner


# --- rule versions ----------------------------------------------------------------------------------------------
def _save(**overrides):
    values = {
        "code": "test-rule",
        "name": "Test rule",
        "rationale": "Because.",
        "research": "A study.",
        "definition": {
            "scope": "person",
            "window_days": 30,
            "signals": [{"label": "WNB", "match": [{"kinds": [WNB]}]}],
        },
        "active": False,
    }
    return rule_save(**(values | overrides))


def test_each_change_is_a_new_version_and_the_history_is_kept(db):
    board = PractitionerFactory(roles=[RoleCode.BOARD_OFFICER])
    first = _save(user=board)
    longer = {"scope": "person", "window_days": 60, "signals": [{"label": "WNB", "match": [{"kinds": [WNB]}]}]}
    second = _save(user=board, definition=longer, change_note="A longer window.", name="Test rule, longer")
    rule = RiskRule.objects.get(code="test-rule")
    assert rule.current == second
    assert [v.number for v in rule.versions.order_by("number")] == [1, 2]
    first.refresh_from_db()
    assert first.name == "Test rule"


def test_a_change_needs_a_note(db):
    _save()
    with pytest.raises(ValidationError):
        _save(name="Renamed")


def test_only_a_board_officer_edits_rules(db):
    with pytest.raises(PermissionDenied):
        _save(user=PractitionerFactory(roles=[RoleCode.FRONT_DOOR]))


@pytest.mark.parametrize(
    ("definition", "fault"),
    [
        ({"scope": "street", "window_days": 30, "signals": []}, "scope"),
        (
            {"scope": "person", "window_days": 0, "signals": [{"label": "x", "match": [{"kinds": [WNB]}]}]},
            "window_days",
        ),
        ({"scope": "person", "window_days": 30, "signals": [{"label": "x", "match": [{"kinds": ["nap"]}]}]}, "nap"),
        (
            {
                "scope": "person",
                "window_days": 30,
                "signals": [{"label": "x", "match": [{"kinds": [WNB], "categories": ["z"]}]}],
            },
            "categories",
        ),
        ({"scope": "person", "window_days": 30, "signals": []}, "signal"),
        ({"scope": "person", "window_days": 30, "signals": [], "colour": "red"}, "colour"),
        (
            {
                "scope": "person",
                "window_days": 30,
                "signals": [{"label": "x", "who": "adult", "match": [{"kinds": [WNB]}]}],
            },
            "household",
        ),
        ([], "object"),
    ],
)
def test_an_invalid_definition_is_refused_naming_the_fault(db, definition, fault):
    with pytest.raises(ValidationError) as refused:
        _save(definition=definition)
    assert fault in str(refused.value)
    assert not RiskRule.objects.filter(code="test-rule", current__isnull=False).exists()


def test_every_default_rule_is_live_and_valid(db):
    rules = RiskRule.objects.all()
    assert rules.count() == 6
    for rule in rules:
        assert rule.current.active
        assert rule_definition(rule.code)


# --- incremental evaluation when an event lands -----------------------------------------------------------------
def test_an_event_landing_raises_the_alert_once_it_commits(db, baby, django_capture_on_commit_callbacks):
    event(baby, WNB, days_ago=60)
    with django_capture_on_commit_callbacks(execute=True):
        event(baby, WNB, days_ago=5)
    assert len(_alerts()) == 1


def test_an_adult_joining_raises_the_alert_once_it_commits(db, household, baby, django_capture_on_commit_callbacks):
    live_in(household, baby)
    adult = PersonFactory(date_of_birth="1990-01-01")
    event(adult, EventKind.DOMESTIC_ABUSE_INCIDENT, days_ago=300)
    with django_capture_on_commit_callbacks(execute=True):
        live_in(household, adult, since=baby.date_of_birth)
    assert len(_alerts("violent-adult-joins-baby")) == 1


def test_the_rescan_command_raises_what_fired(db, baby):
    _two_missed(baby)
    call_command("risk", "rescan")
    assert len(_alerts()) == 1


def test_a_rescan_firing_on_more_patterns_than_a_chunk_raises_each_alert_once(db, baby, monkeypatch):
    """At a million people a rule fires on more patterns than one statement holds: they are read and written in
    chunks (here of one)."""
    monkeypatch.setattr("cylch.risk.engine.KEY_CHUNK", 1)
    monkeypatch.setattr("cylch.risk.services.KEY_CHUNK", 1)
    toddler = PersonFactory(date_of_birth=born_years_ago(2))
    missed = {baby.pk: set(_two_missed(baby)), toddler.pk: set(_two_missed(toddler))}
    risk_evaluate()
    alerts = _alerts()
    assert sorted(a.pattern_key for a in alerts) == sorted(f"p:{pk}" for pk in missed)
    for alert in alerts:
        assert set(alert.events.all()) == missed[alert.subjects.get().person_id]


def test_evaluating_a_set_of_people_costs_the_statements_of_one(db, baby, django_assert_num_queries):
    """An agency feed's chunk names many people at once: their households are read together and their alerts
    written together."""
    toddler = PersonFactory(date_of_birth=born_years_ago(2))
    risk_evaluate(people=[baby.pk])  # the live rules are kept from here
    _two_missed(baby)
    _two_missed(toddler)
    with django_assert_num_queries(5):
        raised = risk_evaluate(people={baby.pk, toddler.pk}).raised
    assert sorted(a.pattern_key for a in raised) == sorted([f"p:{baby.pk}", f"p:{toddler.pk}"])


def test_an_event_no_rule_can_use_runs_no_rule_query(db, baby, django_assert_max_num_queries):
    """The live rules (unless kept from an earlier evaluation) and the household in one statement: no rule's
    pattern can be met by a home visit, so none of the six rules' own queries runs."""
    event(baby, EventKind.HOME_VISIT, days_ago=3)
    with django_assert_max_num_queries(2):
        assert risk_evaluate(people=[baby.pk]).raised == []


def test_the_live_rules_are_kept_between_evaluations(db, baby, django_assert_num_queries):
    event(baby, EventKind.HOME_VISIT, days_ago=3)
    risk_evaluate(people=[baby.pk])
    with django_assert_num_queries(1):  # the household only
        risk_evaluate(people=[baby.pk])


def test_an_evaluation_that_finds_nothing_new_reads_the_alerts_and_writes_nothing(db, baby, django_assert_num_queries):
    _two_missed(baby)
    assert len(risk_evaluate(people=[baby.pk]).raised) == 1
    with django_assert_num_queries(2):  # the household, the pattern's alerts with their events
        result = risk_evaluate(people=[baby.pk])
    assert (result.raised, result.escalated) == ([], [])


def test_a_rule_change_is_used_by_the_next_evaluation(db, baby):
    risk_evaluate(people=[baby.pk])  # the live rules are kept from here
    _pause()
    _two_missed(baby)
    assert risk_evaluate(people=[baby.pk]).raised == []


def test_a_rule_change_rolled_back_leaves_the_rule_as_it_was(db, baby):
    risk_evaluate(people=[baby.pk])
    with transaction.atomic():
        _pause()
        assert risk_evaluate(people=[baby.pk]).raised == []  # read inside the change
        transaction.set_rollback(True)
    _two_missed(baby)
    assert len(risk_evaluate(people=[baby.pk]).raised) == 1


def test_a_change_saved_by_another_process_is_used_once_the_kept_rules_expire(db, baby, monkeypatch):
    risk_evaluate(people=[baby.pk])
    rule = RiskRule.objects.get(code="wnb-young-or-registered")
    RiskRuleVersion.objects.filter(pk=rule.current_id).update(active=False)  # no signal here, as from elsewhere
    later = time.monotonic() + LIVE_RULES_SECONDS
    monkeypatch.setattr("cylch.risk.services.time.monotonic", lambda: later)
    _two_missed(baby)
    try:
        assert risk_evaluate(people=[baby.pk]).raised == []
    finally:
        live_rules_forget()  # what was kept saw a change no signal announced, and its clock was moved


def test_the_kinds_check_still_sees_a_housemates_events(db, household, baby):
    mother = live_in(household, PersonFactory(date_of_birth=born_years_ago(28)))
    live_in(household, baby)
    event(mother, EventKind.DOMESTIC_ABUSE_INCIDENT, days_ago=100)
    event(mother, EventKind.DOMESTIC_ABUSE_INCIDENT, days_ago=60)
    event(baby, WNB, days_ago=30)
    event(baby, WNB, days_ago=10)
    event(mother, EventKind.EMERGENCY_ATTENDANCE, days_ago=5)
    event(baby, EventKind.SCHOOL_WELFARE, days_ago=4)
    raised = risk_evaluate(people=[baby.pk], as_of=NOW).raised
    assert "weighted-accumulation" in {alert.rule.code for alert in raised}
