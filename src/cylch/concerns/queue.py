"""The rows of the front door's queue: beside each concern, what the screener needs before opening it.

Each row says whether a child it names is on the register or looked after, the categories, who at the front
door is working on it, and how long is left. Concerns about the same child or the same household that arrived
close together are put next to each other and say so, since three agencies reporting one incident, or one
family reported twice in a week, is one piece of work and a pattern (the cumulative harm reviews keep finding).
The concerns and the children they name were read, and logged, by `cylch.concerns.selectors.concern_queue`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from cylch.accounts.models import Practitioner
from cylch.concerns.models import Concern, InformationRequest, ScreeningNote, SubjectRole
from cylch.core.working_days import working_days_between
from cylch.people.models import HouseholdMembership, StatutoryStatus

# Concerns about the same child or household within this time of each other are shown as one group.
CLOSE_TOGETHER = datetime.timedelta(days=7)


@dataclass
class QueueRow:
    concern: Concern
    children: list[str]
    statuses: list[StatutoryStatus]
    screeners: list[Practitioner]
    overdue: bool
    hours: int
    # Past a day the clock is read in working days (bank holidays excluded); 0 below a day, so hours are shown.
    working_days: int
    replies_overdue: int
    # The other concerns on the page about the same child or household, raised within CLOSE_TOGETHER.
    related: list[Concern] = field(default_factory=list)
    same_household_only: bool = False

    @property
    def grouped(self) -> bool:
        return bool(self.related)


def child_names(concern: Concern) -> list[str]:
    """The names of the children a concern is about, from its prefetched subjects (for "a, b" lists)."""
    return [s.full_name for s in concern.subjects.all() if s.role == SubjectRole.CHILD]


def _child_ids(concern: Concern) -> set[int]:
    return {s.person_id for s in concern.subjects.all() if s.role == SubjectRole.CHILD and s.person_id}


def _screeners(concerns: list[Concern]) -> dict[int, list[Practitioner]]:
    """Who at the front door has worked on each concern (notes written, information asked for), latest first."""
    acts: list[tuple[int, datetime.datetime, Practitioner]] = [
        (note.concern_id, note.created_at, note.author)
        for note in ScreeningNote.objects.filter(concern__in=concerns).select_related("author")
    ]
    acts += [
        (asked.concern_id, asked.requested_at, asked.requested_by)
        for asked in InformationRequest.objects.filter(concern__in=concerns).select_related("requested_by")
    ]
    found: dict[int, list[Practitioner]] = {}
    for concern_id, _when, who in sorted(acts, key=lambda act: act[1], reverse=True):
        people = found.setdefault(concern_id, [])
        if who not in people:
            people.append(who)
    return found


def _groups(concerns: list[Concern], households: dict[int, set[int]]) -> dict[int, tuple[list[Concern], bool]]:
    """For each concern, the others close in time that share a child or a household (and whether only the
    household is shared). Pairwise over one page of the queue (at most a hundred)."""
    found: dict[int, tuple[list[Concern], bool]] = {}
    children = {c.pk: _child_ids(c) for c in concerns}
    homes = {c.pk: {h for pk in children[c.pk] for h in households.get(pk, set())} for c in concerns}
    for concern in concerns:
        related: list[Concern] = []
        only_household = True
        for other in concerns:
            if other.pk == concern.pk or abs(other.received_at - concern.received_at) > CLOSE_TOGETHER:
                continue
            if children[concern.pk] & children[other.pk]:
                related.append(other)
                only_household = False
            elif homes[concern.pk] & homes[other.pk]:
                related.append(other)
        if related:
            found[concern.pk] = (related, only_household)
    return found


def _working_days_apart(due: datetime.datetime, now: datetime.datetime) -> int:
    """Working days between the deadline and now, either way round; 0 when they are less than a day apart."""
    if abs(due - now) < datetime.timedelta(days=1):
        return 0
    first, last = sorted((timezone.localdate(due), timezone.localdate(now)))
    return working_days_between(first, last)


def queue_rows(concerns: list[Concern], *, now: datetime.datetime | None = None) -> list[QueueRow]:
    """The queue's rows in its order (immediate risk, then oldest), except that a concern related to an earlier
    one is moved up to follow it. Four queries whatever the page's length."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    child_ids = {pk for c in concerns for pk in _child_ids(c)}
    in_force = Q(start_date__lte=today) & (Q(end_date__isnull=True) | Q(end_date__gte=today))
    statuses: dict[int, list[StatutoryStatus]] = {}
    for status in StatutoryStatus.objects.filter(in_force, person_id__in=child_ids).order_by("kind", "start_date"):
        statuses.setdefault(status.person_id, []).append(status)
    households: dict[int, set[int]] = {}
    for person_id, household_id in HouseholdMembership.objects.filter(in_force, person_id__in=child_ids).values_list(
        "person_id", "household_id"
    ):
        households.setdefault(person_id, set()).add(household_id)
    screeners = _screeners(concerns)
    groups = _groups(concerns, households)
    rows: dict[int, QueueRow] = {}
    for concern in concerns:
        remaining = concern.decision_due_at - now
        related, only_household = groups.get(concern.pk, ([], False))
        rows[concern.pk] = QueueRow(
            concern=concern,
            children=child_names(concern),
            statuses=[s for pk in sorted(_child_ids(concern)) for s in statuses.get(pk, [])],
            screeners=screeners.get(concern.pk, []),
            overdue=remaining.total_seconds() < 0,
            hours=abs(int(remaining.total_seconds() // 3600)),
            working_days=_working_days_apart(concern.decision_due_at, now),
            replies_overdue=sum(r.is_overdue(today) for r in concern.information_requests.all()),
            related=related,
            same_household_only=only_household,
        )
    ordered: list[QueueRow] = []
    placed: set[int] = set()
    for concern in concerns:
        if concern.pk in placed:
            continue
        for member in [concern, *groups.get(concern.pk, ([], False))[0]]:
            if member.pk not in placed:
                ordered.append(rows[member.pk])
                placed.add(member.pk)
    return ordered
