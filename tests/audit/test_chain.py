"""The audit log's hash chain: intact, then broken by an edited, a deleted and an inserted entry."""

import datetime
import itertools
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.utils import timezone

from cylch.audit.chain import SEAL_GRACE, chain_seal, chain_verify
from cylch.audit.models import AccessLogEntry, AccessOutcome
from cylch.audit.services import access_log_record, access_log_record_many
from tests.factories import PersonFactory, PractitionerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries():
    practitioner = PractitionerFactory()
    people = [PersonFactory() for _ in range(4)]
    for person in people[:2]:
        access_log_record(practitioner=practitioner, person=person, page="person", outcome=AccessOutcome.DETAIL)
    access_log_record_many(
        practitioner=practitioner,
        people=people[2:],
        page="search",
        outcome_for={p.pk: AccessOutcome.RESTRICTED for p in people[2:]},
    )
    chain_seal()
    return list(AccessLogEntry.objects.order_by("sequence"))


def test_entries_are_chained_in_order(entries):
    assert [e.sequence for e in entries] == [1, 2, 3, 4]
    assert all(b.previous_hash == a.entry_hash for a, b in itertools.pairwise(entries))
    report = chain_verify()
    assert report.intact
    assert report.checked == 4


def test_an_edited_entry_is_named(entries):
    AccessLogEntry.objects.filter(pk=entries[1].pk).update(reason="nothing to see here")
    report = chain_verify()
    assert (report.problem.sequence, report.problem.entry_id) == (2, entries[1].pk)
    assert "edited" in report.problem.problem


def test_a_deleted_entry_is_detected(entries):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_accesslogentry WHERE id = %s", [entries[1].pk])
    report = chain_verify()
    assert report.problem.sequence == 3
    assert "deleted" in report.problem.problem


def test_an_inserted_entry_is_detected(entries):
    # Squeeze a forged entry in by shifting the later ones along (what a careful forger would do).
    forged_seq = entries[-1].sequence + 1
    AccessLogEntry.objects.filter(pk=entries[-1].pk).update(sequence=forged_seq)
    forged = AccessLogEntry(
        practitioner=entries[0].practitioner,
        person=entries[0].person,
        page="person",
        outcome="detail",
        sequence=entries[-1].sequence,
        previous_hash=entries[-2].entry_hash,
    )
    forged.entry_hash = "f" * 64
    AccessLogEntry.objects.bulk_create([forged])
    report = chain_verify()
    assert report.problem.sequence == entries[-1].sequence
    assert not report.intact


def test_a_row_never_sealed_is_detected_once_the_grace_period_has_passed(entries):
    long_ago = timezone.now() - SEAL_GRACE - datetime.timedelta(minutes=1)
    AccessLogEntry.objects.bulk_create(
        [AccessLogEntry(practitioner=entries[0].practitioner, page="x", outcome="detail", at=long_ago)]
    )
    assert "never sealed" in chain_verify().problem.problem


def test_a_recent_unsealed_entry_is_not_a_problem(entries):
    access_log_record(practitioner=entries[0].practitioner, person=entries[0].person, page="p", outcome="detail")
    assert chain_verify().intact


def test_sealing_continues_the_chain_in_insertion_order(entries):
    later = access_log_record(
        practitioner=entries[0].practitioner, person=entries[0].person, page="p", outcome="detail"
    )
    assert later.sequence is None
    assert chain_seal() == 1
    later.refresh_from_db()
    assert (later.sequence, later.previous_hash) == (5, entries[-1].entry_hash)
    assert chain_verify().checked == 5


def test_the_verify_command_seals_recent_entries_first(entries):
    access_log_record(practitioner=entries[0].practitioner, person=entries[0].person, page="p", outcome="detail")
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    assert "Sealed 1" in out.getvalue()
    assert "5 entries checked" in out.getvalue()


def test_the_verify_command_reports_the_first_broken_entry(entries):
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    assert "intact" in out.getvalue()
    AccessLogEntry.objects.filter(pk=entries[2].pk).update(page="edited")
    with pytest.raises(CommandError, match="entry 3"):
        call_command("audit", "verify", stdout=StringIO())


def test_the_log_refuses_updates_and_deletes_through_the_model(entries):
    with pytest.raises(ValueError, match="append-only"):
        entries[0].save()
    with pytest.raises(ValueError, match="append-only"):
        entries[0].delete()


@pytest.mark.django_db(transaction=True)
def test_a_transaction_recording_several_entries_seals_them_once_after_commit():
    practitioner, person = PractitionerFactory(), PersonFactory()
    with transaction.atomic():
        for page in ("a", "b", "c"):
            access_log_record(practitioner=practitioner, person=person, page=page, outcome=AccessOutcome.DETAIL)
        assert len(connection.run_on_commit) == 1
    assert list(AccessLogEntry.objects.order_by("pk").values_list("sequence", flat=True)) == [1, 2, 3]
