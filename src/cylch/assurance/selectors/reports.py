"""What the board's 12Cs charts and exports read: a cycle's scores, the partnership's cycles over time, the region's
partnerships side by side, overdue actions per C and the agencies' contributions per C.

For the region's board only (`permissions.runs_cycle` / `can_run_cycles`, checked here, so a view cannot forget):
the heat map and the comparison name agencies and authorities, which a partner agency may not see of others.
Aggregates about agencies and services, naming no child: nothing here is an audited person read.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cylch.accounts.models import Agency, LocalAuthority, Practitioner
from cylch.assurance.charts import HeatCell, ScorePoint, TrendSeries
from cylch.assurance.definitions import Scale
from cylch.assurance.models import (
    ActionStatus,
    Component,
    Contribution,
    Cycle,
    ImprovementAction,
    PartnershipLevel,
)
from cylch.assurance.permissions import can_run_cycles, require, runs_cycle, user_region_id
from cylch.assurance.selectors.cycles import cycle_get
from cylch.core.templatetags.govuk import localised_name

REGION = "region"


def board_cycle(*, user: Practitioner, pk: int) -> Cycle:
    """The cycle, for the board of its region only: Cycle.DoesNotExist for a cycle the user cannot see at all (as
    `cycle_get`), PermissionDenied for a partner agency's practitioner, who sees the cycle but not these."""
    cycle = cycle_get(user=user, pk=pk)
    require(runs_cycle(user, cycle))
    return cycle


def cycle_scores(cycle: Cycle) -> list[ScorePoint]:
    """The agreed scores of the 12 Cs, in order (None where not scored yet)."""
    found = {a.component: a for a in cycle.assessments.all()}
    return [
        ScorePoint(
            code,
            str(label),
            found[code].ciw_score if code in found else None,
            found[code].progress_score if code in found else None,
        )
        for code, label in Component.choices
    ]


def cycle_label(cycle: Cycle) -> str:
    """The period as a short label: '2024–25' for a year across two, '2025' within one."""
    start, end = cycle.period_start.year, cycle.period_end.year
    return str(end) if start == end else f"{start}–{end % 100:02d}"


# --- partnerships ----------------------------------------------------------------------------------------------


def partnership_key(cycle: Cycle) -> str:
    """'region', 'la-<pk>' or 'agency-<pk>': how the trends page names the cycle's partnership."""
    if cycle.level == PartnershipLevel.LOCAL_AUTHORITY:
        return f"la-{cycle.local_authority_id}"
    if cycle.level == PartnershipLevel.AGENCY:
        return f"agency-{cycle.agency_id}"
    return REGION


def _partnership_filter(key: str) -> Q:
    kind, _dash, number = key.partition("-")
    if key == REGION:
        return Q(level=PartnershipLevel.REGION)
    if kind == "la" and number.isdigit():
        return Q(level=PartnershipLevel.LOCAL_AUTHORITY, local_authority_id=int(number))
    if kind == "agency" and number.isdigit():
        return Q(level=PartnershipLevel.AGENCY, agency_id=int(number))
    return Q(pk__in=[])


def _region_id(user: Practitioner) -> int:
    region_id = user_region_id(user)
    require(can_run_cycles(user) and region_id is not None)
    assert region_id is not None  # noqa: S101 - require() refused otherwise
    return region_id


def partnership_choices(*, user: Practitioner) -> list[tuple[str, str]]:
    """The partnerships of the board's region that have a cycle: the region first, then authorities, agencies."""
    cycles = Cycle.objects.filter(region_id=_region_id(user)).select_related("region", "local_authority", "agency")
    choices: dict[str, str] = {}
    for cycle in sorted(cycles, key=lambda c: ([REGION, "local_authority", "agency"].index(c.level), c.pk)):
        owner = {"region": cycle.region, "local_authority": cycle.local_authority, "agency": cycle.agency}[cycle.level]
        choices.setdefault(partnership_key(cycle), f"{localised_name(owner)} ({cycle.get_level_display()})")
    return list(choices.items())


# --- trends ----------------------------------------------------------------------------------------------------


@dataclass
class Trend:
    cycles: list[Cycle]
    labels: list[str]
    series: list[TrendSeries]
    changes: list[str]


def _change(label: str, scale: Scale, before: int | None, after: int | None) -> str | None:
    if before is None or after is None:
        return None
    values = {"c": label, "scale": scale.label, "before": before, "after": after}
    if after > before:
        return _("%(c)s rose from %(before)s to %(after)s on the %(scale)s") % values
    if after < before:
        return _("%(c)s fell from %(before)s to %(after)s on the %(scale)s") % values
    return None


def trend(*, user: Practitioner, partnership: str) -> Trend:
    """The partnership's cycles in the board's region, oldest first, each C's scores across them, and what changed
    since the cycle before the latest, in words ('C4 Capacity rose from 3 to 4 on the …')."""
    cycles = list(
        Cycle.objects.filter(_partnership_filter(partnership), region_id=_region_id(user))
        .prefetch_related("assessments")
        .order_by("period_end", "pk")
    )
    scores = [cycle_scores(cycle) for cycle in cycles]
    series = [
        TrendSeries(
            code,
            str(label),
            tuple(points[index].ciw for points in scores),
            tuple(points[index].progress for points in scores),
        )
        for index, (code, label) in enumerate(Component.choices)
    ]
    changes: list[str] = []
    if len(cycles) >= 2:
        for one in series:
            for scale, values in ((Scale.CIW, one.ciw), (Scale.PROGRESS, one.progress)):
                change = _change(one.label, scale, values[-2], values[-1])
                if change:
                    changes.append(change)
    return Trend(cycles, [cycle_label(c) for c in cycles], series, changes)


# --- comparison ------------------------------------------------------------------------------------------------


@dataclass
class ComparisonRow:
    name: str
    cycle: Cycle | None
    scores: list[ScorePoint]

    def values(self, scale: Scale) -> list[int | None]:
        return [getattr(point, scale.value) for point in self.scores]


def comparison(*, user: Practitioner) -> list[ComparisonRow]:
    """The region's own and each of its authorities' latest signed-off cycle (an authority without one shows
    none), so the board can see where the partnership is strongest and weakest."""
    region_id = _region_id(user)
    signed = Cycle.objects.filter(region_id=region_id, signed_off_at__isnull=False).prefetch_related("assessments")
    rows: list[ComparisonRow] = []
    latest_region = signed.filter(level=PartnershipLevel.REGION).order_by("-period_end", "-pk").first()
    if latest_region is not None:
        rows.append(ComparisonRow(localised_name(latest_region.region), latest_region, cycle_scores(latest_region)))
    for authority in LocalAuthority.objects.filter(region_id=region_id).order_by("name"):
        latest = (
            signed.filter(level=PartnershipLevel.LOCAL_AUTHORITY, local_authority=authority)
            .order_by("-period_end", "-pk")
            .first()
        )
        rows.append(
            ComparisonRow(localised_name(authority), latest, cycle_scores(latest) if latest is not None else [])
        )
    return rows


# --- overdue actions and the heat map --------------------------------------------------------------------------


def overdue_by_component(cycle: Cycle, *, today: datetime.date | None = None) -> list[tuple[str, int]]:
    """Each C's open actions past their due date (every C listed, 0 included)."""
    day = today or timezone.localdate()
    counts = dict(
        ImprovementAction.objects.filter(assessment__cycle=cycle, due_on__lt=day)
        .exclude(status=ActionStatus.COMPLETED)
        .values_list("assessment__component")
        .annotate(n=Count("pk"))
        .values_list("assessment__component", "n")
    )
    return [(str(label), counts.get(code, 0)) for code, label in Component.choices]


@dataclass
class HeatMap:
    agencies: list[Agency]
    rows: list[list[HeatCell]]
    scale: Scale

    @property
    def names(self) -> list[str]:
        return [localised_name(agency) for agency in self.agencies]

    @property
    def table(self) -> list[tuple[str, list[HeatCell]]]:
        return list(zip(self.names, self.rows, strict=True))


def heatmap(cycle: Cycle, *, scale: Scale) -> HeatMap:
    """Partner agencies (and any agency that contributed) by the 12 Cs: contributed or not, and the proposed
    score on `scale`."""
    field = "proposed_ciw_score" if scale == Scale.CIW else "proposed_progress_score"
    found = {
        (agency_id, component): score
        for agency_id, component, score in Contribution.objects.filter(cycle=cycle).values_list(
            "agency_id", "component", field
        )
    }
    contributing = {agency_id for agency_id, _component in found}
    agencies = sorted(
        Agency.objects.filter(Q(pk__in=cycle.partner_agencies.values("pk")) | Q(pk__in=contributing)),
        key=localised_name,
    )
    rows = [
        [HeatCell((agency.pk, code) in found, found.get((agency.pk, code))) for code in Component.values]
        for agency in agencies
    ]
    return HeatMap(agencies, rows, scale)


def all_cycle_contributions(cycle: Cycle) -> QuerySet[Contribution]:
    return Contribution.objects.filter(cycle=cycle).select_related("agency").order_by("component", "agency__name")
