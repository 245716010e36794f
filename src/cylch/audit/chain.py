"""Appending to, sealing and verifying the hash chain of the audit log.

Entries are inserted inside the transaction whose read or write they record, without any lock,
so recording never serialises the service. Sealing gives committed entries their place in the
chain (sequence, predecessor's hash, own hash) in a short transaction of its own, serialised by
a PostgreSQL advisory lock (SQLite's write lock does the same). A seal is attempted right after
each recording transaction commits, and the worker seals whatever is left every minute. An entry
that stays unsealed longer than SEAL_GRACE was not written through the application and is
reported by `chain_verify`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from cylch.audit.models import GENESIS_HASH, AccessLogEntry

ADVISORY_LOCK_ID = 0x43594C4348  # "CYLCH"
SEAL_BATCH = 5000
SEAL_GRACE = datetime.timedelta(minutes=10)


def chain_append(entries: list[AccessLogEntry]) -> list[AccessLogEntry]:
    """Insert `entries` unsealed, and seal them as soon as their transaction commits."""
    if not entries:
        return entries
    now = timezone.now()
    for entry in entries:
        if entry.at is None:
            entry.at = now
    if len(entries) == 1:
        entries[0].save_unsealed()
    else:
        AccessLogEntry.objects.bulk_create(entries)
    _seal_after_commit()
    return entries


def _seal_now_if_free() -> None:
    chain_seal(wait=False)


def _seal_after_commit() -> None:
    """One seal attempt per committed transaction, however many entries it recorded."""
    if any(pending[1] is _seal_now_if_free for pending in connection.run_on_commit):
        return
    transaction.on_commit(_seal_now_if_free)


def _take_lock(*, wait: bool) -> bool:
    if connection.vendor != "postgresql":
        return True  # SQLite: the IMMEDIATE transaction already holds the database write lock
    with connection.cursor() as cursor:
        if wait:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_ID])
            return True
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [ADVISORY_LOCK_ID])
        row = cursor.fetchone()
        return bool(row and row[0])


def chain_seal(*, wait: bool = True, batch: int = SEAL_BATCH) -> int:
    """Seal committed, unsealed entries in the order they were inserted; returns how many were sealed.

    With `wait=False` a seal already under way elsewhere is left to finish the job (it, or the
    worker's next seal, picks up these entries), so a request never queues behind another.
    """
    sealed = 0
    while True:
        with transaction.atomic():
            if not _take_lock(wait=wait):
                return sealed
            pending = list(AccessLogEntry.objects.filter(sequence__isnull=True).order_by("pk")[:batch])
            if not pending:
                return sealed
            head = (
                AccessLogEntry.objects.filter(sequence__isnull=False)
                .order_by("-sequence")
                .values_list("sequence", "entry_hash")
                .first()
            )
            sequence, previous = (head[0] or 0, head[1]) if head is not None else (0, GENESIS_HASH)
            for entry in pending:
                sequence += 1
                entry.sequence = sequence
                entry.previous_hash = previous
                entry.entry_hash = entry.compute_hash(previous)
                previous = entry.entry_hash
            AccessLogEntry.objects.bulk_update(pending, ["sequence", "previous_hash", "entry_hash"])
            sealed += len(pending)


@dataclass(frozen=True)
class ChainProblem:
    sequence: int | None
    entry_id: int
    problem: str


@dataclass(frozen=True)
class ChainReport:
    checked: int
    problem: ChainProblem | None

    @property
    def intact(self) -> bool:
        return self.problem is None


def _entries() -> Iterable[AccessLogEntry]:
    return AccessLogEntry.objects.filter(sequence__isnull=False).order_by("sequence").iterator(chunk_size=5000)


def chain_verify() -> ChainReport:
    """Walk the chain from the start and name the first entry that was edited, inserted or follows a deletion."""
    stale = timezone.now() - SEAL_GRACE
    unchained = AccessLogEntry.objects.filter(sequence__isnull=True, at__lt=stale).order_by("pk").first()
    if unchained is not None:
        return ChainReport(
            0, ChainProblem(None, unchained.pk, "entry was never sealed into the chain (inserted outside Cylch)")
        )
    expected_sequence, previous, checked = 1, GENESIS_HASH, 0
    for entry in _entries():
        assert entry.sequence is not None  # noqa: S101 - only sealed entries are walked
        if entry.sequence > expected_sequence:
            problem = f"entries {expected_sequence}–{entry.sequence - 1} are missing (deleted)"
            return ChainReport(checked, ChainProblem(entry.sequence, entry.pk, problem))
        if entry.previous_hash != previous:
            problem = "does not follow its predecessor (an entry before it was inserted, deleted or edited)"
            return ChainReport(checked, ChainProblem(entry.sequence, entry.pk, problem))
        if entry.compute_hash(previous) != entry.entry_hash:
            return ChainReport(
                checked, ChainProblem(entry.sequence, entry.pk, "contents do not match its hash (edited)")
            )
        previous = entry.entry_hash
        expected_sequence += 1
        checked += 1
    return ChainReport(checked, None)
