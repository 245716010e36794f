"""Agencies' assurance returns: a draft the agency fills in, then submits; the board can reopen a submitted one.

Every figure is checked here, whoever calls (page, import or test): a count is a whole number from 0 to
`MAX_COUNT`, filled posts and vacancies are not more than the posts, training shares are percentages to one decimal
place. Errors are keyed by the names the return form uses, so each lands on its own box, and nothing is stored.
Each save writes a revision with the training lines in its snapshot, so the history shows the whole return.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from cylch.accounts.models import Agency, Practitioner
from cylch.assurance.history import record_revision
from cylch.assurance.models import AssuranceReturn, Cycle, TrainingCompliance, TrainingLevel
from cylch.assurance.permissions import can_contribute, cycle_editable, require, runs_cycle

# The return's counts, in the order the form asks for them.
COUNT_FIELDS = (
    "supervision_expected",
    "supervision_held",
    "designated_lead_posts",
    "designated_lead_posts_filled",
    "safeguarding_posts",
    "vacancies",
    "leavers",
)
# No agency in a Welsh region has a hundred thousand staff in safeguarding roles; above this a figure is a slip.
MAX_COUNT = 100_000
ONE_PLACE = Decimal("0.1")
# An extension runs at most a year past the cycle's due date (a later date is a slip of the year).
MAX_EXTENSION = datetime.timedelta(days=365)
# A reason fits in the history's one-line summary.
MAX_REASON = 200

Counts = Mapping[str, int | None]
# Training group -> (share of staff trained, target), each a percentage or None when not given.
Training = Mapping[str, tuple[Decimal | None, Decimal | None]]


def count_label(name: str) -> str:
    """'supervision_held' -> 'Supervision sessions held', in the active language (a box's label)."""
    return str(capfirst(count_name(name)))


def count_name(name: str) -> str:
    """'supervision_held' -> 'supervision sessions held': the label as it reads mid-sentence, in either language."""
    field = cast("models.Field[Any, Any]", AssuranceReturn._meta.get_field(name))
    return str(field.verbose_name)


def level_label(level: str) -> str:
    """'group_b' -> 'Group B' (the group's name without its description), in the active language."""
    return str(TrainingLevel(level).label).split(":", 1)[0]


def level_letter(level: str) -> str:
    """'group_b' -> 'B': messages say 'Group %(group)s' themselves, so Welsh can mutate it ('yng Ngrŵp B')."""
    return level.rsplit("_", 1)[-1].upper()


def _count_errors(counts: Counts) -> dict[str, str]:
    errors: dict[str, str] = {}
    for name in COUNT_FIELDS:
        value = counts.get(name)
        if value is None:
            continue
        if value < 0:
            errors[name] = _("The figure for %(field)s cannot be negative") % {"field": count_name(name)}
        elif value > MAX_COUNT:
            errors[name] = _("The figure for %(field)s must be %(max)s or fewer") % {
                "field": count_name(name),
                "max": f"{MAX_COUNT:,}",
            }
    for part, whole in (("designated_lead_posts_filled", "designated_lead_posts"), ("vacancies", "safeguarding_posts")):
        value, limit = counts.get(part), counts.get(whole)
        if part not in errors and whole not in errors and value is not None and limit is not None and value > limit:
            errors[part] = _("The figure for %(field)s cannot be more than the figure for %(whole)s (%(limit)s)") % {
                "field": count_name(part),
                "whole": count_name(whole),
                "limit": limit,
            }
    return errors


def _percent_problem(value: Decimal | None) -> str:
    """'range', 'places' or '' (fine, or not given)."""
    if value is None:
        return ""
    if not value.is_finite() or value < 0 or value > 100:
        return "range"
    return "places" if value != value.quantize(ONE_PLACE) else ""


def _training_errors(training: Training) -> dict[str, str]:
    messages = {
        ("compliance", "missing"): _("Enter the share of staff in Group %(group)s who are trained"),
        ("target", "missing"): _("Enter the target for Group %(group)s"),
        ("compliance", "range"): _(
            "The share of staff in Group %(group)s who are trained must be a percentage from 0 to 100"
        ),
        ("target", "range"): _("The target for Group %(group)s must be a percentage from 0 to 100"),
        ("compliance", "places"): _(
            "The share of staff in Group %(group)s who are trained must have no more than one decimal place"
        ),
        ("target", "places"): _("The target for Group %(group)s must have no more than one decimal place"),
    }
    errors: dict[str, str] = {}
    for level, (compliance, target) in training.items():
        if level not in TrainingLevel.values:
            errors[f"compliance_{level}"] = _("Choose a training group from the list")
            continue
        given = compliance is not None or target is not None
        for part, value in (("compliance", compliance), ("target", target)):
            problem = "missing" if given and value is None else _percent_problem(value)
            if problem:
                errors[f"{part}_{level}"] = messages[part, problem] % {"group": level_letter(level)}
    return errors


def _period_errors(cycle: Cycle, start: datetime.date, end: datetime.date) -> dict[str, str]:
    if start < cycle.period_start or start > cycle.period_end:
        return {
            "period_start": _("The period must start within the cycle's period (%(start)s to %(end)s)") % _dates(cycle)
        }
    if end < start:
        return {"period_end": _("The end of the period must be the same as or after its start")}
    if end > cycle.period_end:
        return {"period_end": _("The period must end within the cycle's period (%(start)s to %(end)s)") % _dates(cycle)}
    return {}


def _dates(cycle: Cycle) -> dict[str, str]:
    return {"start": f"{cycle.period_start:%d/%m/%Y}", "end": f"{cycle.period_end:%d/%m/%Y}"}


def _apply(assurance_return: AssuranceReturn, counts: Counts, gaps: str, training: Training) -> None:
    for name in COUNT_FIELDS:
        setattr(assurance_return, name, counts.get(name))
    assurance_return.gaps = gaps.strip()
    given = {level: pair for level, pair in training.items() if pair[0] is not None and pair[1] is not None}
    assurance_return.training.exclude(level__in=given).delete()
    for level, (compliance, target) in given.items():
        TrainingCompliance.objects.update_or_create(
            assurance_return=assurance_return,
            level=level,
            defaults={"compliance_percent": compliance, "target_percent": target},
        )


def _record(assurance_return: AssuranceReturn, summary: str, user: Practitioner) -> None:
    revision = record_revision(
        cycle=assurance_return.cycle,
        record=assurance_return,
        subject="return",
        summary=summary,
        by=user,
        agency=assurance_return.agency,
    )
    revision.snapshot["training"] = {
        line.level: [str(line.compliance_percent), str(line.target_percent)]
        for line in assurance_return.training.order_by("level")
    }
    revision.save(update_fields=["snapshot"])


def _check(cycle: Cycle, start: datetime.date, end: datetime.date, counts: Counts, training: Training) -> None:
    errors = {**_period_errors(cycle, start, end), **_count_errors(counts), **_training_errors(training)}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def return_create(
    *,
    cycle: Cycle,
    agency: Agency,
    user: Practitioner,
    counts: Counts,
    gaps: str = "",
    training: Training | None = None,
    period_start: datetime.date | None = None,
    period_end: datetime.date | None = None,
) -> AssuranceReturn:
    """Start the agency's return for a period of the cycle (the cycle's whole period unless given), as a draft."""
    require(can_contribute(user, cycle, agency))
    cycle_editable(cycle)
    start, end = period_start or cycle.period_start, period_end or cycle.period_end
    training = training or {}
    _check(cycle, start, end, counts, training)
    blank = (
        AssuranceReturn.objects.select_for_update()
        .filter(cycle=cycle, agency=agency, period_start=start, updated_by__isnull=True, submitted_at__isnull=True)
        .first()
    )
    if blank is not None:  # the chase's blank draft: the agency's first save fills it in
        blank.period_end, blank.updated_by, blank.updated_at = end, user, timezone.now()
        _apply(blank, counts, gaps, training)
        blank.save()
        _record(blank, _("Return started"), user)
        return blank
    try:
        with transaction.atomic():
            assurance_return = AssuranceReturn.objects.create(
                cycle=cycle,
                agency=agency,
                period_start=start,
                period_end=end,
                due_on=cycle.contributions_due,
                updated_by=user,
            )
    except IntegrityError:
        raise ValidationError(
            {
                "period_start": _("Your agency already has a return for the period starting %(date)s")
                % {"date": f"{start:%d/%m/%Y}"}
            }
        ) from None
    _apply(assurance_return, counts, gaps, training)
    assurance_return.save()
    _record(assurance_return, _("Return started"), user)
    return assurance_return


def return_locked(cycle: Cycle, assurance_return: AssuranceReturn | None = None) -> str:
    """Why the agency cannot start or change a return ('' while it can): the cycle is signed off, or the return is
    submitted (the board can reopen it). The pages show this in place of a form the service would refuse."""
    try:
        cycle_editable(cycle)
    except ValidationError as error:
        return str(error.messages[0])
    if assurance_return is not None and assurance_return.submitted_at is not None:
        return _("This return was submitted on %(date)s. Ask the board to reopen it if a figure needs correcting.") % {
            "date": f"{timezone.localtime(assurance_return.submitted_at):%d/%m/%Y}"
        }
    return ""


def _editable_by_agency(assurance_return: AssuranceReturn, user: Practitioner) -> None:
    require(can_contribute(user, assurance_return.cycle, assurance_return.agency))
    cycle_editable(assurance_return.cycle)
    if assurance_return.submitted_at is not None:
        raise ValidationError(return_locked(assurance_return.cycle, assurance_return), code="submitted")


@transaction.atomic
def return_update(
    *,
    assurance_return: AssuranceReturn,
    user: Practitioner,
    counts: Counts,
    gaps: str = "",
    training: Training | None = None,
    period_start: datetime.date | None = None,
    period_end: datetime.date | None = None,
) -> AssuranceReturn:
    """Change a draft return (the agency's own practitioners, before it is submitted and the cycle signed off)."""
    assurance_return = AssuranceReturn.objects.select_for_update().get(pk=assurance_return.pk)
    _editable_by_agency(assurance_return, user)
    start = period_start or assurance_return.period_start
    end = period_end or assurance_return.period_end
    training = training or {}
    _check(assurance_return.cycle, start, end, counts, training)
    clash = AssuranceReturn.objects.filter(
        cycle=assurance_return.cycle, agency=assurance_return.agency, period_start=start
    ).exclude(pk=assurance_return.pk)
    if clash.exists():
        raise ValidationError(
            {
                "period_start": _("Your agency already has a return for the period starting %(date)s")
                % {"date": f"{start:%d/%m/%Y}"}
            }
        )
    assurance_return.period_start, assurance_return.period_end = start, end
    _apply(assurance_return, counts, gaps, training)
    assurance_return.updated_by, assurance_return.updated_at = user, timezone.now()
    assurance_return.save()
    _record(assurance_return, _("Return changed"), user)
    return assurance_return


def missing_for_submission(assurance_return: AssuranceReturn) -> list[str]:
    """What a return still needs before it can be submitted, each said in words naming the box."""
    missing = [
        _("Enter the figure for %(field)s") % {"field": count_name(name)}
        for name in COUNT_FIELDS
        if getattr(assurance_return, name) is None
    ]
    if not assurance_return.training.exists():
        missing.append(_("Give the share of staff trained, and the target, for at least one training group"))
    return missing


@transaction.atomic
def return_submit(*, assurance_return: AssuranceReturn, user: Practitioner) -> AssuranceReturn:
    """The agency's figures go to the board: complete, then read-only to the agency."""
    assurance_return = AssuranceReturn.objects.select_for_update().get(pk=assurance_return.pk)
    _editable_by_agency(assurance_return, user)
    missing = missing_for_submission(assurance_return)
    if missing:
        raise ValidationError(missing, code="incomplete")
    assurance_return.submitted_at, assurance_return.submitted_by = timezone.now(), user
    assurance_return.save(update_fields=["submitted_at", "submitted_by"])
    _record(assurance_return, _("Return submitted"), user)
    return assurance_return


@transaction.atomic
def return_reopen(*, assurance_return: AssuranceReturn, user: Practitioner) -> AssuranceReturn:
    """The board hands a submitted return back to its agency as a draft (a figure to correct), before sign-off."""
    assurance_return = AssuranceReturn.objects.select_for_update().get(pk=assurance_return.pk)
    require(runs_cycle(user, assurance_return.cycle))
    cycle_editable(assurance_return.cycle)
    if assurance_return.submitted_at is None:
        raise ValidationError(_("This return has not been submitted, so there is nothing to reopen."), code="draft")
    assurance_return.submitted_at, assurance_return.submitted_by = None, None
    assurance_return.chased_at = assurance_return.escalated_at = None
    assurance_return.save(update_fields=["submitted_at", "submitted_by", "chased_at", "escalated_at"])
    _record(assurance_return, _("Return reopened by the board"), user)
    return assurance_return


@transaction.atomic
def return_extend(
    *, assurance_return: AssuranceReturn, due_on: datetime.date, reason: str, user: Practitioner
) -> AssuranceReturn:
    """The board gives one agency's return a later due date (an extension), recorded in the history with its
    reason. The return is not late, nor chased, until the new date has passed; then the chase starts afresh with
    the agency, and reaches the board only a week later."""
    assurance_return = AssuranceReturn.objects.select_for_update().select_related("cycle").get(pk=assurance_return.pk)
    cycle = assurance_return.cycle
    require(runs_cycle(user, cycle))
    cycle_editable(cycle)
    if assurance_return.submitted_at is not None:
        raise ValidationError(_("This return is already submitted, so it needs no extension."), code="submitted")
    reason = reason.strip()
    errors: dict[str, str] = {}
    latest = cycle.contributions_due + MAX_EXTENSION
    if due_on <= assurance_return.due_on:
        errors["due_on"] = _("The new due date must be after the current one (%(date)s)") % {
            "date": f"{assurance_return.due_on:%d/%m/%Y}"
        }
    elif due_on > latest:
        errors["due_on"] = _("The new due date must be no later than %(date)s, a year after the cycle's due date") % {
            "date": f"{latest:%d/%m/%Y}"
        }
    if not reason:
        errors["reason"] = _("Enter the reason for the extension")
    elif len(reason) > MAX_REASON:
        errors["reason"] = _("The reason must be %(max)s characters or fewer") % {"max": MAX_REASON}
    if errors:
        raise ValidationError(errors)
    before = assurance_return.due_on
    assurance_return.due_on = due_on
    assurance_return.chased_at = assurance_return.escalated_at = None
    assurance_return.save(update_fields=["due_on", "chased_at", "escalated_at"])
    _record(
        assurance_return,
        _("Due date extended from %(before)s to %(after)s: %(reason)s")
        % {"before": f"{before:%d/%m/%Y}", "after": f"{due_on:%d/%m/%Y}", "reason": reason},
        user,
    )
    return assurance_return


@transaction.atomic
def returns_expected_create(*, cycle: Cycle) -> int:
    """Blank drafts for partner agencies with no return for the cycle's whole period, so a late one can be
    chased and its chase stamped. Nobody wrote them, so they have no revision: history starts with the
    agency's first save. Returns how many were made."""
    if cycle.is_signed_off:
        return 0
    have = AssuranceReturn.objects.filter(cycle=cycle, period_start=cycle.period_start).values("agency")
    missing = cycle.partner_agencies.exclude(pk__in=have)
    made = AssuranceReturn.objects.bulk_create(
        [
            AssuranceReturn(
                cycle=cycle,
                agency=agency,
                period_start=cycle.period_start,
                period_end=cycle.period_end,
                due_on=cycle.contributions_due,
            )
            for agency in missing
        ],
        ignore_conflicts=True,
    )
    return len(made)
