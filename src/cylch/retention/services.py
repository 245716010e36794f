"""Destroying records whose retention period has ended, and recording that it was done.

What goes, for each person due (see `cylch.retention.selectors`) and anyone merged into them: their
chronology events, agencies' source records, names, identifiers, household memberships (and a household
nobody is left in), relationships, involvements, statuses, match reviews, linkage keys and access grants,
and every concern none of whose subjects is still kept (with its notes, requests, decisions and challenges).

The person row itself stays as a tombstone: every personal field blanked, `destroyed_at` set. The audit log
is append-only (its triggers refuse DELETE and UPDATE) and each entry's signature covers the person's id, so
the rows naming a person can be neither deleted nor re-pointed, and the foreign key keeps the person row in
place. What remains is an id and a Cylch ID with no name, date or content attached: the log still shows
that someone's record was read, by whom and when, and still verifies, while nothing about the person does.

Each run writes one audit entry per rule and record type with the count destroyed, never who or what.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from cylch.access.models import AccessGrant
from cylch.audit.models import AuditAction
from cylch.audit.services import audit_write_record
from cylch.chronology.models import ChronologyEvent
from cylch.concerns.models import Concern, ConcernSubject
from cylch.linkage.models import BlockingKey, MatchReview
from cylch.people.models import (
    Ethnicity,
    Household,
    HouseholdMembership,
    Involvement,
    Language,
    Person,
    PersonIdentifier,
    PersonName,
    Relationship,
    Sex,
    SourceRecord,
    StatutoryStatus,
)
from cylch.retention.selectors import retention_due, retention_years

PAGE = "retention"
# Everything personal on a person row, and what it becomes on the tombstone.
TOMBSTONE = {
    "given_name": "",
    "middle_names": "",
    "family_name": "",
    "given_name_key": "",
    "family_name_key": "",
    "is_unborn": False,
    "expected_delivery_date": None,
    "date_of_birth": None,
    "date_of_death": None,
    "sex": Sex.NOT_KNOWN,
    "gender": "",
    "ethnicity": Ethnicity.NOBT,
    "first_language": Language.ENGLISH,
    "interpreter_needed": False,
    "nhs_number": "",
}


@dataclass(frozen=True)
class Destruction:
    rule: str
    record_type: str
    count: int


@dataclass(frozen=True)
class RetentionReport:
    dry_run: bool
    destroyed: tuple[Destruction, ...]


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


def _with_merged(ids: set[int]) -> set[int]:
    """Records merged into a destroyed person hold the same person's details: they go too."""
    found = set(ids)
    while True:
        more = set(Person.objects.filter(merged_into_id__in=found).exclude(pk__in=found).values_list("pk", flat=True))
        if not more:
            return found
        found |= more


def _count(queryset: QuerySet[Any]) -> int:
    return queryset.delete()[1].get(queryset.model._meta.label, 0)


def _destroy(ids: set[int], now: datetime.datetime) -> dict[str, int]:
    """Destroy everything held about the people `ids`; returns how many of each record type went."""
    about = Q(person_id__in=ids)
    counts = {"chronology event": _count(ChronologyEvent.objects.filter(about))}
    concerns = set(ConcernSubject.objects.filter(about).values_list("concern_id", flat=True))
    counts["concern subject"] = _count(ConcernSubject.objects.filter(about))
    # A concern goes once no one it names is kept: none of its remaining subjects is linked to a person.
    kept_subject = ConcernSubject.objects.filter(concern=OuterRef("pk"), person__isnull=False)
    counts["concern"] = _count(Concern.objects.filter(pk__in=concerns).exclude(Exists(kept_subject)))
    counts["source record"] = _count(SourceRecord.objects.filter(about))
    households = set(HouseholdMembership.objects.filter(about).values_list("household_id", flat=True))
    counts["household membership"] = _count(HouseholdMembership.objects.filter(about))
    counts["household"] = _count(Household.objects.filter(pk__in=households, memberships__isnull=True))
    counts["relationship"] = _count(Relationship.objects.filter(about | Q(relative_id__in=ids)))
    counts["involvement"] = _count(Involvement.objects.filter(about))
    counts["status"] = _count(StatutoryStatus.objects.filter(about))
    counts["other name"] = _count(PersonName.objects.filter(about))
    counts["identifier"] = _count(PersonIdentifier.objects.filter(about))
    counts["match review"] = _count(MatchReview.objects.filter(about | Q(candidate_id__in=ids)))
    BlockingKey.objects.filter(about).delete()  # derived from the names and dates above, not a record of its own
    counts["access grant"] = _count(AccessGrant.objects.filter(about))
    counts["person"] = Person.objects.filter(pk__in=ids).update(**TOMBSTONE, destroyed_at=now, updated_at=now)
    return counts


@transaction.atomic
def _run(*, today: datetime.date, dry_run: bool) -> RetentionReport:
    now, years, destroyed = timezone.now(), retention_years(), []
    for rule, ids in sorted(retention_due(today=today).items()):
        if not ids:
            continue
        for record_type, count in _destroy(_with_merged(ids), now).items():
            if not count:
                continue
            destroyed.append(Destruction(rule, record_type, count))
            audit_write_record(
                practitioner=None,
                person=None,
                action=AuditAction.DELETE,
                page=PAGE,
                reason=f"retention period ended: {rule} ({years[rule]} years from birth)",
                details={"record_type": record_type, "count": count, "rule": rule, "years": years[rule]},
            )
    report = RetentionReport(dry_run, tuple(destroyed))
    if dry_run:
        raise _DryRun(report)
    return report


def retention_run(*, dry_run: bool, today: datetime.date | None = None) -> RetentionReport:
    """Destroy what is due, in one transaction, and record it on the audit chain.

    A dry run does exactly the same work and rolls it all back, so its counts are what a real run would
    destroy, computed by the same code rather than a second copy of the rules.
    """
    try:
        return _run(today=today or timezone.localdate(), dry_run=dry_run)
    except _DryRun as rolled_back:
        report: RetentionReport = rolled_back.args[0]
        return report
