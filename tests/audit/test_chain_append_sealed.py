"""A bulk import's batch of entries, inserted with its place in the chain already set (`chain_append_sealed`)."""

import pytest
from django.db import connection, transaction

from cylch.audit.chain import ADVISORY_LOCK_ID, chain_append_sealed, chain_seal, chain_verify
from cylch.audit.models import AccessLogEntry, AccessOutcome, AuditAction, ChainHead
from cylch.audit.services import access_log_entry
from tests.audit.entries import access_log_record
from tests.factories import PersonFactory, PractitionerFactory

pytestmark = pytest.mark.django_db


def _batch(count=3):
    practitioner = PractitionerFactory()
    return [
        access_log_entry(
            practitioner=practitioner,
            person=PersonFactory(),
            page="chronology-event",
            outcome=AccessOutcome.CHANGED,
            action=AuditAction.CREATE,
            request=None,
            details={"n": n},
        )
        for n in range(count)
    ]


def test_a_batch_takes_the_next_places_in_the_chain_as_it_is_inserted():
    access_log_record(practitioner=PractitionerFactory(), person=PersonFactory(), page="p", outcome="detail")
    chain_seal()
    batch = chain_append_sealed(_batch())
    stored = list(AccessLogEntry.objects.filter(pk__in=[e.pk for e in batch]).order_by("pk"))
    assert [e.sequence for e in stored] == [2, 3, 4]
    assert ChainHead.objects.get().sequence == 4
    assert chain_seal() == 0
    report = chain_verify()
    assert (report.intact, report.checked) == (True, 4)


def test_entries_waiting_in_the_same_transaction_take_the_places_after_the_batch():
    waiting = access_log_record(practitioner=PractitionerFactory(), person=PersonFactory(), page="p", outcome="detail")
    batch = chain_append_sealed(_batch(2))
    assert [e.sequence for e in batch] == [1, 2]
    assert chain_seal() == 1
    waiting.refresh_from_db()
    assert waiting.sequence == 3
    assert chain_verify().intact


def test_a_rolled_back_batch_takes_its_head_with_it():
    chain_append_sealed(_batch(2))
    with transaction.atomic():
        chain_append_sealed(_batch(2))
        transaction.set_rollback(True)
    assert ChainHead.objects.get().sequence == 2
    access_log_record(practitioner=PractitionerFactory(), person=PersonFactory(), page="p", outcome="detail")
    assert chain_seal() == 1
    report = chain_verify()
    assert (report.intact, report.checked) == (True, 3)


def test_with_the_head_altered_the_batch_waits_unsealed(tamper):
    chain_append_sealed(_batch(1))
    with tamper():
        ChainHead.objects.update(sequence=7)
    batch = chain_append_sealed(_batch(2))
    assert [e.sequence for e in batch] == [None, None]
    assert ChainHead.objects.get().sequence == 7


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the seal lock is PostgreSQL's advisory lock")
def test_while_another_seal_holds_the_lock_the_batch_waits_unsealed_and_the_commit_stays_durable():
    import psycopg

    db = connection.settings_dict
    other = psycopg.connect(
        host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], password=db["PASSWORD"], dbname=db["NAME"]
    )
    try:
        other.execute("SELECT pg_advisory_lock(%s)", [ADVISORY_LOCK_ID])
        batch = chain_append_sealed(_batch(2))
    finally:
        other.close()
    assert [e.sequence for e in batch] == [None, None]
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "on"
    assert chain_seal() == 2
