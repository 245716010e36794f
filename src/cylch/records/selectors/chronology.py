"""Filtering a chronology, and the agencies and kinds it can be filtered by (the person and family views)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, QuerySet

from cylch.accounts.models import Agency
from cylch.chronology.models import ChronologyEvent


@dataclass(frozen=True)
class ChronologyFilter:
    agency_id: int | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    kind: str = ""

    def as_details(self) -> dict[str, object]:
        """The filter as the audit row records it (what was exported)."""
        return {
            "agency": self.agency_id,
            "kind": self.kind or None,
            "from": self.date_from.isoformat() if self.date_from else None,
            "to": self.date_to.isoformat() if self.date_to else None,
        }


def chronology_filtered(
    events: QuerySet[ChronologyEvent], chronology_filter: ChronologyFilter
) -> QuerySet[ChronologyEvent]:
    events = events.select_related("agency")
    if chronology_filter.kind:
        events = events.filter(kind=chronology_filter.kind)
    if chronology_filter.agency_id:
        events = events.filter(agency_id=chronology_filter.agency_id)
    if chronology_filter.date_from:
        events = events.filter(occurred_at__date__gte=chronology_filter.date_from)
    if chronology_filter.date_to:
        events = events.filter(occurred_at__date__lte=chronology_filter.date_to)
    return events


@dataclass(frozen=True)
class ChronologyFacets:
    """The agencies and kinds to filter by and, when the facets tell it without a COUNT, how many events match."""

    agencies: list[Agency]
    kinds: list[str]
    count: int | None


def chronology_facets(events: QuerySet[ChronologyEvent], chronology_filter: ChronologyFilter) -> ChronologyFacets:
    """The facets of `events`, and how many the filter matches unless dates narrow it.

    One GROUP BY over the unfiltered events instead of two DISTINCTs and a COUNT. `order_by()` drops the
    model's ordering, which would otherwise add `occurred_at` to the grouping (a row per event).
    """
    facets = list(events.order_by().values_list("agency_id", "kind").annotate(events=Count("pk")))
    count = None
    if not (chronology_filter.date_from or chronology_filter.date_to):
        count = sum(
            n
            for agency_id, kind, n in facets
            if chronology_filter.agency_id in (None, agency_id) and chronology_filter.kind in ("", kind)
        )
    return ChronologyFacets(
        agencies=list(Agency.objects.filter(pk__in={a for a, _k, _n in facets}).order_by("name")),
        kinds=sorted({k for _a, k, _n in facets}),
        count=count,
    )
