"""The database itself refuses to delete or rewrite audit entries, below the application (both vendors)."""

import datetime

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from cylch.audit.chain import chain_seal
from cylch.audit.models import SEAL_FIELDS, AccessLogEntry, ChainHead
from tests.audit.entries import access_log_record
from tests.factories import AgencyFactory, PersonFactory, PractitionerFactory

pytestmark = pytest.mark.django_db

REFUSED = pytest.raises(DatabaseError, match="append-only")


@pytest.fixture
def sealed():
    entry = access_log_record(practitioner=PractitionerFactory(), person=PersonFactory(), page="p", outcome="detail")
    chain_seal()
    entry.refresh_from_db()
    return entry


@pytest.fixture
def unsealed(sealed):
    return access_log_record(practitioner=sealed.practitioner, person=sealed.person, page="q", outcome="detail")


@pytest.fixture
def other_values(sealed):
    """A different value for every column an entry's contents are made of."""
    return {
        "id": sealed.pk + 1000,
        "practitioner_id": PractitionerFactory().pk,
        "roles": "administrator",
        "agency_id": AgencyFactory().pk,
        "person_id": PersonFactory().pk,
        "action": "update",
        "page": "edited",
        "outcome": "refused",
        "reason": "edited",
        "path": "/edited/",
        "ip_address": "10.9.9.9",
        "details": {"edited": True},
        "at": timezone.now() - datetime.timedelta(days=1),
        "nonce": "e" * 32,
        "signature": "e" * 64,
    }


CONTENT_FIELDS = sorted(f.attname for f in AccessLogEntry._meta.concrete_fields if f.attname not in SEAL_FIELDS)


def test_every_content_column_is_covered_here(other_values):
    assert sorted(other_values) == CONTENT_FIELDS


def test_deleting_an_entry_is_refused(sealed):
    with REFUSED, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_accesslogentry WHERE id = %s", [sealed.pk])
    assert AccessLogEntry.objects.filter(pk=sealed.pk).exists()


@pytest.mark.parametrize("column", CONTENT_FIELDS)
def test_changing_a_sealed_entry_is_refused(sealed, other_values, column):
    with REFUSED, transaction.atomic():
        AccessLogEntry.objects.filter(pk=sealed.pk).update(**{column: other_values[column]})


@pytest.mark.parametrize("column", CONTENT_FIELDS)
def test_changing_an_entry_while_sealing_it_is_refused(unsealed, other_values, column):
    with REFUSED, transaction.atomic():
        AccessLogEntry.objects.filter(pk=unsealed.pk).update(
            sequence=99, previous_hash="0" * 64, entry_hash="0" * 64, **{column: other_values[column]}
        )


def test_resealing_a_sealed_entry_is_refused(sealed):
    with REFUSED, transaction.atomic():
        AccessLogEntry.objects.filter(pk=sealed.pk).update(sequence=99, entry_hash="0" * 64)


def test_unsealing_an_entry_is_refused(sealed):
    with REFUSED, transaction.atomic():
        AccessLogEntry.objects.filter(pk=sealed.pk).update(sequence=None)


def test_sealing_an_unsealed_entry_is_allowed(unsealed):
    AccessLogEntry.objects.filter(pk=unsealed.pk).update(sequence=99, previous_hash="0" * 64, entry_hash="1" * 64)
    unsealed.refresh_from_db()
    assert unsealed.sequence == 99


def test_deleting_the_head_is_refused(sealed):
    with REFUSED, transaction.atomic():
        ChainHead.objects.all().delete()


def test_moving_the_head_back_is_refused(sealed):
    with REFUSED, transaction.atomic():
        ChainHead.objects.update(sequence=0)


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite has no TRUNCATE (its DELETE FROM fires the DELETE trigger)"
)


@postgresql_only
@pytest.mark.parametrize("table", ["audit_accesslogentry", "audit_chainhead"])
def test_truncating_an_audit_table_is_refused(sealed, table):
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the test's own inserts leave no deferred checks pending
    with REFUSED, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {table}")
    assert AccessLogEntry.objects.filter(pk=sealed.pk).exists()
    assert ChainHead.objects.exists()


@postgresql_only
def test_truncating_an_empty_audit_table_destroys_nothing_and_is_allowed():
    """Django's test flush truncates every table once the tests have emptied a committed log."""
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE audit_accesslogentry, audit_chainhead")
