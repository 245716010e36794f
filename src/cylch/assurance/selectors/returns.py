"""Reading assurance returns: the board sees every partner agency's, side by side; an agency only its own.

`returns_evidence` turns submitted returns into the figures shown beside C2 Confidence (supervision), C3 Competence
(training), C4 Capacity (vacancies, designated-lead posts filled) and C9 Continuity (turnover). Returns name no
person, so none of this goes through the audited read path.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cylch.accounts.models import Agency, Practitioner
from cylch.assurance.models import AssuranceReturn, Component, Cycle, TrainingCompliance
from cylch.assurance.permissions import can_see_return, can_view_cycle, require, runs_cycle
from cylch.assurance.services.returns import level_label

# The Cs an assurance return is evidence for.
EVIDENCED = frozenset({Component.C2, Component.C3, Component.C4, Component.C9})


@dataclass
class ReturnRow:
    """One agency's return for one period, or the return it has not started for the cycle's period."""

    agency: Agency
    period_start: datetime.date
    period_end: datetime.date
    due_on: datetime.date
    assurance_return: AssuranceReturn | None
    today: datetime.date
    training: dict[str, TrainingCompliance] = field(default_factory=dict)

    @property
    def state(self) -> str:
        """'submitted', 'draft' or 'not_started' (a blank draft the chase made counts as not started)."""
        if self.assurance_return is None or (
            self.assurance_return.updated_by_id is None and not self.assurance_return.is_submitted
        ):
            return "not_started"
        return "submitted" if self.assurance_return.is_submitted else "draft"

    @property
    def days_late(self) -> int:
        """How many days after the due date it was submitted, or (not submitted) it is now; 0 when not late."""
        return days_late(self.due_on, self.assurance_return, self.today)

    @property
    def late(self) -> bool:
        """Submitted after its due date, or past it and not submitted: a late submission stays late."""
        return self.days_late > 0

    @property
    def turnover_percent(self) -> str:
        found = self.assurance_return
        if found is None or found.leavers is None or not found.safeguarding_posts:
            return ""
        return percent(found.leavers, found.safeguarding_posts)


@dataclass(frozen=True)
class ReturnsSummary:
    """How a cycle's returns stand: submitted on time or late; drafts and returns not started, past due or not."""

    total: int
    submitted: int
    submitted_late: int
    draft_late: int
    not_started_late: int

    @classmethod
    def of(cls, rows: list[ReturnRow]) -> ReturnsSummary:
        def count(state: str, *, late: bool | None = None) -> int:
            return sum(1 for row in rows if row.state == state and (late is None or row.late == late))

        return cls(
            total=len(rows),
            submitted=count("submitted"),
            submitted_late=count("submitted", late=True),
            draft_late=count("draft", late=True),
            not_started_late=count("not_started", late=True),
        )

    @property
    def submitted_on_time(self) -> int:
        return self.submitted - self.submitted_late

    @property
    def overdue(self) -> int:
        """Past due and still not submitted."""
        return self.draft_late + self.not_started_late

    @property
    def late(self) -> int:
        """Late in any way: submitted late, or past due and not submitted."""
        return self.submitted_late + self.overdue

    @property
    def not_yet_due(self) -> int:
        return self.total - self.submitted - self.overdue

    def sentences(self) -> list[str]:
        """The summary line, each count said: '9 of 15 returns submitted (7 on time, 2 late). ...'."""
        words = [
            ngettext(
                "%(submitted)s of %(total)s return submitted (%(on_time)s on time, %(late)s late).",
                "%(submitted)s of %(total)s returns submitted (%(on_time)s on time, %(late)s late).",
                self.total,
            )
            % {
                "submitted": self.submitted,
                "total": self.total,
                "on_time": self.submitted_on_time,
                "late": self.submitted_late,
            }
        ]
        if self.overdue:
            words.append(
                _("Past due and not submitted: %(draft)s in draft, %(not_started)s not started.")
                % {"draft": self.draft_late, "not_started": self.not_started_late}
            )
        if self.not_yet_due:
            words.append(_("Not yet due: %(count)s.") % {"count": self.not_yet_due})
        return words


def percent(part: int | Decimal, whole: int | Decimal) -> str:
    """'15%': a share to the nearest whole percent."""
    return f"{round(Decimal(part) * 100 / Decimal(whole))}%"


def days_late(
    due_on: datetime.date, assurance_return: AssuranceReturn | None, today: datetime.date | None = None
) -> int:
    """Days after `due_on` the return was submitted, or, not submitted, `today` is (default: the local date);
    0 when on time or not yet due."""
    if assurance_return is not None and assurance_return.submitted_at is not None:
        day = timezone.localtime(assurance_return.submitted_at).date()
    else:
        day = today or timezone.localdate()
    return max((day - due_on).days, 0)


def cycle_returns(*, user: Practitioner, cycle: Cycle) -> list[ReturnRow]:
    """Every partner agency's returns for the cycle (the board), or the user's own agency's: one row per return,
    and a 'not started' row for an agency with no return for the cycle's whole period."""
    require(can_view_cycle(user, cycle))
    agencies = cycle.partner_agencies.select_related("local_authority").order_by("name")
    if not runs_cycle(user, cycle):
        agencies = agencies.filter(practitioners=user)
    returns = (
        AssuranceReturn.objects.filter(cycle=cycle, agency__in=agencies)
        .prefetch_related("training")
        .order_by("period_start", "pk")
    )
    by_agency: dict[int, list[AssuranceReturn]] = {}
    for found in returns:
        by_agency.setdefault(found.agency_id, []).append(found)
    today = timezone.localdate()
    rows: list[ReturnRow] = []
    for agency in agencies:
        own = by_agency.get(agency.pk, [])
        if not any(found.period_start == cycle.period_start for found in own):
            rows.append(
                ReturnRow(
                    agency=agency,
                    period_start=cycle.period_start,
                    period_end=cycle.period_end,
                    due_on=cycle.contributions_due,
                    assurance_return=None,
                    today=today,
                )
            )
        rows.extend(
            ReturnRow(
                agency=agency,
                period_start=found.period_start,
                period_end=found.period_end,
                due_on=found.due_on,
                assurance_return=found,
                today=today,
                training={line.level: line for line in found.training.all()},
            )
            for found in own
        )
    return rows


def return_get(*, user: Practitioner, pk: int) -> AssuranceReturn:
    """One return, for the board or its own agency; anyone else is told it does not exist."""
    found = (
        AssuranceReturn.objects.select_related("cycle", "agency", "submitted_by", "updated_by")
        .prefetch_related("training")
        .get(pk=pk)
    )
    if not can_see_return(user, found):
        raise AssuranceReturn.DoesNotExist
    return found


def has_submitted(cycle: Cycle, agency: Agency) -> bool:
    """Whether `agency` has submitted any return in `cycle` (so a partner's empty evidence can be told apart)."""
    return AssuranceReturn.objects.filter(cycle=cycle, agency=agency, submitted_at__isnull=False).exists()


def late_returns(*, today: datetime.date | None = None) -> QuerySet[AssuranceReturn]:
    """Returns past their due date and not submitted, in cycles not yet signed off (what the chase works on)."""
    day = today or timezone.localdate()
    return AssuranceReturn.objects.filter(
        submitted_at__isnull=True, due_on__lt=day, cycle__signed_off_at__isnull=True
    ).select_related("cycle", "agency")


@dataclass(frozen=True)
class ReturnFigure:
    """One figure from one agency's submitted return, as evidence for a C: `figure` out of `out_of`, in words."""

    agency: Agency
    measure: str
    figure: int | Decimal
    out_of: int | Decimal
    words: str
    falls_short: bool
    assurance_return: AssuranceReturn


def _supervision(found: AssuranceReturn) -> list[ReturnFigure]:
    held, expected = found.supervision_held, found.supervision_expected
    if held is None or not expected:
        return []
    words = _("%(held)s of %(expected)s supervision sessions held (%(percent)s)") % {
        "held": held,
        "expected": expected,
        "percent": percent(held, expected),
    }
    return [ReturnFigure(found.agency, _("Supervision"), held, expected, words, held < expected, found)]


def _training(found: AssuranceReturn) -> list[ReturnFigure]:
    return [
        ReturnFigure(
            found.agency,
            level_label(line.level),
            line.compliance_percent,
            line.target_percent,
            _("%(level)s: %(trained)s%% of staff trained, against a target of %(target)s%%")
            % {"level": level_label(line.level), "trained": line.compliance_percent, "target": line.target_percent},
            line.compliance_percent < line.target_percent,
            found,
        )
        for line in found.training.all()
    ]


def _capacity(found: AssuranceReturn) -> list[ReturnFigure]:
    figures = []
    filled, posts = found.designated_lead_posts_filled, found.designated_lead_posts
    if filled is not None and posts:
        words = _("%(filled)s of %(posts)s designated safeguarding lead posts filled") % {
            "filled": filled,
            "posts": posts,
        }
        figures.append(ReturnFigure(found.agency, _("Designated leads"), filled, posts, words, filled < posts, found))
    vacancies, roles = found.vacancies, found.safeguarding_posts
    if vacancies is not None and roles:
        words = _("%(vacancies)s of %(posts)s posts in safeguarding roles vacant (%(percent)s)") % {
            "vacancies": vacancies,
            "posts": roles,
            "percent": percent(vacancies, roles),
        }
        figures.append(ReturnFigure(found.agency, _("Vacancies"), vacancies, roles, words, vacancies > 0, found))
    return figures


def _continuity(found: AssuranceReturn) -> list[ReturnFigure]:
    leavers, posts = found.leavers, found.safeguarding_posts
    if leavers is None or not posts:
        return []
    words = _("%(leavers)s leavers from %(posts)s posts in safeguarding roles: %(percent)s turnover") % {
        "leavers": leavers,
        "posts": posts,
        "percent": percent(leavers, posts),
    }
    return [ReturnFigure(found.agency, _("Turnover"), leavers, posts, words, leavers > 0, found)]


FIGURES = {Component.C2: _supervision, Component.C3: _training, Component.C4: _capacity, Component.C9: _continuity}


def returns_evidence(cycle: Cycle, component: str, *, agency: Agency | None = None) -> list[ReturnFigure]:
    """The figures of each agency's latest submitted return in `cycle` that bear on `component` (none for a C the
    returns say nothing about); only `agency`'s when given. The caller decides who may see them."""
    make = FIGURES.get(Component(component)) if component in Component.values else None
    if make is None:
        return []
    submitted = (
        AssuranceReturn.objects.filter(cycle=cycle, submitted_at__isnull=False)
        .select_related("agency")
        .prefetch_related("training")
        .order_by("agency__name", "agency_id", "-period_end", "-pk")
    )
    if agency is not None:
        submitted = submitted.filter(agency=agency)
    figures: list[ReturnFigure] = []
    seen: set[int] = set()
    for found in submitted:
        if found.agency_id not in seen:
            seen.add(found.agency_id)
            figures.extend(make(found))
    return figures
