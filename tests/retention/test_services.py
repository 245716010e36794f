"""Retention: the dry run changes nothing and reports counts; a run destroys only what is due, on the audit chain."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from cylch.audit.chain import chain_seal, chain_verify
from cylch.audit.models import AccessLogEntry, AccessOutcome, AuditAction
from cylch.chronology.models import ChronologyEvent
from cylch.concerns.models import Concern
from cylch.people.models import Household, Person, SourceRecord
from cylch.retention.services import retention_run
from tests.audit.entries import access_log_record
from tests.factories import (
    ChronologyEventFactory,
    ConcernSubjectFactory,
    HouseholdMembershipFactory,
    InvolvementFactory,
    PersonFactory,
    PractitionerFactory,
    RelationshipFactory,
    SourceRecordFactory,
    StatutoryStatusFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)


def _child_with_records(*, born, family_name):
    child = PersonFactory(given_name="Gethin", family_name=family_name, date_of_birth=born)
    ChronologyEventFactory.create_batch(2, person=child)
    ConcernSubjectFactory(person=child)
    SourceRecordFactory(person=child)
    HouseholdMembershipFactory(person=child)
    InvolvementFactory(person=child)
    return child


@pytest.fixture
def region():
    """A 26-year-old (past 25), a 24-year-old, and a looked-after 26-year-old (kept for 75 years), each read once."""
    people = {
        "twenty_six": _child_with_records(born=datetime.date(2000, 1, 1), family_name="Hen"),
        "twenty_four": _child_with_records(born=datetime.date(2002, 1, 1), family_name="Ifanc"),
        "looked_after": _child_with_records(born=datetime.date(2000, 1, 1), family_name="Gofal"),
    }
    StatutoryStatusFactory(person=people["looked_after"], kind="looked_after", category="")
    practitioner = PractitionerFactory()
    for person in people.values():
        access_log_record(practitioner=practitioner, person=person, page="person", outcome=AccessOutcome.DETAIL)
    chain_seal()
    return people


def test_a_dry_run_reports_counts_and_changes_nothing(region):
    entries = AccessLogEntry.objects.count()
    report = retention_run(dry_run=True, today=TODAY)
    counts = {(item.rule, item.record_type): item.count for item in report.destroyed}
    assert counts[("child", "chronology event")] == 2
    assert counts[("child", "concern")] == 1
    assert counts[("child", "person")] == 1
    assert {rule for rule, _ in counts} == {"child"}
    assert ChronologyEvent.objects.count() == 6
    assert Person.objects.get(pk=region["twenty_six"].pk).family_name == "Hen"
    assert AccessLogEntry.objects.count() == entries


def test_a_run_destroys_only_what_is_due_and_leaves_a_blank_tombstone(region):
    retention_run(dry_run=False, today=TODAY)
    gone = Person.objects.get(pk=region["twenty_six"].pk)
    assert gone.destroyed_at is not None
    assert (gone.given_name, gone.family_name, gone.date_of_birth, gone.nhs_number) == ("", "", None, "")
    assert not ChronologyEvent.objects.filter(person=gone).exists()
    assert not SourceRecord.objects.filter(person=gone).exists()
    assert not gone.household_memberships.exists()
    assert not gone.involvements.exists()
    assert Concern.objects.count() == 2
    assert Household.objects.count() == 2
    for kept in (region["twenty_four"], region["looked_after"]):
        kept.refresh_from_db()
        assert kept.destroyed_at is None
        assert ChronologyEvent.objects.filter(person=kept).count() == 2
        assert SourceRecord.objects.filter(person=kept).exists()


def test_the_destruction_is_on_the_audit_chain_without_what_was_destroyed_and_the_chain_still_verifies(region):
    report = retention_run(dry_run=False, today=TODAY)
    chain_seal()
    entries = AccessLogEntry.objects.filter(page="retention", action=AuditAction.DELETE)
    assert {(e.details["record_type"], e.details["count"]) for e in entries} == {
        (item.record_type, item.count) for item in report.destroyed
    }
    assert all(e.person_id is None and e.practitioner_id is None for e in entries)
    assert all(e.details["rule"] == "child" and e.details["years"] == 25 for e in entries)
    assert not [e for e in entries if "Gethin" in str(e.details) or "Hen" in str(e.details)]
    report = chain_verify()
    assert report.intact, report.problem
    assert report.checked == 3 + entries.count()  # the reads of the destroyed record still verify


def test_a_parent_is_kept_while_any_of_their_children_is_and_goes_with_the_last(region):
    shared = RelationshipFactory(
        relative=region["twenty_six"], person=PersonFactory(date_of_birth=datetime.date(1975, 2, 2))
    ).person
    RelationshipFactory(person=shared, relative=region["twenty_four"])
    only_child_parent = RelationshipFactory(
        relative=region["twenty_six"], person=PersonFactory(date_of_birth=datetime.date(1976, 3, 3))
    ).person
    retention_run(dry_run=False, today=TODAY)
    shared.refresh_from_db()
    assert shared.destroyed_at is None  # the 24-year-old is still kept
    assert Person.objects.get(pk=region["twenty_six"].pk).destroyed_at is None  # ...and so their whole family
    assert Person.objects.get(pk=only_child_parent.pk).destroyed_at is None


def test_a_family_past_its_period_goes_together(region):
    parent = RelationshipFactory(
        relative=region["twenty_six"], person=PersonFactory(date_of_birth=datetime.date(1976, 3, 3))
    ).person
    retention_run(dry_run=False, today=TODAY)
    assert Person.objects.get(pk=parent.pk).destroyed_at is not None
    assert Person.objects.get(pk=region["twenty_six"].pk).destroyed_at is not None


@override_settings(CYLCH_RETENTION_YEARS={"child": 30})
def test_the_schedule_is_configurable(region):
    assert retention_run(dry_run=False, today=TODAY).destroyed == ()
    assert Person.objects.filter(destroyed_at__isnull=False).count() == 0


def test_the_command_prints_counts_never_names(region):
    out = StringIO()
    call_command("retention", "run", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "dry run, nothing changed" in text
    assert "chronology event" in text
    assert "Gethin" not in text
    assert "Hen" not in text
    assert Person.objects.filter(destroyed_at__isnull=False).count() == 0
