"""Appending to, sealing, anchoring and verifying the audit log's chain.

Entries are signed and inserted inside the transaction whose read or write they record, without
any lock, so recording never serialises the service. Sealing gives committed entries their place
in the chain (sequence, predecessor's hash, own hash) and moves the signed `ChainHead`, in a short
transaction of its own serialised by a PostgreSQL advisory lock (SQLite's write lock does the
same). A seal is attempted right after each recording transaction commits, and the worker seals
whatever is left every minute.

What each safeguard is for, against someone who can write to the database but has no audit key:
- the entry's signature: a row inserted with SQL (or a copy of a genuine one: the nonce is unique)
  is never sealed, and `chain_verify` names it;
- the keyed chain hash: an edited, inserted or deleted entry breaks the chain at that point, and
  the chain cannot be recomputed to hide it;
- the signed head: deleting the newest entries leaves a chain shorter than the head says, and
  sealing carries on from the head, so the gap stays visible;
- the anchors (`chain_anchor`, appended by the worker to a file outside the database and optionally
  sent to syslog, see `cylch.audit.anchors`): restoring an older copy of the head together with a
  shortened chain (a rollback), or re-signing the chain under another key, contradicts the anchors
  written before it;
- the database triggers (migration 0005): DELETE, and UPDATE of anything but an unsealed row's
  seal columns, are refused outright, so tampering needs a deliberate DDL step first.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from cylch.audit.anchors import (
    anchor_file,
    anchor_file_append,
    anchor_line,
    anchor_syslog_send,
    anchors_read,
    last_anchor_line,
)
from cylch.audit.models import GENESIS_HASH, SEAL_FIELDS, AccessLogEntry, ChainHead
from cylch.core.bulk import rows_insert

logger = logging.getLogger(__name__)

ADVISORY_LOCK_ID = 0x43594C4348  # "CYLCH"
SEAL_BATCH = 5000
UNSIGNED_REPORTED = 20


def chain_append(entries: list[AccessLogEntry]) -> list[AccessLogEntry]:
    """Sign and insert `entries` unsealed, and seal them as soon as their transaction commits."""
    if not entries:
        return entries
    now = timezone.now()
    for entry in entries:
        if entry.at is None:
            entry.at = now
        entry.sign()
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


def _take_lock(*, wait: bool, durable: bool = False) -> bool:
    """Take the seal lock for this transaction; with `wait=False` (a request's own seal) only if it is free.

    A request's own seal also does not wait for its commit to reach the disk (PostgreSQL's asynchronous commit),
    set in the same round trip. The entries themselves were committed durably with the read they record; if a
    crash loses this seal, they are simply unsealed again and the worker's seal, which is durable, redoes it.
    Halves the fsyncs a page view waits for. `durable=True` keeps the commit synchronous: the transaction
    holding the lock also holds the writes it records (`chain_append_sealed`)."""
    if connection.vendor != "postgresql":
        return True  # SQLite: the IMMEDIATE transaction already holds the database write lock
    with connection.cursor() as cursor:
        if wait:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_ID])
            return True
        if durable:
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [ADVISORY_LOCK_ID])
        else:
            cursor.execute(
                "SELECT pg_try_advisory_xact_lock(%s), set_config('synchronous_commit', 'off', true)",
                [ADVISORY_LOCK_ID],
            )
        row = cursor.fetchone()
        return bool(row and row[0])


def _flush_earlier_commits() -> None:
    """Make every earlier asynchronous seal durable: a synchronous commit that writes WAL flushes all before it."""
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT txid_current()")


def _table(model: type[AccessLogEntry] | type[ChainHead]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _trusted_head() -> tuple[int, str] | None:
    """Where sealing carries on: the signed head, genesis for an empty log, None if the head was tampered with."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT sequence, entry_hash, signature FROM {_table(ChainHead)} WHERE id = 1")  # noqa: S608
        row = cursor.fetchone()
    if row is None:
        if AccessLogEntry.objects.filter(sequence__isnull=False).exists():
            return None
        return 0, GENESIS_HASH
    sequence, entry_hash, signature = row
    if not ChainHead(sequence=sequence, entry_hash=entry_hash, signature=signature).signature_valid():
        return None
    return sequence, entry_hash


def _pending(after: int, batch: int) -> list[AccessLogEntry]:
    """Unsealed entries in insertion order (read through the partial index over unsealed rows)."""
    sql = f"SELECT * FROM {_table(AccessLogEntry)} WHERE sequence IS NULL AND id > %s ORDER BY id LIMIT %s"  # noqa: S608
    return list(AccessLogEntry.objects.raw(sql, [after, batch]))


def _entries_seal(entries: list[AccessLogEntry]) -> None:
    """Set the seal columns (the only update the triggers allow): one prepared statement, many rows."""
    columns = ", ".join(f"{connection.ops.quote_name(name)} = %s" for name in SEAL_FIELDS)
    sql = f"UPDATE {_table(AccessLogEntry)} SET {columns} WHERE id = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(*(getattr(e, name) for name in SEAL_FIELDS), e.pk) for e in entries])


def _head_move(sequence: int, entry_hash: str) -> None:
    """Point the signed head at the newest sealed entry. The seal lock is held, so a plain UPDATE will do."""
    signature, sealed_at = ChainHead.signature_for(sequence, entry_hash), timezone.now()
    stored_at = connection.ops.adapt_datetimefield_value(sealed_at)
    sql = f"UPDATE {_table(ChainHead)} SET sequence = %s, entry_hash = %s, signature = %s, sealed_at = %s WHERE id = 1"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [sequence, entry_hash, signature, stored_at])
        moved = cursor.rowcount
    if not moved:
        ChainHead.objects.create(
            pk=1, sequence=sequence, entry_hash=entry_hash, signature=signature, sealed_at=sealed_at
        )


def chain_seal(*, wait: bool = True, batch: int = SEAL_BATCH) -> int:
    """Seal committed, unsealed, validly signed entries in the order they were inserted; returns how many.

    With `wait=False` a seal already under way elsewhere is left to finish the job (it, or the
    worker's next seal, picks up these entries), so a request never queues behind another.
    Entries whose signature is wrong are passed over for good. If the head is missing or altered
    nothing is sealed until someone has looked (`cylch audit verify` says why).
    """
    sealed, after = 0, 0
    while True:
        with transaction.atomic():
            if not _take_lock(wait=wait):
                return sealed
            head = _trusted_head()
            if head is None:
                logger.error("The audit chain's head is missing or altered; not sealing. Run `cylch audit verify`.")
                return sealed
            pending = _pending(after, batch)
            if not pending:
                return sealed
            after = pending[-1].pk
            sequence, previous = head
            signed = [entry for entry in pending if entry.signature_valid()]
            for entry in signed:
                sequence += 1
                entry.sequence = sequence
                entry.previous_hash = previous
                entry.entry_hash = entry.link_hash(previous)
                previous = entry.entry_hash
            if signed:
                _entries_seal(signed)
                _head_move(sequence, previous)
                sealed += len(signed)
            if len(pending) < batch:
                return sealed  # nothing more was waiting when this batch was read


def chain_append_sealed(entries: list[AccessLogEntry]) -> list[AccessLogEntry]:
    """Sign and insert a large batch (a bulk import's chunk) with its place in the chain already set.

    `chain_append` costs each entry an INSERT now and an UPDATE of the row (and of its nine index entries) at the
    seal; here each costs one INSERT. When the seal lock is free this takes it, gives the batch the next positions
    and moves the head, all in the caller's transaction: a rollback takes back the entries and the head together.
    Entries waiting to be sealed (this transaction's own single entries among them) are not read here: that read
    crosses every dead row of the unsealed index, and the next seal (after this commit, or the worker's) gives
    them the positions after the batch. The lock is then held until that transaction ends, so call this as one
    of its last writes; meanwhile a request's seal passes (its entries wait for the next seal) and the worker's
    waits. When the lock is taken, outside a transaction, or with the head missing or altered, the batch goes in
    unsealed as `chain_append` does, for the next seal."""
    if not entries:
        return entries
    if not connection.in_atomic_block or not _take_lock(wait=False, durable=True):
        return chain_append(entries)
    head = _trusted_head()
    if head is None:
        return chain_append(entries)
    sequence, previous = head
    now = timezone.now()
    for entry in entries:
        if entry.at is None:
            entry.at = now
        entry.sign()
        sequence += 1
        entry.sequence = sequence
        entry.previous_hash = previous
        entry.entry_hash = entry.link_hash(previous)
        previous = entry.entry_hash
    columns = [f.attname for f in AccessLogEntry._meta.concrete_fields if not f.primary_key]
    ids = rows_insert(AccessLogEntry, columns, [[getattr(entry, name) for name in columns] for entry in entries])
    for entry, pk in zip(entries, ids, strict=True):  # by COPY on PostgreSQL: bulk_create's preparing cost more
        entry.pk, entry._state.adding = pk, False
    _head_move(sequence, previous)
    return entries


# --- anchoring ---


def chain_anchor() -> bool:
    """Append the signed head to the anchor file (and syslog) if it moved since the last anchor; True if it did.

    The worker does this after each periodic seal, not each request, so recording stays off the
    file system; what was sealed since the last anchor is covered by the head alone.
    """
    _flush_earlier_commits()  # never anchor a head that a crash could still take back
    head = ChainHead.objects.filter(pk=1).first()
    if head is None or not head.signature_valid():
        return False
    path = anchor_file()
    line = anchor_line(head.sequence, head.entry_hash)
    if last_anchor_line(path) == line:
        return False
    anchor_file_append(path, line)
    anchor_syslog_send(line)
    return True


# --- verifying ---


@dataclass(frozen=True)
class ChainProblem:
    sequence: int | None
    entry_id: int | None
    problem: str


@dataclass(frozen=True)
class ChainReport:
    checked: int
    problems: tuple[ChainProblem, ...] = field(default_factory=tuple)

    @property
    def problem(self) -> ChainProblem | None:
        """The first thing wrong: the earliest break in the chain, then the end, then unsigned rows."""
        return self.problems[0] if self.problems else None

    @property
    def intact(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class _Checkpoint:
    """A (position, hash) the chain must pass through: the head, or a line of the anchor file."""

    sequence: int
    entry_hash: str
    source: str


def _entries() -> Iterable[AccessLogEntry]:
    return AccessLogEntry.objects.filter(sequence__isnull=False).order_by("sequence").iterator(chunk_size=5000)


def _checkpoints(anchors: Path) -> tuple[list[_Checkpoint], list[ChainProblem]]:
    """Read before the chain is walked, so entries sealed meanwhile only lengthen the chain."""
    checkpoints, problems = [], []
    head = ChainHead.objects.filter(pk=1).first()
    if head is None:
        if AccessLogEntry.objects.filter(sequence__isnull=False).exists():
            problems.append(ChainProblem(None, None, "the record of where the chain ends is missing (deleted)"))
    elif not head.signature_valid():
        problems.append(ChainProblem(None, None, "the record of where the chain ends has been altered"))
    else:
        checkpoints.append(_Checkpoint(head.sequence, head.entry_hash, "the recorded end of the chain"))
    for anchor in anchors_read(anchors):
        source = f"line {anchor.line} of {anchors}"
        if anchor.signed:
            checkpoints.append(_Checkpoint(anchor.sequence, anchor.entry_hash, source))
        else:
            problems.append(ChainProblem(None, None, f"{source} is not an anchor Cylch wrote (altered)"))
    return checkpoints, problems


def _walk(checkpoints: list[_Checkpoint]) -> tuple[int, int, ChainProblem | None]:
    """Walk the chain from the start; the number checked, the last position, and the first break."""
    at_position: dict[int, list[_Checkpoint]] = {}
    for checkpoint in checkpoints:
        at_position.setdefault(checkpoint.sequence, []).append(checkpoint)
    expected_sequence, previous, checked = 1, GENESIS_HASH, 0
    for entry in _entries():
        assert entry.sequence is not None  # noqa: S101 - only sealed entries are walked
        if entry.sequence > expected_sequence:
            problem = f"entries {expected_sequence}–{entry.sequence - 1} are missing (deleted)"
            return checked, expected_sequence - 1, ChainProblem(entry.sequence, entry.pk, problem)
        if entry.previous_hash != previous:
            problem = "does not follow its predecessor (an entry before it was inserted, deleted or edited)"
            return checked, expected_sequence - 1, ChainProblem(entry.sequence, entry.pk, problem)
        if not entry.signature_valid():
            problem = "contents do not match its signature (edited, or inserted outside Cylch)"
            return checked, expected_sequence - 1, ChainProblem(entry.sequence, entry.pk, problem)
        if not entry.link_valid(previous):
            problem = "its place in the chain was not sealed by Cylch (forged or edited)"
            return checked, expected_sequence - 1, ChainProblem(entry.sequence, entry.pk, problem)
        for checkpoint in at_position.get(entry.sequence, []):
            if checkpoint.entry_hash != entry.entry_hash:
                problem = f"differs from {checkpoint.source} (the log was replaced or rolled back)"
                return checked, expected_sequence - 1, ChainProblem(entry.sequence, entry.pk, problem)
        previous = entry.entry_hash
        expected_sequence += 1
        checked += 1
    return checked, expected_sequence - 1, None


def chain_verify(*, anchors: Path | None = None) -> ChainReport:
    """Name the first entry that was edited, inserted or follows a deletion, a deleted end, and unsigned rows.

    `anchors` is the anchor file to check against (by default the worker's, if it exists).
    """
    checkpoints, end_problems = _checkpoints(anchors or anchor_file())
    checked, last, chain_problem = _walk(checkpoints)
    problems = [chain_problem] if chain_problem is not None else []
    beyond = [checkpoint for checkpoint in checkpoints if checkpoint.sequence > last]
    if chain_problem is None and beyond:
        furthest = max(beyond, key=lambda checkpoint: checkpoint.sequence)
        problem = f"entries {last + 1}–{furthest.sequence} are missing from the end (deleted; see {furthest.source})"
        end_problems.insert(0, ChainProblem(last + 1, None, problem))
    problems.extend(end_problems)
    unsigned = 0
    for entry in AccessLogEntry.objects.filter(sequence__isnull=True).order_by("pk").iterator():
        if not entry.signature_valid() and unsigned < UNSIGNED_REPORTED:
            problems.append(ChainProblem(None, entry.pk, "was not written by Cylch (no valid signature); never sealed"))
            unsigned += 1
    return ChainReport(checked, tuple(problems))
