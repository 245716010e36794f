"""Reads for reviews: the clocks and their lateness, the durations, the quality checklist, open recommendations and
recurring themes, the library's search, and an agency's own actions.

Reviews are known by code and hold no one's name, so these reads are not access-logged, except the board's link
to a child's Cylch record, which is shown through `cylch.access.reads` like any other sight of a person.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Count, DateField, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncDate
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cylch.access.reads import OVERSIGHT, disclose
from cylch.accounts.models import Agency, Practitioner
from cylch.core.templatetags.govuk import localised_name
from cylch.people.models import Person
from cylch.reviews.definitions import INCIDENT, ClockUnit, Milestone, add_months, clock_due
from cylch.reviews.models import (
    OPEN_ACTION_STATUSES,
    Action,
    ActionStatus,
    Finding,
    Recommendation,
    Review,
    ReviewDocument,
    ReviewStage,
    Theme,
)
from cylch.reviews.permissions import can_run_reviews

DAYS_PER_MONTH = 365.25 / 12
EXPECTED_MONTHS = 6


def reviews_for(*, user: Practitioner) -> QuerySet[Review]:
    """The reviews of the board officer's region; none for anyone else."""
    if not can_run_reviews(user) or user.agency is None:
        return Review.objects.none()
    return Review.objects.filter(local_authority__region_id=user.agency.local_authority.region_id)


def review_get(*, user: Practitioner, code: str) -> Review:
    """One review of the reader's region (Review.DoesNotExist otherwise, so a code is not confirmed to exist)."""
    return (
        reviews_for(user=user)
        .select_related("local_authority", "person")
        .prefetch_related(
            "stages",
            "findings",
            Prefetch(
                "recommendations",
                queryset=Recommendation.objects.select_related("finding", "owner_agency").prefetch_related(
                    Prefetch("actions", queryset=Action.objects.select_related("owner_agency"))
                ),
            ),
            Prefetch("documents", queryset=ReviewDocument.objects.defer("content", "text")),
        )
        .get(code=code.upper())
    )


def linked_child(*, user: Practitioner, review: Review, request: HttpRequest | None = None) -> Person | None:
    """The child's record linked to the review, for the board; showing it is logged on the child's access log."""
    if review.person is None or not can_run_reviews(user):
        return None
    disclose(
        user=user, people=[review.person], page="review", request=request, other_basis={review.person.pk: OVERSIGHT}
    )
    return review.person


# --- clocks -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StageClock:
    stage: ReviewStage
    due_on: datetime.date | None
    days_late: int  # > 0: done late, or not done and past due
    done: bool
    anchor_label: str

    @property
    def late(self) -> bool:
        return self.days_late > 0

    @property
    def clock_text(self) -> str | Promise:
        if not self.stage.clock_unit or self.stage.clock_amount is None:
            return _("No timescale")
        anchor = self.anchor_label
        if self.stage.clock_unit == ClockUnit.WORKING_DAYS:
            return _("%(n)s working days from %(anchor)s") % {"n": self.stage.clock_amount, "anchor": anchor}
        return _("%(n)s months from %(anchor)s") % {"n": self.stage.clock_amount, "anchor": anchor}


def stage_clocks(review: Review, *, today: datetime.date | None = None) -> list[StageClock]:
    """Each stage's due date, counted from its anchor (the anchor stage's actual date, or while it has none its
    due date), and how many days late it is or was."""
    today = today or timezone.localdate()
    stages = sorted(review.stages.all(), key=lambda s: s.position)
    dates: dict[str, datetime.date | None] = {INCIDENT: review.incident_date}
    labels: dict[str, str] = {INCIDENT: str(_("the incident"))}
    clocks = []
    for stage in stages:
        anchor_on = dates.get(stage.anchor)
        due = None
        if anchor_on is not None and stage.clock_unit and stage.clock_amount is not None:
            due = clock_due(anchor_on, ClockUnit(stage.clock_unit), stage.clock_amount)
        dates[stage.code] = stage.actual_on or due
        labels[stage.code] = stage.label()
        measured_on = stage.actual_on or today
        days_late = (measured_on - due).days if due is not None else 0
        clocks.append(
            StageClock(
                stage=stage,
                due_on=due,
                days_late=max(days_late, 0),
                done=stage.actual_on is not None,
                anchor_label=labels.get(stage.anchor, stage.anchor),
            )
        )
    return clocks


def _months(start: datetime.date | None, end: datetime.date | None) -> float | None:
    if start is None or end is None:
        return None
    return round((end - start).days / DAYS_PER_MONTH, 1)


@dataclass(frozen=True)
class Timeliness:
    review: Review
    clocks: list[StageClock]
    referral_on: datetime.date | None
    learning_event_on: datetime.date | None
    completed_on: datetime.date | None
    incident_to_referral: float | None
    referral_to_completion: float | None
    incident_to_learning_event: float | None
    incident_to_completion: float | None
    days_late: int  # the latest stage's lateness: how far behind the review is now
    next_stage: StageClock | None

    @property
    def is_open(self) -> bool:
        return self.completed_on is None

    @property
    def late_stages(self) -> list[StageClock]:
        return [clock for clock in self.clocks if clock.late]


def timeliness(review: Review, *, today: datetime.date | None = None) -> Timeliness:
    """The four durations the 2023 analysis measured (in months) and how late the review is."""
    clocks = stage_clocks(review, today=today)
    actual = {Milestone(c.stage.milestone): c.stage.actual_on for c in clocks if c.stage.milestone}
    referral = actual.get(Milestone.REFERRAL)
    learning = actual.get(Milestone.LEARNING_EVENT)
    completed = actual.get(Milestone.COMPLETION)
    pending = [c for c in clocks if not c.done and c.due_on is not None]
    return Timeliness(
        review=review,
        clocks=clocks,
        referral_on=referral,
        learning_event_on=learning,
        completed_on=completed,
        incident_to_referral=_months(review.incident_date, referral),
        referral_to_completion=_months(referral, completed),
        incident_to_learning_event=_months(review.incident_date, learning),
        incident_to_completion=_months(review.incident_date, completed),
        days_late=max((c.days_late for c in clocks if c.stage.milestone or not c.done), default=0),
        next_stage=min(pending, key=lambda c: c.due_on or datetime.date.max) if pending else None,
    )


def _with_stages(reviews: QuerySet[Review]) -> QuerySet[Review]:
    return reviews.select_related("local_authority").prefetch_related("stages")


def reviews_timeliness(*, user: Practitioner, today: datetime.date | None = None) -> list[Timeliness]:
    """Every review of the region with its durations, oldest incident first."""
    reviews = _with_stages(reviews_for(user=user)).order_by("incident_date", "code")
    return [timeliness(review, today=today) for review in reviews]


def by_lateness(rows: list[Timeliness]) -> list[Timeliness]:
    """The open reviews among `rows` (not yet complete), the latest first."""
    return sorted((row for row in rows if row.is_open), key=lambda row: (-row.days_late, row.review.code))


def current_reviews_by_lateness(*, user: Practitioner, today: datetime.date | None = None) -> list[Timeliness]:
    """The board's open reviews, the latest first."""
    return by_lateness(reviews_timeliness(user=user, today=today))


# --- charts (server-drawn SVG: readable without JavaScript, each with a table beside it) ----------------------


@dataclass(frozen=True)
class TimelineRow:
    label: str
    y: int
    due_x: float | None
    actual_x: float | None
    late: bool
    done: bool


@dataclass(frozen=True)
class Timeline:
    width: int
    height: int
    rows: list[TimelineRow]
    today_x: float
    ticks: list[tuple[float, str]]


CHART_LEFT, CHART_WIDTH, ROW_HEIGHT = 260, 520, 26


def _scale(start: datetime.date, end: datetime.date) -> tuple[float, datetime.date]:
    span = max((end - start).days, 1)
    return CHART_WIDTH / span, start


def timeline_chart(times: Timeliness, *, today: datetime.date | None = None) -> Timeline:
    """Each stage on one line from the incident: its due date (a tick) and when it happened (a dot), late in red."""
    today = today or timezone.localdate()
    dates = [times.review.incident_date, today]
    dates += [d for c in times.clocks for d in (c.due_on, c.stage.actual_on) if d is not None]
    start, end = min(dates), max(dates)
    per_day, origin = _scale(start, end)

    def x(day: datetime.date | None) -> float | None:
        return None if day is None else round(CHART_LEFT + (day - origin).days * per_day, 1)

    rows = [
        TimelineRow(
            label=clock.stage.label(),
            y=30 + index * ROW_HEIGHT,
            due_x=x(clock.due_on),
            actual_x=x(clock.stage.actual_on),
            late=clock.late,
            done=clock.done,
        )
        for index, clock in enumerate(times.clocks)
    ]
    ticks = []
    year = start.year
    while datetime.date(year, 1, 1) <= end:
        if datetime.date(year, 1, 1) >= start:
            ticks.append((x(datetime.date(year, 1, 1)) or 0.0, str(year)))
        year += 1
    return Timeline(
        width=CHART_LEFT + CHART_WIDTH + 20,
        height=40 + len(rows) * ROW_HEIGHT,
        rows=rows,
        today_x=x(today) or 0.0,
        ticks=ticks,
    )


@dataclass(frozen=True)
class DurationBar:
    code: str
    y: int
    referral_width: float  # incident to referral
    review_width: float  # referral to completion (or to today while open)
    is_open: bool
    months: float | None


@dataclass(frozen=True)
class DurationChart:
    width: int
    height: int
    bars: list[DurationBar]
    expected_x: float  # 6 months after referral, drawn from the average referral
    ticks: list[tuple[float, int]]
    max_months: float


def duration_chart(rows: list[Timeliness], *, today: datetime.date | None = None) -> DurationChart:
    """One bar per review: incident to referral, then referral to completion (or to today), in months."""
    today = today or timezone.localdate()
    spans = []
    for row in rows:
        referral = row.referral_on or today
        end = row.completed_on or today
        spans.append((row, _months(row.review.incident_date, referral) or 0.0, _months(referral, end) or 0.0))
    max_months = max([a + b for _row, a, b in spans] + [EXPECTED_MONTHS * 2.0])
    per_month = CHART_WIDTH / max_months
    left = 140
    bars = [
        DurationBar(
            code=row.review.code,
            y=30 + index * 22,
            referral_width=round(a * per_month, 1),
            review_width=round(b * per_month, 1),
            is_open=row.is_open,
            months=row.incident_to_completion,
        )
        for index, (row, a, b) in enumerate(spans)
    ]
    average_referral = sum(a for _row, a, _b in spans) / len(spans) if spans else 0.0
    return DurationChart(
        width=left + CHART_WIDTH + 20,
        height=50 + len(bars) * 22,
        bars=bars,
        expected_x=round(left + (average_referral + EXPECTED_MONTHS) * per_month, 1),
        ticks=[(round(left + m * per_month, 1), m) for m in range(0, int(max_months) + 1, 6)],
        max_months=max_months,
    )


@dataclass(frozen=True)
class DurationSummary:
    reviews: int
    completed: int
    completed_late: int
    average_referral_to_completion: float | None
    average_incident_to_completion: float | None


def duration_summary(rows: list[Timeliness]) -> DurationSummary:
    done = [row for row in rows if row.referral_to_completion is not None]

    def average(values: list[float | None]) -> float | None:
        present = [v for v in values if v is not None]
        return round(sum(present) / len(present), 1) if present else None

    return DurationSummary(
        reviews=len(rows),
        completed=len(done),
        completed_late=sum(1 for row in done if (row.referral_to_completion or 0) > EXPECTED_MONTHS),
        average_referral_to_completion=average([row.referral_to_completion for row in done]),
        average_incident_to_completion=average([row.incident_to_completion for row in done]),
    )


# --- the quality checklist --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChecklistItem:
    label: str | Promise
    passed: bool
    missing: list[str | Promise] = field(default_factory=list)


@dataclass(frozen=True)
class Checklist:
    items: list[ChecklistItem]

    @property
    def score(self) -> int:
        return sum(1 for item in self.items if item.passed)

    @property
    def total(self) -> int:
        return len(self.items)


def _key_dates_missing(review: Review, today: datetime.date) -> list[str | Promise]:
    """A stage already due with no date recorded (and the milestones, whatever their clocks say)."""
    missing: list[str | Promise] = []
    for clock in stage_clocks(review, today=today):
        stage = clock.stage
        due_passed = clock.due_on is not None and clock.due_on < today
        if not clock.done and (due_passed or stage.milestone == Milestone.REFERRAL):
            missing.append(_("No date for: %(stage)s") % {"stage": stage.label()})
    return missing


def quality_checklist(review: Review, *, today: datetime.date | None = None) -> Checklist:
    """DOMAIN's list of what good reviews had and poor ones lacked; each item names what is missing."""
    today = today or timezone.localdate()
    findings = list(review.findings.all())
    recommendations = list(review.recommendations.all())
    items = []

    dates_missing = _key_dates_missing(review, today)
    items.append(ChecklistItem(_("Key dates present"), not dates_missing, dates_missing))

    missing: list[str | Promise] = []
    if not review.ethnicity:
        missing.append(_("The child's ethnicity is not recorded"))
    if not review.family_details.strip():
        missing.append(_("The family's details are not recorded"))
    items.append(ChecklistItem(_("Ethnicity and family recorded"), not missing, missing))

    period_missing: list[str | Promise] = []
    if review.review_period_start is None or review.review_period_end is None:
        period_missing.append(_("The review period is not recorded"))
    elif (
        review.review_period_end > add_months(review.review_period_start, 12)
        and not review.review_period_rationale.strip()
    ):
        period_missing.append(_("The review period is over 12 months with no rationale"))
    items.append(ChecklistItem(_("Review period justified"), not period_missing, period_missing))

    family_ok = bool(review.family_views.strip() or review.family_not_involved_reason.strip())
    items.append(
        ChecklistItem(
            _("Family's views included, or why not"),
            family_ok,
            [] if family_ok else [_("Neither the family's views nor why they are not included")],
        )
    )
    practitioners_ok = bool(review.practitioner_involvement.strip())
    items.append(
        ChecklistItem(
            _("Practitioners involved"),
            practitioners_ok,
            [] if practitioners_ok else [_("How practitioners took part is not recorded")],
        )
    )
    story_ok = bool(review.child_story.strip())
    items.append(
        ChecklistItem(
            _("The child's story and voice at the front"),
            story_ok,
            [] if story_ok else [_("The child's story and voice are not written")],
        )
    )
    analysis_ok = bool(review.analysis.strip())
    items.append(
        ChecklistItem(
            _("Analysis of why, not only what happened"),
            analysis_ok,
            [] if analysis_ok else [_("There is no analysis of why things happened")],
        )
    )
    themed = bool(findings) and all(f.theme for f in findings)
    items.append(
        ChecklistItem(_("Findings grouped into themes"), themed, [] if themed else [_("No findings are recorded")])
    )
    rec_missing: list[str | Promise] = []
    if not recommendations:
        rec_missing.append(_("No recommendations are recorded"))
    for rec in recommendations:
        if not rec.measure.strip():
            rec_missing.append(_("Recommendation %(n)s has no measure") % {"n": rec.number})
    items.append(
        ChecklistItem(
            _("Each recommendation linked to a finding, with an owner, an intended outcome and a measure"),
            not rec_missing,
            rec_missing,
        )
    )
    levels_ok = bool(recommendations)
    items.append(
        ChecklistItem(
            _("Local, regional and national recommendations distinguished"),
            levels_ok,
            [] if levels_ok else [_("No recommendations are recorded")],
        )
    )
    return Checklist(items=items)


# --- recommendations across reviews ----------------------------------------------------------------------------


def _open_actions() -> Q:
    return Q(status__in=OPEN_ACTION_STATUSES)


def open_recommendations(
    *, user: Practitioner, theme: str = "", owner: Agency | None = None
) -> QuerySet[Recommendation]:
    """Recommendations of the region not yet answered: with no actions, or with an action the board has not
    closed. Oldest first, so the longest-waiting are read first; `made_on` is the date each was made."""
    open_action = Action.objects.filter(_open_actions(), recommendation=OuterRef("pk"))
    any_action = Action.objects.filter(recommendation=OuterRef("pk"))
    # Made when the review was completed (its report agreed); the row's own date for a review not yet completed.
    completed_on = ReviewStage.objects.filter(
        review=OuterRef("review"), milestone=Milestone.COMPLETION, actual_on__isnull=False
    ).values("actual_on")
    recs = (
        Recommendation.objects.filter(review__in=reviews_for(user=user))
        .filter(Exists(open_action) | ~Exists(any_action))
        .select_related("review", "finding", "owner_agency")
        .annotate(
            open_actions=Count("actions", filter=Q(actions__status__in=OPEN_ACTION_STATUSES)),
            made_on=Coalesce(Subquery(completed_on[:1]), TruncDate("created_at"), output_field=DateField()),
        )
        .order_by("made_on", "pk")
    )
    if theme:
        recs = recs.filter(finding__theme=theme)
    if owner is not None:
        recs = recs.filter(owner_agency=owner)
    return recs


@dataclass(frozen=True)
class ThemeCount:
    theme: str
    label: str | Promise
    reviews: int
    open_recommendations: int


def recurring_themes(*, user: Practitioner) -> list[ThemeCount]:
    """Themes found in more than one review, the most frequent first, with how many recommendations stay open."""
    findings = Finding.objects.filter(review__in=reviews_for(user=user))
    reviews_by_theme = {
        row["theme"]: row["n"] for row in findings.values("theme").annotate(n=Count("review", distinct=True))
    }
    open_by_theme = Counter(open_recommendations(user=user).values_list("finding__theme", flat=True))
    labels = dict(Theme.choices)
    rows = [
        ThemeCount(theme=t, label=labels.get(t, t), reviews=n, open_recommendations=open_by_theme.get(t, 0))
        for t, n in reviews_by_theme.items()
        if n > 1
    ]
    return sorted(rows, key=lambda row: (-row.reviews, str(row.label)))


def open_by_owner(*, user: Practitioner) -> list[tuple[Agency, int]]:
    """How many open recommendations each agency owns (the agency, for its name in the reader's language)."""
    counts = Counter(open_recommendations(user=user).values_list("owner_agency", flat=True))
    agencies = Agency.objects.in_bulk(list(counts))
    return sorted(((agencies[pk], n) for pk, n in counts.items()), key=lambda item: (-item[1], localised_name(item[0])))


# --- an agency's own actions --------------------------------------------------------------------------------------


def agency_actions(*, user: Practitioner, include_closed: bool = False) -> QuerySet[Action]:
    """The actions the practitioner's agency owns (none without an agency), overdue first."""
    if user.agency_id is None or not user.is_active:
        return Action.objects.none()
    actions = Action.objects.filter(owner_agency_id=user.agency_id)
    if not include_closed:
        actions = actions.filter(status__in=OPEN_ACTION_STATUSES)
    return actions.select_related("recommendation__review", "recommendation__finding", "owner_agency").order_by(
        "due_on", "pk"
    )


@dataclass(frozen=True)
class ActionCounts:
    open: int
    overdue: int


def agency_action_counts(*, user: Practitioner, today: datetime.date | None = None) -> ActionCounts:
    today = today or timezone.localdate()
    actions = agency_actions(user=user).exclude(status=ActionStatus.COMPLETED)
    return ActionCounts(open=actions.count(), overdue=actions.filter(due_on__lt=today).count())


def action_get(*, user: Practitioner, pk: int) -> Action:
    """An action its owning agency or the region's board may open (Action.DoesNotExist for anyone else)."""
    board_reviews = reviews_for(user=user)
    visible = Q(recommendation__review__in=board_reviews)
    if user.agency_id is not None:
        visible |= Q(owner_agency_id=user.agency_id)
    return (
        Action.objects.filter(visible)
        .select_related("recommendation__review", "recommendation__finding", "owner_agency", "closed_by")
        .get(pk=pk)
    )


def reviews_with_agency_actions(*, user: Practitioner) -> QuerySet[Review]:
    """For the API: the board's reviews, or the reviews where the reader's agency owns an action or a
    recommendation."""
    if can_run_reviews(user):
        return reviews_for(user=user)
    if user.agency_id is None or not user.is_active:
        return Review.objects.none()
    return Review.objects.filter(
        Q(recommendations__owner_agency_id=user.agency_id) | Q(recommendations__actions__owner_agency_id=user.agency_id)
    ).distinct()


def review_actions_for(*, user: Practitioner, code: str) -> QuerySet[Action]:
    """For the API: all of a review's actions for its board, only its own for an owning agency."""
    actions = Action.objects.filter(recommendation__review__code=code.upper()).select_related(
        "recommendation__review", "recommendation__finding", "owner_agency"
    )
    if can_run_reviews(user):
        return actions.filter(recommendation__review__in=reviews_for(user=user))
    if user.agency_id is None or not user.is_active:
        return Action.objects.none()
    return actions.filter(owner_agency_id=user.agency_id)


# --- the library ------------------------------------------------------------------------------------------------


@dataclass
class LibraryHit:
    review: Review
    matches: list[tuple[str | Promise, str]] = field(default_factory=list)  # (where, snippet)
    rank: float = 0.0


SNIPPET_CHARS = 90


def _snippet(text: str, terms: list[str]) -> str:
    lowered = text.lower()
    positions = [lowered.find(t) for t in terms if lowered.find(t) >= 0]
    at = min(positions) if positions else 0
    start = max(at - SNIPPET_CHARS, 0)
    piece = " ".join(text[start : at + SNIPPET_CHARS * 2].split())
    return ("…" if start else "") + piece + ("…" if at + SNIPPET_CHARS * 2 < len(text) else "")


def _terms(query: str) -> list[str]:
    return [t.lower() for t in re.findall(r"\w+", query)][:10]


def _matching(model_rows: QuerySet[Any], text_field: str, query: str) -> QuerySet[Any]:
    """Rows whose text matches: PostgreSQL full-text search (English stemming, so 'neglected' finds 'neglect'),
    or on SQLite every word somewhere in the text."""
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        vector = SearchVector(text_field, config="english")
        search = SearchQuery(query, config="english", search_type="websearch")
        matched: QuerySet[Any] = model_rows.annotate(document=vector).filter(document=search)
        ranked: QuerySet[Any] = matched.annotate(rank=SearchRank(vector, search)).order_by("-rank")
        return ranked
    rows = model_rows
    for term in _terms(query):
        rows = rows.filter(**{f"{text_field}__icontains": term})
    return rows


def library_reviews(
    *,
    user: Practitioner,
    review_type: str = "",
    year: int | None = None,
    theme: str = "",
    local_authority_id: int | None = None,
) -> QuerySet[Review]:
    """The region's reviews, filtered by type, year of publication, theme and local authority."""
    reviews = reviews_for(user=user)
    if review_type:
        reviews = reviews.filter(review_type=review_type)
    if year is not None:
        reviews = reviews.filter(stages__milestone=Milestone.PUBLICATION, stages__actual_on__year=year)
    if theme:
        reviews = reviews.filter(findings__theme=theme)
    if local_authority_id is not None:
        reviews = reviews.filter(local_authority_id=local_authority_id)
    return (
        reviews.distinct()
        .select_related("local_authority")
        .prefetch_related(Prefetch("documents", queryset=ReviewDocument.objects.defer("content", "text")))
    )


def library_search(
    *,
    user: Practitioner,
    query: str = "",
    review_type: str = "",
    year: int | None = None,
    theme: str = "",
    local_authority_id: int | None = None,
) -> list[LibraryHit]:
    """Reviews whose reports, briefings, findings or recommendations match `query` (all, without one), each with
    where it matched and a snippet, best match first."""
    reviews = library_reviews(
        user=user, review_type=review_type, year=year, theme=theme, local_authority_id=local_authority_id
    )
    query = query.strip()[:200]
    if not _terms(query):
        return [LibraryHit(review=review) for review in reviews.order_by("-incident_date", "code")]
    by_review = {review.pk: review for review in reviews}
    hits: dict[int, LibraryHit] = {}
    terms = _terms(query)
    sources: list[tuple[QuerySet[Any], str, str | Promise]] = [
        (ReviewDocument.objects.filter(review_id__in=by_review).only("review_id", "text", "kind"), "text", _("Report")),
        (Finding.objects.filter(review_id__in=by_review), "text", _("Finding")),
        (Recommendation.objects.filter(review_id__in=by_review), "text", _("Recommendation")),
    ]
    for rows, text_field, where in sources:
        for row in _matching(rows, text_field, query)[:200]:
            hit = hits.setdefault(row.review_id, LibraryHit(review=by_review[row.review_id]))
            if len(hit.matches) < 3:
                hit.matches.append((where, _snippet(getattr(row, text_field), terms)))
            hit.rank += float(getattr(row, "rank", 1.0))
    return sorted(hits.values(), key=lambda hit: (-hit.rank, hit.review.code))


def document_get(*, user: Practitioner, pk: int) -> ReviewDocument:
    return ReviewDocument.objects.select_related("review").get(pk=pk, review__in=reviews_for(user=user))


def theme_counts_by_review(reviews: list[Review]) -> dict[int, list[str]]:
    """The themes of each review's findings (for the library's results)."""
    themes: dict[int, set[str]] = defaultdict(set)
    for review_id, theme in Finding.objects.filter(review__in=reviews).values_list("review_id", "theme"):
        themes[review_id].add(theme)
    labels = dict(Theme.choices)
    return {pk: sorted(str(labels.get(t, t)) for t in values) for pk, values in themes.items()}
