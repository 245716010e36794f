"""Which agencies have ever worked with a person, or recorded something about them, and over which years.

What any reader may learn of a record however restricted, as NHS England's CP-IS shows a flag and whom to call:
"Police held information about adults in this household, 2022–2023". It names agencies and years, never what
they held. It sits here, below the single view in `cylch.records`, because the front door's concern context
shows it too. The caller has already logged the people it asks about through `cylch.access.reads`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cylch.accounts.models import Agency
from cylch.chronology.models import ChronologyEvent
from cylch.people.models import Involvement


@dataclass(frozen=True)
class AgencyPeriod:
    """One agency's time with a person (or a household's adults): from the first involvement or event to the
    last, or to now while an involvement is open."""

    agency: Agency
    first: datetime.date
    last: datetime.date | None

    @property
    def current(self) -> bool:
        return self.last is None

    @property
    def period(self) -> str:
        """'2022–2023', '2023', or 'since 2022' while the agency is still involved."""
        if self.last is None:
            return _("since %(year)s") % {"year": self.first.year}
        if self.last.year == self.first.year:
            return str(self.first.year)
        return f"{self.first.year}–{self.last.year}"


Spans = dict[tuple[int, int], tuple[datetime.date, datetime.date | None]]


def _merge(found: Spans, key: tuple[int, int], first: datetime.date, last: datetime.date | None) -> None:
    """Widen the span kept for `key` (an open end stays open)."""
    if key not in found:
        found[key] = (first, last)
        return
    was_first, was_last = found[key]
    if was_last is None or last is None:
        found[key] = (min(was_first, first), None)
    else:
        found[key] = (min(was_first, first), max(was_last, last))


# What a page shows of an agency here (its name in either language, and how to reach it), read with the spans.
AGENCY_FIELDS = ("agency__name", "agency__name_cy", "agency__kind", "agency__phone", "agency__email")


def _agency(row: dict[str, Any]) -> Agency:
    return Agency(
        pk=row["agency_id"],
        name=row["agency__name"],
        name_cy=row["agency__name_cy"],
        kind=row["agency__kind"],
        phone=row["agency__phone"],
        email=row["agency__email"],
    )


def agency_history(*, person_ids: Iterable[int]) -> dict[int, list[AgencyPeriod]]:
    """Each person's agencies, ever: involvements (open ones make the period run to now) and the agencies of
    their chronology events; current ones first, then the most recent. Two grouped queries, each with the
    agency's name and contact details."""
    ids = list(set(person_ids))
    if not ids:
        return {}
    today = timezone.localdate()
    found: Spans = {}
    involvements = (
        Involvement.objects.filter(person_id__in=ids, start_date__lte=today)
        .values("person_id", "agency_id", *AGENCY_FIELDS)
        .annotate(first=Min("start_date"), last=Max("end_date"), open=Count("pk", filter=Q(end_date__isnull=True)))
        .order_by()
    )
    agencies: dict[int, Agency] = {}
    for row in involvements:
        last = None if row["open"] or row["last"] is None or row["last"] >= today else row["last"]
        _merge(found, (row["person_id"], row["agency_id"]), row["first"], last)
        agencies.setdefault(row["agency_id"], _agency(row))
    events = (
        ChronologyEvent.objects.filter(person_id__in=ids)
        .values("person_id", "agency_id", *AGENCY_FIELDS)
        .annotate(first=Min("occurred_at"), last=Max("occurred_at"))
        .order_by()
    )
    for row in events:
        first, last = (timezone.localdate(row[end]) for end in ("first", "last"))
        _merge(found, (row["person_id"], row["agency_id"]), first, last)
        agencies.setdefault(row["agency_id"], _agency(row))
    history: dict[int, list[AgencyPeriod]] = {}
    for (person_id, agency_id), (first, last) in found.items():
        history.setdefault(person_id, []).append(AgencyPeriod(agency=agencies[agency_id], first=first, last=last))
    for periods in history.values():
        periods.sort(key=_recent_first)
    return history


def _recent_first(period: AgencyPeriod) -> tuple[bool, int, str]:
    return (not period.current, -(period.last or period.first).toordinal(), period.agency.name)


def combined(periods: Iterable[AgencyPeriod]) -> list[AgencyPeriod]:
    """Several people's periods as one per agency (for "adults in this household", who are not named)."""
    found: Spans = {}
    agencies: dict[int, Agency] = {}
    for period in periods:
        agencies[period.agency.pk] = period.agency
        _merge(found, (0, period.agency.pk), period.first, period.last)
    merged = [AgencyPeriod(agency=agencies[pk], first=first, last=last) for (_none, pk), (first, last) in found.items()]
    return sorted(merged, key=_recent_first)
