"""Changes to reviews, each in one transaction, each validated: bad input raises a ValidationError naming the field
(the form field's name) and stores nothing."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cylch.accounts.models import Agency, LocalAuthority, Practitioner
from cylch.people.models import Person
from cylch.reviews.definitions import INCIDENT, Milestone, add_months, review_types
from cylch.reviews.models import (
    Action,
    ActionStatus,
    DocumentKind,
    Finding,
    Recommendation,
    Review,
    ReviewDocument,
    ReviewStage,
)
from cylch.reviews.permissions import can_run_reviews, can_update_action
from cylch.reviews.validators import MAX_UPLOAD_BYTES, document_text, document_type, no_names, review_code_clean

REVIEW_PERIOD_MONTHS = 12


def _board_only(user: Practitioner) -> None:
    if not can_run_reviews(user):
        raise PermissionDenied(_("Only the safeguarding board's officers run practice reviews."))


def _check_identity(code: str, title: str) -> str:
    errors: dict[str, list[ValidationError]] = {}
    try:
        code = review_code_clean(code)
        no_names(code.replace("-", " "), field_label=str(_("Review code")), capitalised_only=False)
    except ValidationError as error:
        errors["code"] = [error]
    try:
        no_names(title, field_label=str(_("Short description")))
    except ValidationError as error:
        errors["title"] = [error]
    if errors:
        raise ValidationError(errors)
    return code


def _check_incident_date(incident_date: datetime.date, today: datetime.date) -> None:
    if incident_date > today:
        raise ValidationError({"incident_date": _("The date of the incident must be today or in the past")})


@transaction.atomic
def review_register(
    *,
    user: Practitioner,
    code: str,
    title: str,
    review_type: str,
    local_authority: LocalAuthority,
    incident_kind: str,
    incident_date: datetime.date,
    age_band: str,
    characteristics: list[str],
    referral_on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> Review:
    """Register a referral for a review: the review and every stage of its type, each with its clock."""
    _board_only(user)
    today = today or timezone.localdate()
    definition = review_types().get(review_type)
    if definition is None:
        raise ValidationError({"review_type": _("Select the type of review")})
    code = _check_identity(code, title)
    _check_incident_date(incident_date, today)
    if Review.objects.filter(code=code).exists():
        raise ValidationError({"code": _("A review with this code is already registered")})
    if referral_on is not None and referral_on < incident_date:
        raise ValidationError({"referral_on": _("The referral cannot be before the incident")})
    if referral_on is not None and referral_on > today:
        raise ValidationError({"referral_on": _("The date of the referral must be today or in the past")})
    review = Review.objects.create(
        code=code,
        title=title.strip(),
        review_type=review_type,
        local_authority=local_authority,
        incident_kind=incident_kind,
        incident_date=incident_date,
        age_band=age_band,
        characteristics=sorted(set(characteristics)),
        registered_by=user,
    )
    ReviewStage.objects.bulk_create(
        ReviewStage(
            review=review,
            position=position,
            code=stage.code,
            name=stage.name,
            name_cy=stage.name_cy,
            anchor=stage.anchor,
            clock_unit=stage.unit.value if stage.unit else "",
            clock_amount=stage.amount,
            milestone=stage.milestone.value if stage.milestone else "",
            actual_on=referral_on if stage.milestone == Milestone.REFERRAL else None,
        )
        for position, stage in enumerate(definition.stages, start=1)
    )
    return review


def _review_period_errors(start: datetime.date | None, end: datetime.date | None, rationale: str) -> dict[str, Any]:
    if start is None and end is None:
        return {}
    if start is None or end is None:
        return {
            "review_period_start" if start is None else "review_period_end": _("Enter both ends of the review period")
        }
    if end < start:
        return {"review_period_end": _("The end of the review period must be after its start")}
    if end > add_months(start, REVIEW_PERIOD_MONTHS) and not rationale.strip():
        return {
            "review_period_rationale": _(
                "The review period is longer than 12 months: say why (the guidance expects 12 months)"
            )
        }
    return {}


QUALITY_FIELDS = (
    "ethnicity",
    "family_details",
    "review_period_start",
    "review_period_end",
    "review_period_rationale",
    "family_views",
    "family_not_involved_reason",
    "practitioner_involvement",
    "child_story",
    "analysis",
)


@transaction.atomic
def review_update(*, review: Review, user: Practitioner, title: str, child_cylch_id: str = "", **fields: Any) -> Review:
    """The review's record for the quality checklist, and the link to the child's Cylch record (the board's)."""
    _board_only(user)
    unknown = set(fields) - set(QUALITY_FIELDS)
    if unknown:
        raise TypeError(f"review_update() got unexpected fields {sorted(unknown)}")
    _check_identity(review.code, title)
    errors = _review_period_errors(
        fields.get("review_period_start"), fields.get("review_period_end"), fields.get("review_period_rationale", "")
    )
    person = None
    if child_cylch_id:
        person = Person.objects.filter(cylch_id=child_cylch_id.strip().upper(), merged_into__isnull=True).first()
        if person is None:
            errors["child_cylch_id"] = _("No one has this Cylch ID")
    if errors:
        raise ValidationError(errors)
    review.title = title.strip()
    for name, value in fields.items():
        setattr(review, name, value if value is not None or name.startswith("review_period_") else "")
    review.person = person
    review.save()
    return review


@transaction.atomic
def stages_record(
    *,
    review: Review,
    user: Practitioner,
    dates: Mapping[str, tuple[datetime.date | None, datetime.date | None]],
    today: datetime.date | None = None,
) -> list[ReviewStage]:
    """Planned and actual dates of the review's stages (code -> (planned, actual)). A date before the incident,
    an actual date in the future or before the stage it counts from, or a completion before the referral is
    refused, naming the box (`planned_<code>` or `actual_<code>`)."""
    _board_only(user)
    today = today or timezone.localdate()
    stages = {stage.code: stage for stage in review.stages.all()}
    unknown = set(dates) - set(stages)
    if unknown:
        raise ValidationError(_("Unknown stages: %(codes)s"), params={"codes": ", ".join(sorted(unknown))})
    for code, (planned, actual) in dates.items():
        stages[code].planned_on, stages[code].actual_on = planned, actual
    errors: dict[str, Any] = {}
    by_milestone = {stage.milestone: stage for stage in stages.values() if stage.milestone}
    for code, stage in stages.items():
        if stage.planned_on is not None and stage.planned_on < review.incident_date:
            errors[f"planned_{code}"] = _("%(stage)s cannot be planned before the incident") % {"stage": stage.label()}
        actual = stage.actual_on
        if actual is None:
            continue
        if actual > today:
            errors[f"actual_{code}"] = _("%(stage)s cannot have happened in the future") % {"stage": stage.label()}
        elif actual < review.incident_date:
            errors[f"actual_{code}"] = _("%(stage)s cannot be before the incident") % {"stage": stage.label()}
        elif stage.anchor != INCIDENT and (anchor := stages[stage.anchor]).actual_on and actual < anchor.actual_on:
            errors[f"actual_{code}"] = _("%(stage)s cannot be before %(anchor)s") % {
                "stage": stage.label(),
                "anchor": anchor.label(),
            }
    referral, completion = by_milestone.get(Milestone.REFERRAL), by_milestone.get(Milestone.COMPLETION)
    if (
        referral is not None
        and completion is not None
        and referral.actual_on
        and completion.actual_on
        and completion.actual_on < referral.actual_on
    ):
        errors.setdefault(f"actual_{completion.code}", _("Completion cannot be before the referral"))
    if errors:
        raise ValidationError(errors)
    ReviewStage.objects.bulk_update(list(stages.values()), ["planned_on", "actual_on"])
    return list(stages.values())


@transaction.atomic
def finding_add(*, review: Review, user: Practitioner, text: str, theme: str) -> Finding:
    _board_only(user)
    number = (review.findings.aggregate(n=Max("number"))["n"] or 0) + 1
    return Finding.objects.create(review=review, number=number, text=text.strip(), theme=theme)


@transaction.atomic
def recommendation_add(
    *,
    review: Review,
    user: Practitioner,
    finding: Finding | None,
    text: str,
    level: str,
    owner_agency: Agency | None,
    intended_outcome: str,
    measure: str = "",
) -> Recommendation:
    """A recommendation must answer a finding of the same review and have an owner, or it cannot be tracked."""
    _board_only(user)
    errors: dict[str, Any] = {}
    if finding is None or finding.review_id != review.pk:
        errors["finding"] = _("Select the finding the recommendation answers")
    if owner_agency is None:
        errors["owner_agency"] = _("Select the agency that owns the recommendation")
    if not intended_outcome.strip():
        errors["intended_outcome"] = _("Enter the outcome the recommendation is meant to bring")
    if errors:
        raise ValidationError(errors)
    assert finding is not None  # noqa: S101 - checked above
    assert owner_agency is not None  # noqa: S101 - checked above
    number = (review.recommendations.aggregate(n=Max("number"))["n"] or 0) + 1
    return Recommendation.objects.create(
        review=review,
        finding=finding,
        number=number,
        text=text.strip(),
        level=level,
        owner_agency=owner_agency,
        intended_outcome=intended_outcome.strip(),
        measure=measure.strip(),
    )


@transaction.atomic
def action_add(
    *,
    recommendation: Recommendation,
    user: Practitioner,
    description: str,
    owner_agency: Agency | None,
    owner_name: str,
    due_on: datetime.date,
) -> Action:
    _board_only(user)
    if not owner_name.strip():
        raise ValidationError({"owner_name": _("Enter the name or post of the person who owns the action")})
    if due_on < recommendation.review.incident_date:
        raise ValidationError({"due_on": _("The action cannot be due before the incident")})
    return Action.objects.create(
        recommendation=recommendation,
        description=description.strip(),
        owner_agency=owner_agency or recommendation.owner_agency,
        owner_name=owner_name.strip(),
        due_on=due_on,
        updated_by=user,
    )


AGENCY_STATUSES = (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS, ActionStatus.COMPLETED)


@transaction.atomic
def action_update(
    *, action: Action, user: Practitioner, status: str, evidence_of_completion: str, evidence_of_impact: str
) -> Action:
    """The owning agency's progress. 'Completed' needs evidence of completion; closing is the board's alone."""
    action = Action.objects.select_for_update().get(pk=action.pk)
    if not can_update_action(user, action):
        raise PermissionDenied(_("Only the agency that owns this action can update it."))
    if status not in AGENCY_STATUSES:
        raise ValidationError(
            {"status": _("Only the board closes an action: select not started, in progress or completed")}
        )
    if status == ActionStatus.COMPLETED and not evidence_of_completion.strip():
        raise ValidationError({"evidence_of_completion": _("Enter the evidence that the action is completed")})
    action.status = status
    action.evidence_of_completion = evidence_of_completion.strip()
    action.evidence_of_impact = evidence_of_impact.strip()
    action.updated_by, action.updated_at = user, timezone.now()
    action.save()
    return action


@transaction.atomic
def action_sign_off(*, action: Action, user: Practitioner) -> Action:
    """The board closes a completed action once it has evidence both that it was done and that it made a
    difference: a closed action is how the board answers the review."""
    _board_only(user)
    action = Action.objects.select_for_update().get(pk=action.pk)
    if action.status != ActionStatus.COMPLETED:
        raise ValidationError({"status": _("Only a completed action can be signed off")})
    if not action.evidence_of_completion.strip():
        raise ValidationError({"evidence_of_completion": _("The action has no evidence of completion")})
    if not action.evidence_of_impact.strip():
        raise ValidationError({"evidence_of_impact": _("The action has no evidence of impact: ask the agency for it")})
    action.status = ActionStatus.CLOSED
    action.closed_by, action.closed_at = user, timezone.now()
    action.save()
    return action


@transaction.atomic
def document_upload(
    *, review: Review, user: Practitioner, kind: str, language: str, filename: str, content: bytes
) -> ReviewDocument:
    """A published report or 7-minute briefing, checked by its content (not its name) and read for searching."""
    _board_only(user)
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": _("Select the kind of document")})
    if len(content) > MAX_UPLOAD_BYTES:
        raise ValidationError({"file": _("The file must be smaller than 20 MB")})
    try:
        content_type = document_type(content)
        text = document_text(content, content_type)
    except ValidationError as error:
        raise ValidationError({"file": error}) from None
    return ReviewDocument.objects.create(
        review=review,
        kind=kind,
        language=language,
        filename=filename[-200:],
        content_type=content_type,
        content=content,
        text=text.replace("\x00", ""),
        uploaded_by=user,
    )
