"""The facts the platform measured for a cycle, shown beside the board's scores (issue #19 item 4).

Each fact is a count out of a count from the platform's own records, for the cycle's partnership and period:
the front door's timeliness (C10, C11), its queue and late information requests (C4), professional challenges
(C7), each agency's share of concerns and of information requests answered (C8), risk-alert outcomes and meeting
minutes circulated on time (C11). Aggregates only: no person is named, so nothing here is an audited read.

The partnership: a region or a local authority is its front doors (concerns received by its authorities) and its
agencies; an agency is the concerns it raised and itself. Before sign-off the facts are computed live; at sign-off
`facts_freeze` writes them as `MeasuredFact` rows, and `cycle_facts` reads those back, so a report reads the same
next year. The sentence, the method and the link are rebuilt from the code in the reader's language.
"""

from __future__ import annotations

import datetime
import math
import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from cylch.accounts.models import Agency, LocalAuthority, Practitioner
from cylch.accounts.permissions import can_read_front_door_figures
from cylch.assurance.models import Component, Cycle, MeasuredFact, PartnershipLevel
from cylch.assurance.permissions import runs_cycle
from cylch.concerns.metrics import information_requests_counted
from cylch.concerns.models import (
    Challenge,
    ChallengeStatus,
    Concern,
    ConcernSubject,
    InformationRequest,
    ThresholdDecision,
)
from cylch.core.templatetags.govuk import day_month_year, localised_name
from cylch.core.working_days import add_working_days, working_days_between
from cylch.meetings.clocks import Clock, ClockCode, ClockState, timescales_for
from cylch.meetings.models import CONFERENCE_KINDS, Circulation, CirculationKind, Invitee, Meeting
from cylch.meetings.permissions import can_see_timeliness
from cylch.risk.models import Alert, AlertStatus, AlertSubject
from cylch.risk.permissions import can_see_dashboard

RISK_DASHBOARD_MONTHS = (3, 6, 12, 24)  # the choices the risk dashboard offers


@dataclass(frozen=True)
class Fact:
    """One measured figure: `numerator` out of `denominator` (a percentage in `value`), or a single `value`."""

    code: str
    numerator: int | None
    denominator: int | None
    value: Decimal | None
    cycle: Cycle = field(repr=False, compare=False)
    computed_at: datetime.datetime = field(compare=False)
    agency: Agency | None = field(default=None, compare=False)
    # Whether the partnership's front doors are every front door on Cylch: the front-door figures page counts them
    # all, so only then does it show the same concerns as a region's or authority's fact.
    every_front_door: bool = field(default=False, compare=False)

    @property
    def kind(self) -> FactKind:
        return KINDS[self.code.partition(":")[0]]

    @property
    def component(self) -> str:
        return str(self.kind.component)

    @property
    def agency_id(self) -> int | None:
        return self.agency.pk if self.agency is not None else None

    @property
    def words(self) -> str:
        """The figure as a sentence in the active language."""
        return self.kind.words(self)

    @property
    def method(self) -> str:
        return str(self.kind.method)

    @property
    def out_of(self) -> str:
        """What the figure is out of, in words ("" for a figure that is not a share)."""
        return self.kind.out_of(self) if self.denominator is not None and self.kind.out_of else ""

    @property
    def url(self) -> str:
        return self.kind.link(self.cycle)

    def url_for(self, user: Practitioner) -> str:
        """The source page's address if `user` may open it; "" otherwise (a link that answers 403 is a dead end)."""
        return self.url if self.kind.may_open(user) else ""

    @property
    def source(self) -> str:
        return str(self.kind.source)

    @property
    def source_note(self) -> str:
        """What the linked page counts that this figure does not, so a reader can reconcile the two ("" if the
        same)."""
        return self.kind.note(self) if self.kind.note else ""

    @property
    def percent(self) -> int | None:
        """The share as a whole percentage (None without a denominator)."""
        if self.numerator is None or not self.denominator:
            return None
        return round(100 * self.numerator / self.denominator)

    @property
    def snapshot_day(self) -> datetime.date:
        """The day a snapshot figure (the queue) describes: the period's end, or the day computed if earlier."""
        return min(self.cycle.period_end, timezone.localtime(self.computed_at).date())


@dataclass(frozen=True)
class FactKind:
    code: str
    component: Component
    words: Callable[[Fact], str]
    method: Promise
    source: Promise
    link: Callable[[Cycle], str]
    out_of: Callable[[Fact], str] | None = None
    may_open: Callable[[Practitioner], bool] = can_read_front_door_figures
    note: Callable[[Fact], str] | None = None


# --- wording ---------------------------------------------------------------------------------------------------


def _share(label: str, fact: Fact) -> str:
    """'<label>: 41 of 52 (79%)', or 'none to count' when the denominator is 0."""
    if not fact.denominator:
        return _("%(label)s: none in the period to count") % {"label": label}
    return _("%(label)s: %(n)s of %(d)s (%(p)s%%)") % {
        "label": label,
        "n": fact.numerator,
        "d": fact.denominator,
        "p": fact.percent,
    }


def _decided_words(fact: Fact) -> str:
    """As the front-door figures say it: out of the concerns decided (those waiting are the next fact)."""
    label = _("Concerns decided within one working day")
    if not fact.denominator:
        return _("%(label)s: none decided yet") % {"label": label}
    return ngettext(
        "%(label)s: %(n)s of the %(d)s concern decided (%(p)s%%)",
        "%(label)s: %(n)s of the %(d)s concerns decided (%(p)s%%)",
        fact.denominator,
    ) % {"label": label, "n": fact.numerator, "d": fact.denominator, "p": fact.percent}


def _waiting_words(fact: Fact) -> str:
    if not fact.denominator:
        return _("Concerns received in the period still waiting for a decision: none")
    return ngettext(
        "Concerns received in the period still waiting for a decision: %(d)s, %(n)s past its deadline",
        "Concerns received in the period still waiting for a decision: %(d)s, %(n)s past their deadline",
        fact.denominator,
    ) % {"d": fact.denominator, "n": fact.numerator}


def _queue_words(label: str, fact: Fact) -> str:
    day = day_month_year(fact.snapshot_day)
    if not fact.denominator:
        return _("No concern was waiting for a decision on %(day)s") % {"day": day}
    return ngettext(
        "%(label)s of the %(d)s concern waiting for a decision on %(day)s, in working days: %(v)s",
        "%(label)s of the %(d)s concerns waiting for a decision on %(day)s, in working days: %(v)s",
        fact.denominator,
    ) % {"label": label, "d": fact.denominator, "day": day, "v": _number(fact.value)}


def _number(value: Decimal | None) -> str:
    """2, 2.5: no trailing zeros (a frozen 2.00 reads as the live 2 did)."""
    return "" if value is None else f"{value.normalize():f}"


def _challenges_raised_words(fact: Fact) -> str:
    if not fact.denominator:
        return _("Professional challenges raised: %(n)s (no threshold decisions in the period)") % {"n": fact.numerator}
    return ngettext(
        "Professional challenges raised: %(n)s, against %(d)s threshold decision (%(p)s%%)",
        "Professional challenges raised: %(n)s, against %(d)s threshold decisions (%(p)s%%)",
        fact.denominator,
    ) % {"n": fact.numerator, "d": fact.denominator, "p": fact.percent}


def _agency(fact: Fact) -> str:
    return localised_name(fact.agency) if fact.agency is not None else _("An agency no longer recorded")


def _counted(singular: str, plural: str) -> Callable[[Fact], str]:
    """An "out of" line in the reader's language, singular or plural by the denominator."""
    return lambda f: ngettext(singular, plural, f.denominator or 0) % {"d": f.denominator}


def _decided_out_of(fact: Fact) -> str:
    if fact.cycle.level == PartnershipLevel.AGENCY:
        return ngettext(
            "out of the %(d)s concern this agency raised in the period that has been decided",
            "out of the %(d)s concerns this agency raised in the period that have been decided",
            fact.denominator or 0,
        ) % {"d": fact.denominator}
    return ngettext(
        "out of the %(d)s concern received in the period that has been decided",
        "out of the %(d)s concerns received in the period that have been decided",
        fact.denominator or 0,
    ) % {"d": fact.denominator}


def _share_out_of(fact: Fact) -> str:
    """C8's denominator is every concern the partnership's front doors received, decided or not."""
    if fact.cycle.level == PartnershipLevel.AGENCY:
        return ngettext(
            "out of the %(d)s concern received in the period by its local authority's front door, decided or not",
            "out of the %(d)s concerns received in the period by its local authority's front door, decided or not",
            fact.denominator or 0,
        ) % {"d": fact.denominator}
    return ngettext(
        "out of the %(d)s concern received in the period by the partnership's front doors, decided or not",
        "out of the %(d)s concerns received in the period by the partnership's front doors, decided or not",
        fact.denominator or 0,
    ) % {"d": fact.denominator}


# --- what the linked page counts that the fact does not --------------------------------------------------------


def _front_door_note(fact: Fact, *, raised_by_agency: bool = True) -> str:
    """The front-door figures page counts every front door on Cylch; the fact only the partnership's (for an
    agency, the concerns it raised, or its authority's front door for its share)."""
    cycle = fact.cycle
    if cycle.level == PartnershipLevel.AGENCY and raised_by_agency:
        scope = _("only the concerns %(agency)s raised") % {"agency": localised_name(cycle.agency)}
    elif fact.every_front_door:
        return ""
    elif cycle.level == PartnershipLevel.REGION:
        scope = _("only the concerns received by the front doors of %(area)s") % {"area": localised_name(cycle.region)}
    else:
        authority = cycle.local_authority if cycle.level == PartnershipLevel.LOCAL_AUTHORITY else None
        authority = authority or (cycle.agency.local_authority if cycle.agency else None)
        scope = _("only the concerns received by the front door of %(area)s") % {"area": localised_name(authority)}
    return _(
        "The front-door figures page counts the concerns received by every front door on Cylch over the same "
        "dates; this figure counts %(scope)s, so the page's numbers can be larger."
    ) % {"scope": scope}


def _area_note(fact: Fact) -> str:
    return _front_door_note(fact, raised_by_agency=False)


def _risk_note(fact: Fact) -> str:
    return _(
        "The risk dashboard has no choice of dates: it shows the last %(months)s months to today, for every alert "
        "its reader may see, not only the alerts raised in this period."
    ) % {"months": _risk_months(fact.cycle)}


def _meetings_note(fact: Fact) -> str:
    return _(
        "The meeting timescales report has no choice of dates: its row “Decisions and plan circulated” "
        "counts one clock for each child, for every conference in its reader's area at any time, so its numbers "
        "are not this period's."
    )


# --- links -----------------------------------------------------------------------------------------------------


def _front_door_link(cycle: Cycle) -> str:
    """The front-door figures page over the cycle's period."""
    query = {}
    for name, day in (("since", cycle.period_start), ("until", cycle.period_end)):
        query.update({f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year})
    return f"{reverse('concerns:metrics')}?{urlencode(query)}"


def _risk_months(cycle: Cycle) -> int:
    """The shortest span the risk dashboard offers that reaches back to the period's start."""
    today = timezone.localdate()
    months = (today.year - cycle.period_start.year) * 12 + today.month - cycle.period_start.month + 1
    return next((m for m in RISK_DASHBOARD_MONTHS if m >= months), RISK_DASHBOARD_MONTHS[-1])


def _risk_link(cycle: Cycle) -> str:
    return f"{reverse('risk:dashboard')}?{urlencode({'months': _risk_months(cycle)})}"


def _meetings_link(cycle: Cycle) -> str:
    return reverse("meetings:timeliness")


FRONT_DOOR = gettext_lazy("Front-door figures")
INFORMATION_REQUESTS = gettext_lazy("Front-door figures (information requests)")
RISK_DASHBOARD = gettext_lazy("Risk dashboard")

KINDS: dict[str, FactKind] = {
    kind.code: kind
    for kind in (
        FactKind(
            "concerns_decided_in_time",
            Component.C10,
            _decided_words,
            gettext_lazy(
                "Concerns received in the period and decided by the time of counting, as the front-door figures "
                "count them; in time when the first threshold decision was recorded by the end of the working day "
                "after the day received (weekends and England and Wales bank holidays excluded). Those still "
                "waiting are the next figure, so a backlog cannot hide behind a good percentage."
            ),
            FRONT_DOOR,
            _front_door_link,
            _decided_out_of,
            note=_front_door_note,
        ),
        FactKind(
            "concerns_waiting",
            Component.C10,
            _waiting_words,
            gettext_lazy(
                "Concerns received in the period and not decided by the time of counting, and how many of them are "
                "past their decision deadline; with the decided ones they make every concern received."
            ),
            FRONT_DOOR,
            _front_door_link,
            note=_front_door_note,
        ),
        FactKind(
            "referrers_told_in_time",
            Component.C11,
            lambda f: _share(_("Referrers told the outcome within seven working days"), f),
            gettext_lazy(
                "Concerns received in the period whose feedback was due by the time of counting (or already sent); "
                "in time when the referrer was sent the outcome within seven working days of the day received."
            ),
            FRONT_DOOR,
            _front_door_link,
            _counted("out of %(d)s referrer due an outcome", "out of %(d)s referrers due an outcome"),
            note=_front_door_note,
        ),
        FactKind(
            "queue_age_median",
            Component.C4,
            lambda f: _queue_words(_("Median age"), f),
            gettext_lazy(
                "Concerns received by the end of the period and not decided by then; each one's age is the working "
                "days from the day received to the period's end (or the day counted, if earlier); the median of them."
            ),
            FRONT_DOOR,
            _front_door_link,
            note=_front_door_note,
        ),
        FactKind(
            "queue_age_p90",
            Component.C4,
            lambda f: _queue_words(_("90th percentile age"), f),
            gettext_lazy(
                "As the median age, the 90th percentile (nearest rank): nine in ten waiting concerns were no older."
            ),
            FRONT_DOOR,
            _front_door_link,
            note=_front_door_note,
        ),
        FactKind(
            "information_requests_late",
            Component.C4,
            lambda f: _share(_("Information requests answered late or not at all"), f),
            gettext_lazy(
                "Requests for information made in the period to the partnership's agencies and due by the time of "
                "counting (or answered); late when answered after the due date or still unanswered after it."
            ),
            INFORMATION_REQUESTS,
            _front_door_link,
            _counted("out of %(d)s request due", "out of %(d)s requests due"),
        ),
        FactKind(
            "challenges_raised",
            Component.C7,
            _challenges_raised_words,
            gettext_lazy(
                "Professional challenges to threshold decisions raised in the period, against the threshold decisions "
                "recorded in the period (revisions included)."
            ),
            FRONT_DOOR,
            _front_door_link,
            _counted("against %(d)s threshold decision", "against %(d)s threshold decisions"),
            note=_front_door_note,
        ),
        FactKind(
            "challenges_upheld",
            Component.C7,
            lambda f: _share(_("Professional challenges upheld"), f),
            gettext_lazy(
                "Challenges raised in the period and answered by a front-door manager; upheld when the manager "
                "agreed the decision should be revised."
            ),
            FRONT_DOOR,
            _front_door_link,
            _counted("out of %(d)s challenge answered", "out of %(d)s challenges answered"),
            note=_front_door_note,
        ),
        FactKind(
            "agency_concerns_share",
            Component.C8,
            lambda f: _share(_("Concerns raised by %(agency)s") % {"agency": _agency(f)}, f),
            gettext_lazy(
                "Concerns received in the period by the partnership's front doors, decided or not, and how many of "
                "them this agency raised."
            ),
            FRONT_DOOR,
            _front_door_link,
            _share_out_of,
            note=_area_note,
        ),
        FactKind(
            "agency_requests_answered",
            Component.C8,
            lambda f: _share(_("Information requests answered by %(agency)s") % {"agency": _agency(f)}, f),
            gettext_lazy("Requests for information made to this agency in the period, and how many it has answered."),
            INFORMATION_REQUESTS,
            _front_door_link,
            _counted("out of %(d)s request made", "out of %(d)s requests made"),
        ),
        FactKind(
            "alerts_closed_with_reason",
            Component.C11,
            lambda f: _share(_("Risk alerts closed with an outcome and a reason"), f),
            gettext_lazy(
                "Cumulative-risk alerts raised in the period and owned by the partnership's agencies (or, for a "
                "region or authority, by its front door); closed ones each record an outcome and why."
            ),
            RISK_DASHBOARD,
            _risk_link,
            _counted("out of %(d)s alert raised", "out of %(d)s alerts raised"),
            may_open=can_see_dashboard,
            note=_risk_note,
        ),
        FactKind(
            "alerts_open_past_deadline",
            Component.C11,
            lambda f: _share(_("Risk alerts still open past their act-by deadline"), f),
            gettext_lazy("Of the same alerts, those not closed and past the date by which the owner was to act."),
            RISK_DASHBOARD,
            _risk_link,
            _counted("out of %(d)s alert raised", "out of %(d)s alerts raised"),
            may_open=can_see_dashboard,
            note=_risk_note,
        ),
        FactKind(
            "minutes_circulated_in_time",
            Component.C11,
            lambda f: _share(_("Conference minutes and decisions circulated in time"), f),
            gettext_lazy(
                "Child protection conferences held in the period (for an agency, those it was invited to) whose "
                "circulation was due by the time of counting; in time when the minutes and decisions were sent "
                "within the region's circulation timescale (5 working days unless the region set another)."
            ),
            gettext_lazy("Meeting timescales report"),
            _meetings_link,
            _counted(
                "out of %(d)s conference held in the period whose minutes were due",
                "out of %(d)s conferences held in the period whose minutes were due",
            ),
            may_open=can_see_timeliness,
            note=_meetings_note,
        ),
    )
}

# --- the partnership -------------------------------------------------------------------------------------------


def partnership_agencies(cycle: Cycle) -> QuerySet[Agency]:
    """Region: its authorities' agencies; local authority: its agencies; agency: itself."""
    if cycle.level == PartnershipLevel.AGENCY:
        return Agency.objects.filter(pk__in=[cycle.agency_id])
    if cycle.level == PartnershipLevel.LOCAL_AUTHORITY:
        return Agency.objects.filter(local_authority_id=cycle.local_authority_id)
    return Agency.objects.filter(local_authority__region_id=cycle.region_id)


def partnership_authorities(cycle: Cycle) -> QuerySet[LocalAuthority]:
    """The authorities whose front doors the partnership covers (an agency: the one it belongs to)."""
    if cycle.level == PartnershipLevel.AGENCY:
        return LocalAuthority.objects.filter(agencies=cycle.agency_id)
    if cycle.level == PartnershipLevel.LOCAL_AUTHORITY:
        return LocalAuthority.objects.filter(pk__in=[cycle.local_authority_id])
    return LocalAuthority.objects.filter(region_id=cycle.region_id)


def _period(cycle: Cycle) -> tuple[datetime.datetime, datetime.datetime]:
    """The period as [start, end) moments in local time."""
    start = timezone.make_aware(datetime.datetime.combine(cycle.period_start, datetime.time.min))
    end = timezone.make_aware(
        datetime.datetime.combine(cycle.period_end + datetime.timedelta(days=1), datetime.time.min)
    )
    return start, end


def covers_every_front_door(cycle: Cycle) -> bool:
    """Whether the partnership is every front door on Cylch (what the front-door figures page counts)."""
    return (
        cycle.level != PartnershipLevel.AGENCY
        and not LocalAuthority.objects.exclude(pk__in=partnership_authorities(cycle)).exists()
    )


def _area_concerns(cycle: Cycle) -> QuerySet[Concern]:
    """Concerns received by the partnership's front doors (every partnership level)."""
    return Concern.objects.filter(local_authority__in=partnership_authorities(cycle))


def _own_concerns(cycle: Cycle) -> QuerySet[Concern]:
    """The concerns the timeliness figures are about: the front doors' for a region or authority; for an agency,
    the ones it raised (what its referrers experienced)."""
    if cycle.level == PartnershipLevel.AGENCY:
        return Concern.objects.filter(referrer_agency_id=cycle.agency_id)
    return _area_concerns(cycle)


# --- measuring -------------------------------------------------------------------------------------------------


def _percent(numerator: int, denominator: int) -> Decimal | None:
    return (Decimal(100 * numerator) / Decimal(denominator)).quantize(Decimal("0.01")) if denominator else None


def _nearest_rank(values: list[int], share: float) -> int:
    ordered = sorted(values)
    return ordered[max(math.ceil(share * len(ordered)) - 1, 0)]


class _Measure:
    """Collects the facts of one cycle at one moment."""

    def __init__(self, cycle: Cycle, now: datetime.datetime) -> None:
        self.cycle, self.now = cycle, now
        self.every_front_door = covers_every_front_door(cycle)
        self.start, self.end = _period(cycle)
        self.today = timezone.localtime(now).date()
        self.facts: list[Fact] = []

    def add(
        self,
        code: str,
        numerator: int | None,
        denominator: int | None,
        value: Decimal | None = None,
        *,
        agency: Agency | None = None,
    ) -> None:
        if value is None and numerator is not None and denominator is not None:
            value = _percent(numerator, denominator)
        self.facts.append(
            Fact(code, numerator, denominator, value, self.cycle, self.now, agency, self.every_front_door)
        )

    def front_door(self) -> None:
        """Timeliness as the front-door figures count it: out of the concerns decided, those waiting beside it."""
        concerns = _own_concerns(self.cycle).filter(received_at__gte=self.start, received_at__lt=self.end)
        decided = in_time = waiting = overdue = feedback_due = feedback_in_time = 0
        for decided_at, decision_due_at, feedback_sent_at, feedback_due_on in concerns.values_list(
            "decided_at", "decision_due_at", "feedback_sent_at", "feedback_due_on"
        ):
            if decided_at is None or decided_at > self.now:  # counted as at the moment of counting
                waiting += 1
                overdue += decision_due_at <= self.now
            else:
                decided += 1
                in_time += decided_at <= decision_due_at
            if feedback_sent_at is not None or feedback_due_on <= self.today:
                feedback_due += 1
                feedback_in_time += bool(
                    feedback_sent_at and timezone.localtime(feedback_sent_at).date() <= feedback_due_on
                )
        self.add("concerns_decided_in_time", in_time, decided)
        self.add("concerns_waiting", overdue, waiting, Decimal(waiting))
        self.add("referrers_told_in_time", feedback_in_time, feedback_due)

    def queue(self) -> None:
        moment = min(self.end, self.now)
        day = min(self.cycle.period_end, self.today)
        waiting = (
            _own_concerns(self.cycle)
            .filter(received_at__lt=moment)
            .filter(Q(decided_at__isnull=True) | Q(decided_at__gt=moment))
        )
        ages = [
            working_days_between(timezone.localtime(received).date(), day)
            for received in waiting.values_list("received_at", flat=True)
        ]
        median = Decimal(str(statistics.median(ages))) if ages else None
        p90 = Decimal(_nearest_rank(ages, 0.9)) if ages else None
        self.add("queue_age_median", None, len(ages), median)
        self.add("queue_age_p90", None, len(ages), p90)

    def information_requests(self, agencies: list[Agency]) -> None:
        asked = InformationRequest.objects.filter(
            agency__in=agencies, requested_at__gte=self.start, requested_at__lt=self.end
        )
        by_agency = {row.agency_id: row for row in information_requests_counted(asked, self.today)}
        rows = by_agency.values()
        self.add("information_requests_late", sum(r.late for r in rows), sum(r.due for r in rows))
        for agency in agencies:
            if agency.pk in by_agency:
                row = by_agency[agency.pk]
                self.add(f"agency_requests_answered:{agency.pk}", row.answered, row.made, agency=agency)

    def challenges(self) -> None:
        concerns = _own_concerns(self.cycle)
        raised = Challenge.objects.filter(concern__in=concerns, raised_at__gte=self.start, raised_at__lt=self.end)
        decisions = ThresholdDecision.objects.filter(
            concern__in=concerns, decided_at__gte=self.start, decided_at__lt=self.end
        ).count()
        self.add("challenges_raised", raised.count(), decisions, None)
        answered = raised.exclude(status=ChallengeStatus.OPEN)
        self.add("challenges_upheld", answered.filter(status=ChallengeStatus.UPHELD).count(), answered.count())

    def concern_shares(self, agencies: list[Agency]) -> None:
        received = _area_concerns(self.cycle).filter(received_at__gte=self.start, received_at__lt=self.end)
        total = received.count()
        raised: dict[int, int] = {}
        for agency_id in received.values_list("referrer_agency_id", flat=True):
            raised[agency_id] = raised.get(agency_id, 0) + 1
        for agency in agencies:
            if agency.pk in raised:
                self.add(f"agency_concerns_share:{agency.pk}", raised[agency.pk], total, agency=agency)

    def alerts(self) -> None:
        owned = Q(owner_agency__in=partnership_agencies(self.cycle))
        if self.cycle.level != PartnershipLevel.AGENCY:
            # The front door's alerts (no owning agency) about children its concerns were about.
            children = ConcernSubject.objects.filter(concern__in=_area_concerns(self.cycle)).values("person_id")
            about_area = AlertSubject.objects.filter(alert=OuterRef("pk"), person_id__in=children)
            owned |= Q(owner_agency__isnull=True) & Q(Exists(about_area))
        raised = Alert.objects.filter(owned, raised_at__gte=self.start, raised_at__lt=self.end)
        total = raised.count()
        self.add("alerts_closed_with_reason", raised.filter(status=AlertStatus.CLOSED).count(), total)
        self.add(
            "alerts_open_past_deadline",
            raised.exclude(status=AlertStatus.CLOSED).filter(act_due_at__lt=self.now).count(),
            total,
        )

    def minutes(self) -> None:
        conferences = Meeting.objects.filter(
            kind__in=sorted(CONFERENCE_KINDS), held=True, held_at__gte=self.start, held_at__lt=self.end
        )
        if self.cycle.level == PartnershipLevel.AGENCY:
            conferences = conferences.filter(
                Exists(Invitee.objects.filter(meeting=OuterRef("pk"), agency_id__in=[self.cycle.agency_id]))
            )
        else:
            conferences = conferences.filter(local_authority__in=partnership_authorities(self.cycle))
        sent = dict(
            Circulation.objects.filter(meeting__in=conferences, kind=CirculationKind.MINUTES)
            .values_list("meeting_id")
            .annotate(last=Max("sent_at"))
        )
        scales = timescales_for(self.cycle.region)
        due = in_time = 0
        for pk, held_at in conferences.values_list("pk", "held_at"):
            circulated = timezone.localtime(sent[pk]).date() if pk in sent else None
            clock = Clock(
                ClockCode.CIRCULATION,
                add_working_days(timezone.localtime(held_at).date(), scales.circulation_working_days),
                met_on=circulated,
            )
            state = clock.state(self.today)
            if state != ClockState.RUNNING:
                due += 1
                in_time += state == ClockState.MET
        self.add("minutes_circulated_in_time", in_time, due)


def live_facts(cycle: Cycle, *, now: datetime.datetime | None = None) -> list[Fact]:
    """Every fact for the cycle's partnership and period, measured now, in the order of the Cs."""
    measure = _Measure(cycle, now or timezone.now())
    agencies = list(partnership_agencies(cycle).order_by("name", "pk"))
    measure.front_door()
    measure.queue()
    measure.information_requests(agencies)
    measure.challenges()
    measure.concern_shares(agencies)
    measure.alerts()
    measure.minutes()
    return _ordered(measure.facts)


def _ordered(facts: Iterable[Fact]) -> list[Fact]:
    order = {code: index for index, code in enumerate(Component.values)}
    codes = list(KINDS)
    return sorted(
        facts,
        key=lambda f: (order[f.component], codes.index(f.code.partition(":")[0]), _agency(f) if f.agency else ""),
    )


@transaction.atomic
def facts_freeze(cycle: Cycle, *, now: datetime.datetime | None = None) -> list[MeasuredFact]:
    """Write the cycle's facts as measured now, replacing any written before (called by the sign-off service)."""
    facts = live_facts(cycle, now=now)
    MeasuredFact.objects.filter(cycle=cycle).delete()
    return MeasuredFact.objects.bulk_create(
        MeasuredFact(
            cycle=cycle,
            component=fact.component,
            code=fact.code,
            numerator=fact.numerator,
            denominator=fact.denominator,
            value=fact.value,
            computed_at=fact.computed_at,
        )
        for fact in facts
    )


def _frozen(cycle: Cycle) -> list[Fact]:
    rows = [row for row in MeasuredFact.objects.filter(cycle=cycle) if row.code.partition(":")[0] in KINDS]
    agency_ids = {int(row.code.partition(":")[2]) for row in rows if row.code.partition(":")[2].isdigit()}
    agencies = Agency.objects.in_bulk(agency_ids)
    every_front_door = covers_every_front_door(cycle)
    return _ordered(
        Fact(
            row.code,
            row.numerator,
            row.denominator,
            row.value,
            cycle,
            row.computed_at,
            agencies.get(int(row.code.partition(":")[2])) if row.code.partition(":")[2].isdigit() else None,
            every_front_door,
        )
        for row in rows
    )


def cycle_facts(cycle: Cycle) -> list[Fact]:
    """The frozen facts of a signed-off cycle; the live ones before sign-off."""
    return _frozen(cycle) if cycle.is_signed_off else live_facts(cycle)


def visible_facts(facts: Iterable[Fact], *, user: Practitioner, cycle: Cycle) -> list[Fact]:
    """The board sees every fact; a partner agency the partnership's figures and its own agency's, never another
    agency's."""
    if runs_cycle(user, cycle):
        return list(facts)
    own = user.agency_id
    return [fact for fact in facts if (":" not in fact.code) or (own is not None and fact.agency_id == own)]


def facts_by_component(facts: Iterable[Fact]) -> dict[str, list[Fact]]:
    grouped: dict[str, list[Fact]] = {code: [] for code in Component.values}
    for fact in facts:
        grouped[fact.component].append(fact)
    return grouped
