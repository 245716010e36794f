"""The audit log's signed chain: intact, then broken by edited, deleted, inserted and forged entries."""

import hashlib
import itertools
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.test import override_settings
from django.utils import timezone

from cylch.audit.anchors import anchor_file
from cylch.audit.chain import chain_anchor, chain_seal, chain_verify
from cylch.audit.models import AccessLogEntry, AccessOutcome, ChainHead
from cylch.audit.tasks import chain_seal_task
from tests.audit.entries import access_log_record, access_log_record_many
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


def _record(entries, page="p"):
    return access_log_record(
        practitioner=entries[0].practitioner, person=entries[0].person, page=page, outcome="detail"
    )


def _insert_raw(entries, **overrides):
    """A row written with SQL by someone without the audit key."""
    columns = {
        "practitioner_id": entries[0].practitioner_id,
        "roles": entries[0].roles,
        "agency_id": entries[0].agency_id,
        "person_id": entries[0].person_id,
        "action": "view",
        "page": "person",
        "outcome": "detail",
        "reason": "",
        "path": "",
        "details": "{}",
        "at": timezone.now(),
        "nonce": "f" * 32,
        "signature": "f" * 64,
        "previous_hash": "",
        "entry_hash": "",
        **overrides,
    }
    names = ", ".join(columns)
    placeholders = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO audit_accesslogentry ({names}) VALUES ({placeholders})", list(columns.values()))  # noqa: S608
    return AccessLogEntry.objects.get(nonce=columns["nonce"])


def test_entries_are_chained_in_order_and_the_head_records_the_end(entries):
    assert [e.sequence for e in entries] == [1, 2, 3, 4]
    assert all(b.previous_hash == a.entry_hash for a, b in itertools.pairwise(entries))
    head = ChainHead.objects.get()
    assert (head.sequence, head.entry_hash) == (4, entries[-1].entry_hash)
    report = chain_verify()
    assert report.intact
    assert report.checked == 4


def test_an_edited_entry_is_named(entries, tamper):
    with tamper():
        AccessLogEntry.objects.filter(pk=entries[1].pk).update(reason="nothing to see here")
    report = chain_verify()
    assert (report.problem.sequence, report.problem.entry_id) == (2, entries[1].pk)
    assert "edited" in report.problem.problem


def test_a_deleted_entry_is_detected(entries, tamper):
    with tamper(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_accesslogentry WHERE id = %s", [entries[1].pk])
    report = chain_verify()
    assert report.problem.sequence == 3
    assert "deleted" in report.problem.problem


def test_deleting_the_last_entry_is_detected(entries, tamper):
    with tamper(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_accesslogentry WHERE id = %s", [entries[-1].pk])
    problem = chain_verify().problem
    assert (problem.sequence, problem.entry_id) == (4, None)
    assert "missing from the end" in problem.problem


def test_sealing_after_a_deleted_end_does_not_reuse_its_number(entries, tamper):
    with tamper(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_accesslogentry WHERE id = %s", [entries[-1].pk])
    later = _record(entries)
    chain_seal()
    later.refresh_from_db()
    assert later.sequence == 5
    assert "entries 4–4 are missing" in chain_verify().problem.problem


def test_deleting_the_end_and_its_head_stops_sealing_and_is_reported(entries, tamper):
    with tamper(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_accesslogentry WHERE id = %s", [entries[-1].pk])
        cursor.execute("DELETE FROM audit_chainhead")
    _record(entries)
    assert chain_seal() == 0
    assert "where the chain ends is missing" in chain_verify().problem.problem


def test_restoring_an_older_head_with_a_shortened_chain_contradicts_the_anchor_file(entries, tamper):
    older = ChainHead.objects.get()
    _record(entries)
    chain_seal()
    assert chain_anchor()
    with tamper(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_accesslogentry WHERE sequence = 5")
        cursor.execute(
            "UPDATE audit_chainhead SET sequence = %s, entry_hash = %s, signature = %s",
            [older.sequence, older.entry_hash, older.signature],
        )
    problem = chain_verify().problem
    assert (problem.sequence, problem.entry_id) == (5, None)
    assert str(anchor_file()) in problem.problem


def test_an_altered_anchor_line_is_reported(entries):
    chain_anchor()
    line = anchor_file().read_text().split()
    anchor_file().write_text(f"9 {line[1]} {line[2]}\n")
    assert "not an anchor Cylch wrote" in chain_verify().problem.problem


def test_the_worker_anchors_the_head_only_when_it_moved(entries):
    chain_seal_task.call()
    chain_seal_task.call()
    assert anchor_file().read_text().count("\n") == 1
    _record(entries)
    chain_seal_task.call()
    assert anchor_file().read_text().splitlines()[-1].startswith("5 ")
    assert chain_verify().intact


def test_a_row_inserted_with_sql_is_named_by_the_command_and_never_sealed(entries):
    forged = _insert_raw(entries)
    with pytest.raises(CommandError, match=f"row id {forged.pk}"):
        call_command("audit", "verify", stdout=StringIO(), stderr=StringIO())
    forged.refresh_from_db()
    assert forged.sequence is None


def test_a_row_signed_with_the_wrong_key_is_never_sealed(entries):
    forged = AccessLogEntry(
        practitioner=entries[0].practitioner, person=entries[0].person, page="person", outcome="detail"
    )
    with override_settings(CYLCH_AUDIT_KEY="a guess at the key"):
        forged.sign()
    AccessLogEntry.objects.bulk_create([forged])
    legitimate = _record(entries)
    assert chain_seal() == 1
    forged.refresh_from_db()
    legitimate.refresh_from_db()
    assert (forged.sequence, legitimate.sequence) == (None, 5)
    assert chain_verify().problem.entry_id == forged.pk


def test_a_copy_of_a_genuine_entry_cannot_be_inserted(entries):
    genuine = entries[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        _insert_raw(entries, nonce=genuine.nonce, signature=genuine.signature)


def _rechain_from(entries, position, link):
    """What a forger with write access does after editing: recompute every later hash, and the head."""
    previous = entries[position - 2].entry_hash
    for entry in entries[position - 1 :]:
        entry.refresh_from_db()
        entry_hash = link(entry, previous)
        AccessLogEntry.objects.filter(pk=entry.pk).update(previous_hash=previous, entry_hash=entry_hash)
        previous = entry_hash
    ChainHead.objects.update(entry_hash=previous)


def test_an_edit_rechained_with_plain_sha256_is_detected(entries, tamper):
    def sha256(entry, previous):
        return hashlib.sha256(f"{entry.sequence}|{previous}|{entry.signature}".encode()).hexdigest()

    with tamper():
        AccessLogEntry.objects.filter(pk=entries[1].pk).update(page="edited")
        _rechain_from(entries, 2, sha256)
    assert chain_verify().problem.entry_id == entries[1].pk


def test_an_edit_re_signed_and_rechained_with_the_wrong_key_is_detected(entries, tamper):
    def resigned(entry, previous):
        entry.sign()
        AccessLogEntry.objects.filter(pk=entry.pk).update(signature=entry.signature)
        return entry.link_hash(previous)

    with tamper(), override_settings(CYLCH_AUDIT_KEY="a guess at the key"):
        AccessLogEntry.objects.filter(pk=entries[1].pk).update(page="edited")
        _rechain_from(entries, 2, resigned)
        ChainHead.objects.update(signature=ChainHead.objects.get().signature_for(4, entries[-1].entry_hash))
    problem = chain_verify().problem
    assert (problem.sequence, problem.entry_id) == (2, entries[1].pk)


def test_an_entry_squeezed_into_the_chain_is_named(entries, tamper):
    with tamper():
        AccessLogEntry.objects.filter(pk=entries[-1].pk).update(sequence=5)
        forged = _insert_raw(entries, sequence=4, previous_hash=entries[2].entry_hash)
        AccessLogEntry.objects.filter(pk=forged.pk).update(entry_hash=forged.link_hash(entries[2].entry_hash))
    problem = chain_verify().problem
    assert (problem.sequence, problem.entry_id) == (4, forged.pk)


def test_a_recent_unsealed_entry_is_not_a_problem(entries):
    _record(entries)
    assert chain_verify().intact


def test_sealing_continues_the_chain_in_insertion_order(entries):
    later = _record(entries)
    assert later.sequence is None
    assert chain_seal() == 1
    later.refresh_from_db()
    assert (later.sequence, later.previous_hash) == (5, entries[-1].entry_hash)
    assert chain_verify().checked == 5


def test_the_verify_command_seals_recent_entries_first(entries):
    _record(entries)
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    assert "Sealed 1" in out.getvalue()
    assert "5 entries checked" in out.getvalue()


def test_the_verify_command_reports_the_first_broken_entry(entries, tamper):
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    assert "intact" in out.getvalue()
    with tamper():
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


def test_an_entry_sealed_by_hand_with_a_plain_sha256_link_is_named(entries):
    pending = _record(entries)
    link = hashlib.sha256(f"5|{entries[-1].entry_hash}|{pending.signature}".encode()).hexdigest()
    AccessLogEntry.objects.filter(pk=pending.pk).update(
        sequence=5, previous_hash=entries[-1].entry_hash, entry_hash=link
    )
    problem = chain_verify().problem
    assert (problem.sequence, problem.entry_id) == (5, pending.pk)
    assert "not sealed by Cylch" in problem.problem


OLD_KEY, NEW_KEY = "the audit key before rotation", "the audit key after rotation"


@pytest.fixture
def signed_under_old_key():
    with override_settings(CYLCH_AUDIT_KEY=OLD_KEY):
        practitioner, person = PractitionerFactory(), PersonFactory()
        for page in ("person", "family", "chronology"):
            access_log_record(practitioner=practitioner, person=person, page=page, outcome=AccessOutcome.DETAIL)
        chain_seal()
    return list(AccessLogEntry.objects.order_by("sequence"))


def test_after_a_key_rotation_the_chain_carries_on_and_verifies(signed_under_old_key):
    with override_settings(CYLCH_AUDIT_KEY=NEW_KEY, CYLCH_AUDIT_RETIRED_KEYS=[OLD_KEY]):
        _record(signed_under_old_key)
        assert chain_seal() == 1
        report = chain_verify()
    assert (report.intact, report.checked) == (True, 4)


def test_without_the_retired_key_the_entries_signed_before_rotation_are_named(signed_under_old_key):
    with override_settings(CYLCH_AUDIT_KEY=NEW_KEY, CYLCH_AUDIT_RETIRED_KEYS=[]):
        report = chain_verify()
    assert report.problem is not None
    assert (report.problem.sequence, report.problem.entry_id) == (1, signed_under_old_key[0].pk)


def test_after_a_key_rotation_new_entries_are_signed_with_the_new_key(signed_under_old_key):
    with override_settings(CYLCH_AUDIT_KEY=NEW_KEY, CYLCH_AUDIT_RETIRED_KEYS=[OLD_KEY]):
        later = _record(signed_under_old_key)
    with override_settings(CYLCH_AUDIT_KEY=OLD_KEY, CYLCH_AUDIT_RETIRED_KEYS=[]):
        assert not later.signature_valid()
    with override_settings(CYLCH_AUDIT_KEY=NEW_KEY, CYLCH_AUDIT_RETIRED_KEYS=[]):
        assert later.signature_valid()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="asynchronous commit is PostgreSQL's")
def test_only_a_requests_own_seal_skips_waiting_for_the_disk(entries, monkeypatch):
    from cylch.audit import chain

    seen = []
    seal = chain._entries_seal

    def watched(pending):
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            seen.append(cursor.fetchone()[0])
        seal(pending)

    monkeypatch.setattr(chain, "_entries_seal", watched)
    _record(entries)
    assert chain_seal() == 1  # the worker's seal: durable
    _record(entries)
    assert chain_seal(wait=False) == 1  # a request's own, right after its commit
    assert seen == ["on", "off"]
