"""Writes after a concern arrives: screening, information requests, threshold decisions with feedback to the
referrer, and challenges to a decision.

Each function is one transaction with all its side effects (chronology events, audit entries, notifications).
"""

from __future__ import annotations

import datetime
from dataclasses import asdict

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cylch.accounts.models import Agency, Practitioner, RoleCode
from cylch.accounts.permissions import can_resolve_challenges, is_front_door
from cylch.audit.models import AuditAction
from cylch.audit.services import audit_write_many
from cylch.chronology.models import ChronologyEvent, EventKind, Sensitivity
from cylch.concerns.models import (
    BELOW_STATUTORY,
    Challenge,
    ChallengeStatus,
    Concern,
    InformationRequest,
    Outcome,
    ScreeningNote,
    Stage,
    SubjectRole,
    ThresholdDecision,
)
from cylch.concerns.selectors import concern_can_challenge, decision_checks, information_request_can_respond
from cylch.concerns.services import front_door_staff, notify_staff
from cylch.core.working_days import working_deadline
from cylch.notifications.services import lazy_message, notification_queue

CHALLENGE_WORKING_DAYS = 5
BELOW_STATUTORY_REASON_MISSING = _("Enter why this decision is below the statutory level despite what the checks show.")


def _require_front_door(user: Practitioner) -> None:
    if not is_front_door(user):
        raise PermissionDenied(_("Only the front door can do this."))


@transaction.atomic
def concern_screening_start(*, concern: Concern, user: Practitioner) -> Concern:
    _require_front_door(user)
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    if concern.stage == Stage.RECEIVED:
        concern.stage = Stage.SCREENING
        concern.screening_started_at = timezone.now()
        concern.save(update_fields=["stage", "screening_started_at"])
    return concern


@transaction.atomic
def screening_note_add(*, concern: Concern, author: Practitioner, text: str) -> ScreeningNote:
    _require_front_door(author)
    concern_screening_start(concern=concern, user=author)
    return ScreeningNote.objects.create(concern=concern, author=author, text=text)


def information_request_link(request: InformationRequest) -> str:
    """Where the agency asked reads and answers the request (messages carry this, never the question)."""
    return settings.SERVICE_URL + reverse("concerns:information-request", args=[request.pk])


@transaction.atomic
def information_request_create(
    *, concern: Concern, agency: Agency, question: str, due_on: datetime.date, requested_by: Practitioner
) -> InformationRequest:
    """Ask an agency what it knows. The message says only the reference, the due date and where to answer: the
    question may name relatives or health details, and email leaves the service."""
    _require_front_door(requested_by)
    if due_on < timezone.localdate():
        raise ValidationError({"due_on": _("The due date must be today or in the future.")})
    concern_screening_start(concern=concern, user=requested_by)
    request = InformationRequest.objects.create(
        concern=concern, agency=agency, question=question, due_on=due_on, requested_by=requested_by
    )
    link = information_request_link(request)
    notification_queue(
        email=agency.email,
        template="information_request",
        subject=lazy_message(_("Information request for concern %(reference)s"), reference=concern.reference),
        body=lazy_message(
            _(
                "The front door has asked your agency for information about concern %(reference)s. "
                "Please answer by %(due)s in Cylch: %(link)s"
            ),
            due=f"{due_on:%d/%m/%Y}",
            reference=concern.reference,
            link=link,
        ),
        personalisation={"reference": concern.reference, "due": due_on.isoformat(), "link": link},
        dedupe_key=f"inforeq:{request.pk}",
    )
    return request


@transaction.atomic
def information_request_respond(
    *, request: InformationRequest, response: str, user: Practitioner
) -> InformationRequest:
    """Record the agency's answer, by the agency asked or by the front door (a reply by phone), with who and when;
    whoever asked is told that it has arrived (the message links to the concern and does not quote the answer)."""
    if not information_request_can_respond(user=user, request=request):
        raise PermissionDenied(_("Only the front door or the agency asked can record the reply."))
    request = (
        InformationRequest.objects.select_for_update().select_related("concern", "requested_by").get(pk=request.pk)
    )
    if request.responded_at is not None:
        raise ValidationError(_("This request has already been answered."))
    if not response.strip():
        raise ValidationError({"response": _("Enter the response.")})
    request.response = response
    request.responded_at = timezone.now()
    request.responded_by = user
    request.save(update_fields=["response", "responded_at", "responded_by"])
    asker = request.requested_by
    if asker.pk != user.pk:
        reference = request.concern.reference
        notification_queue(
            recipient=asker,
            email=asker.email,
            template="information_request_answered",
            subject=lazy_message(_("Information received for concern %(reference)s"), reference=reference),
            body=lazy_message(
                _("%(agency)s has answered your information request on concern %(reference)s: %(link)s"),
                agency=request.agency.name,
                reference=reference,
                link=settings.SERVICE_URL + reverse("concerns:detail", args=[reference]),
            ),
            personalisation={"reference": reference},
            dedupe_key=f"inforeq-answered:{request.pk}",
        )
    return request


def current_decision(concern: Concern) -> ThresholdDecision | None:
    return concern.decisions.order_by("-decided_at", "-pk").first()


@transaction.atomic
def decision_record(
    *,
    concern: Concern,
    user: Practitioner,
    outcome: str,
    rationale: str,
    revision_reason: str = "",
    below_statutory_reason: str = "",
) -> ThresholdDecision:
    """Record the threshold decision (or a revision of it, with a reason) and send the referrer feedback. A
    decision below the statutory level despite the checks (`decision_checks`) needs its own reason, kept with
    the checks shown."""
    _require_front_door(user)
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Select a decision from the list.")})
    if not rationale.strip():
        raise ValidationError({"rationale": _("Enter the rationale for the decision.")})
    checks = decision_checks(concern=concern)
    below = outcome in BELOW_STATUTORY and bool(checks)
    if below and not below_statutory_reason.strip():
        raise ValidationError({"below_statutory_reason": BELOW_STATUTORY_REASON_MISSING})
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    previous = current_decision(concern)
    if previous is not None and not revision_reason.strip():
        raise ValidationError({"revision_reason": _("Enter why the decision is being revised.")})
    now = timezone.now()
    decision = ThresholdDecision.objects.create(
        concern=concern,
        outcome=outcome,
        rationale=rationale,
        decided_by=user,
        decided_at=now,
        replaces=previous,
        revision_reason=revision_reason if previous is not None else "",
        checks_shown=[asdict(check) for check in checks],
        below_statutory_reason=below_statutory_reason.strip() if below else "",
    )
    concern.stage = Stage.DECIDED
    concern.screening_started_at = concern.screening_started_at or now
    concern.decided_at = concern.decided_at or now
    concern.save(update_fields=["stage", "screening_started_at", "decided_at"])
    label = Outcome(outcome).label
    children = [
        s.person
        for s in concern.subjects.filter(role=SubjectRole.CHILD, person__isnull=False).select_related("person")
        if s.person
    ]
    audit_write_many(
        practitioner=user,
        people=children,
        action=AuditAction.UPDATE,
        page="threshold-decision",
        details={
            "concern": concern.reference,
            "outcome": outcome,
            "revised": previous is not None,
            **({"below_statutory_despite": sorted({check.check for check in checks})} if below else {}),
        },
    )
    ChronologyEvent.objects.bulk_create(
        ChronologyEvent(
            person_id=child.pk,
            agency_id=user.agency_id if user.agency_id else concern.referrer_agency_id,
            recorded_by=user,
            kind=EventKind.THRESHOLD_DECISION,
            occurred_at=now,
            recorded_at=now,
            summary=f"{label} ({concern.reference})"[:500],
            details={"concern": concern.reference, "outcome": outcome, "revised": previous is not None},
            sensitivity=Sensitivity.SENSITIVE,
        )
        for child in children
    )
    referrer = concern.referrer
    feedback = notification_queue(
        recipient=referrer,
        email=referrer.email,
        template="concern_feedback",
        subject=lazy_message(_("Outcome of your concern %(reference)s"), reference=concern.reference),
        body=lazy_message(
            _("The front door's decision on %(reference)s: %(outcome)s.\n\nRationale: %(rationale)s"),
            reference=concern.reference,
            outcome=label,
            rationale=rationale,
        ),
        personalisation={"reference": concern.reference, "outcome": label},
        dedupe_key=f"feedback:{decision.pk}",
    )
    if feedback is not None and concern.feedback_sent_at is None:
        # Only a message actually queued counts as feedback (a referrer with no email address gets none).
        concern.feedback_sent_at = now
        concern.save(update_fields=["feedback_sent_at"])
    return decision


@transaction.atomic
def challenge_raise(*, concern: Concern, user: Practitioner, grounds: str) -> Challenge:
    """A professional challenge to the current decision, by the referrer or an involved practitioner."""
    if not concern_can_challenge(user=user, concern=concern):
        raise PermissionDenied(_("Only the referrer or a practitioner working with the child can challenge."))
    decision = current_decision(concern)
    if decision is None:
        raise ValidationError(_("There is no decision to challenge yet."))
    # One open challenge at a time: the page stops offering it, and the service holds to it for every other caller.
    if concern.challenges.filter(status=ChallengeStatus.OPEN).exists():
        raise ValidationError(_("This decision cannot be challenged while a challenge to it is open."))
    if not grounds.strip():
        raise ValidationError({"grounds": _("Enter why you disagree with the decision.")})
    now = timezone.now()
    challenge = Challenge.objects.create(
        concern=concern,
        decision=decision,
        raised_by=user,
        grounds=grounds,
        raised_at=now,
        due_at=working_deadline(now, CHALLENGE_WORKING_DAYS),
    )
    notify_staff(
        front_door_staff(concern, RoleCode.FRONT_DOOR_MANAGER),
        template="challenge_raised",
        subject=lazy_message(_("Professional challenge to concern %(reference)s"), reference=concern.reference),
        body=lazy_message(
            _("%(name)s has challenged the decision on %(reference)s: %(grounds)s"),
            name=user.get_full_name() or user.username,
            reference=concern.reference,
            grounds=grounds,
        ),
        reference=concern.reference,
        dedupe=f"challenge:{challenge.pk}",
    )
    return challenge


@transaction.atomic
def challenge_resolve(*, challenge: Challenge, manager: Practitioner, status: str, resolution: str) -> Challenge:
    if not can_resolve_challenges(manager):
        raise PermissionDenied(_("Only a front-door manager can resolve a challenge."))
    if status not in (ChallengeStatus.UPHELD, ChallengeStatus.NOT_UPHELD):
        raise ValidationError({"status": _("Select whether the challenge is upheld.")})
    if not resolution.strip():
        raise ValidationError({"resolution": _("Enter your response to the challenge.")})
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    if challenge.status != ChallengeStatus.OPEN:
        raise ValidationError(_("This challenge has already been resolved."))
    challenge.status = status
    challenge.resolution = resolution
    challenge.resolved_by = manager
    challenge.resolved_at = timezone.now()
    challenge.save(update_fields=["status", "resolution", "resolved_by", "resolved_at"])
    raiser = challenge.raised_by
    notification_queue(
        recipient=raiser,
        email=raiser.email,
        template="challenge_resolved",
        subject=lazy_message(
            _("Your challenge on %(reference)s: %(status)s"),
            reference=challenge.concern.reference,
            status=ChallengeStatus(status).label,
        ),
        body=resolution,
        personalisation={"reference": challenge.concern.reference},
        dedupe_key=f"challenge-resolved:{challenge.pk}",
    )
    return challenge
