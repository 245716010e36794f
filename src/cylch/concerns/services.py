"""Writes at the front door: submitting a concern, triage, threshold decisions, feedback and challenge.

Each function is one transaction with all its side effects (chronology events, notifications queued).
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cylch.accounts.models import Agency, Practitioner, RoleCode
from cylch.chronology.models import ChronologyEvent, EventKind, Sensitivity
from cylch.concerns.models import (
    Challenge,
    ChallengeStatus,
    Concern,
    ConcernKind,
    ConcernSubject,
    InformationRequest,
    Outcome,
    ScreeningNote,
    Stage,
    SubjectRole,
    SubmissionKey,
    ThresholdDecision,
)
from cylch.concerns.references import reference_new
from cylch.concerns.selectors import concern_can_challenge, information_request_can_respond
from cylch.concerns.validation import validate_concern
from cylch.core.working_days import add_working_days, working_deadline
from cylch.linkage.services import PersonDetails, person_link
from cylch.notifications.services import lazy_message, notification_queue
from cylch.people.models import IdentifierKind, Sex

DECISION_WORKING_DAYS = 1
FEEDBACK_WORKING_DAYS = 7
ESCALATION_WORKING_DAYS = 10
CHALLENGE_WORKING_DAYS = 5
_REFERENCE_ATTEMPTS = 5

EVENT_FOR_KIND = {
    ConcernKind.INFORMATION_SHARING: EventKind.INFORMATION_SHARING,
    ConcernKind.WAS_NOT_BROUGHT: EventKind.WAS_NOT_BROUGHT,
}


@dataclass(frozen=True)
class SubjectInput:
    role: str = SubjectRole.CHILD
    given_name: str = ""
    family_name: str = ""
    date_of_birth: datetime.date | None = None
    is_unborn: bool = False
    expected_delivery_date: datetime.date | None = None
    sex: str = Sex.NOT_KNOWN
    nhs_number: str = ""
    upn: str = ""
    address: str = ""
    postcode: str = ""
    relationship: str = ""


@dataclass(frozen=True)
class ConcernInput:
    """A validated concern, whichever way it arrived (web question pages or the API)."""

    kind: str
    what_happened: str
    family_aware: str
    subjects: tuple[SubjectInput, ...]
    categories: tuple[str, ...] = ()
    happened_on: datetime.date | None = None
    how_known: str = ""
    child_words: str = ""
    family_not_aware_reason: str = ""
    immediate_risk: bool | None = False  # None: not answered yet (a web draft)
    immediate_risk_details: str = ""
    referrer_phone: str = ""

    def fingerprint(self) -> str:
        payload = json.dumps(asdict(self), sort_keys=True, default=str)
        return hashlib.sha256(payload.encode()).hexdigest()


class IdempotencyConflictError(Exception):
    """The same idempotency key was used earlier for a different concern."""


@dataclass(frozen=True)
class SubmitResult:
    concern: Concern
    created: bool
    warnings: list[str] = field(default_factory=list)


def front_door_staff(concern: Concern, role: RoleCode) -> list[Practitioner]:
    """Practitioners with `role` at the concern's local authority (any authority's, if it has none yet)."""
    staff = Practitioner.objects.filter(is_active=True, roles__code=role).exclude(email="")
    local = list(staff.filter(agency__local_authority_id=concern.local_authority_id))
    return local or list(staff)


def notify_staff(
    people: list[Practitioner],
    *,
    template: str,
    subject: str | Promise,
    body: str | Promise,
    reference: str,
    dedupe: str,
) -> None:
    """The same message to each of `people` (each in their own language), at most once each for `dedupe`."""
    for person in people:
        notification_queue(
            recipient=person,
            email=person.email,
            template=template,
            subject=subject,
            body=body,
            personalisation={"reference": reference},
            dedupe_key=f"{dedupe}:{person.pk}",
        )


def _existing_submission(submitter: Practitioner, key: str, fingerprint: str) -> Concern | None:
    """The concern a retry with this key stored first. Nearly every key is new, so the lookup reads two
    columns and the concern is loaded only for a real retry."""
    found = SubmissionKey.objects.filter(submitter=submitter, key=key).values_list("payload_hash", "concern_id").first()
    if found is None:
        return None
    payload_hash, concern_id = found
    if payload_hash != fingerprint:
        raise IdempotencyConflictError(key)
    return Concern.objects.get(pk=concern_id)


def _occurred_at(data: ConcernInput, now: datetime.datetime) -> datetime.datetime:
    if data.happened_on is None:
        return now
    moment = timezone.make_aware(datetime.datetime.combine(data.happened_on, datetime.time(9, 0)))
    return min(moment, now)


def _store(
    *,
    submitter: Practitioner,
    agency: Agency,
    data: ConcernInput,
    now: datetime.datetime,
    reference: str,
    key: str,
    fingerprint: str,
) -> Concern:
    concern = Concern.objects.create(
        reference=reference,
        kind=data.kind,
        categories=list(data.categories),
        what_happened=data.what_happened,
        happened_on=data.happened_on,
        how_known=data.how_known,
        child_words=data.child_words,
        family_aware=data.family_aware,
        family_not_aware_reason=data.family_not_aware_reason,
        immediate_risk=bool(data.immediate_risk),
        immediate_risk_details=data.immediate_risk_details,
        referrer=submitter,
        referrer_agency=agency,
        referrer_phone=data.referrer_phone,
        local_authority_id=agency.local_authority_id,
        received_at=now,
        decision_due_at=working_deadline(now, DECISION_WORKING_DAYS),
        feedback_due_on=add_working_days(timezone.localtime(now).date(), FEEDBACK_WORKING_DAYS),
    )
    if key:
        # Concurrent retries block here on the unique index until the first commits, then fail and re-read.
        SubmissionKey.objects.create(submitter=submitter, key=key, payload_hash=fingerprint, concern=concern)

    event_kind = EVENT_FOR_KIND.get(ConcernKind(data.kind), EventKind.CONCERN)
    occurred_at = _occurred_at(data, now)
    subjects = []
    events = []
    for number, item in enumerate(data.subjects, start=1):
        identifiers = {IdentifierKind.UPN.value: item.upn} if item.upn else {}
        link = person_link(
            details=PersonDetails(
                given_name=item.given_name,
                family_name=item.family_name,
                date_of_birth=None if item.is_unborn else item.date_of_birth,
                sex=item.sex,
                nhs_number=item.nhs_number,
                postcode=item.postcode,
                address=item.address,
                is_unborn=item.is_unborn,
                expected_delivery_date=item.expected_delivery_date,
                identifiers=identifiers,
            ),
            agency=agency,
            local_id=f"concern:{concern.reference}:{number}",
        )
        subjects.append(ConcernSubject(concern=concern, person=link.person, **asdict(item)))
        if item.role == SubjectRole.CHILD:
            events.append(
                ChronologyEvent(
                    person=link.person,
                    source_record=link.source_record,
                    agency=agency,
                    recorded_by=submitter,
                    kind=event_kind,
                    occurred_at=occurred_at,
                    recorded_at=now,
                    summary=f"{ConcernKind(data.kind).label} {concern.reference}"[:500],
                    details={"concern": concern.reference, "categories": list(data.categories)},
                    sensitivity=Sensitivity.SENSITIVE,
                    child_words=data.child_words,
                )
            )
    ConcernSubject.objects.bulk_create(subjects)
    ChronologyEvent.objects.bulk_create(events)

    notification_queue(
        recipient=submitter,
        email=submitter.email,
        template="concern_acknowledgement",
        subject=lazy_message(_("Concern received: reference %(reference)s"), reference=concern.reference),
        body=lazy_message(
            _(
                "The front door has received your concern. Its reference is %(reference)s. "
                "A decision is due by %(due)s and you will be told the outcome."
            ),
            reference=concern.reference,
            due=f"{timezone.localtime(concern.decision_due_at):%d/%m/%Y %H:%M}",
        ),
        personalisation={"reference": concern.reference},
        dedupe_key=f"ack:{concern.reference}",
    )
    if data.immediate_risk:
        notify_staff(
            front_door_staff(concern, RoleCode.FRONT_DOOR),
            template="concern_immediate_risk",
            subject=lazy_message(_("Immediate risk: concern %(reference)s"), reference=concern.reference),
            body=lazy_message(
                _("A concern reporting immediate risk to a child has arrived: %(reference)s."),
                reference=concern.reference,
            ),
            reference=concern.reference,
            dedupe=f"risk:{concern.reference}",
        )
    return concern


def concern_submit(*, submitter: Practitioner, data: ConcernInput, idempotency_key: str = "") -> SubmitResult:
    """Store a concern with a new reference, link its subjects, write chronology events and queue the
    acknowledgement, all in one transaction. A retry with the same idempotency key returns the first concern.

    Nearly every submission is a first one, so nothing is looked up beforehand: the key's unique index turns a
    retry away (a concurrent one waits there for the first to commit), and the first concern is read then."""
    if submitter.agency_id is None:
        raise PermissionDenied(_("Only a practitioner who belongs to an agency can raise a concern."))
    validate_concern(data)
    fingerprint = data.fingerprint()
    agency = submitter.agency
    assert agency is not None  # noqa: S101 - checked above; narrows the type
    for _attempt in range(_REFERENCE_ATTEMPTS):
        now = timezone.now()
        reference = reference_new(timezone.localtime(now).year)
        try:
            with transaction.atomic():
                concern = _store(
                    submitter=submitter,
                    agency=agency,
                    data=data,
                    now=now,
                    reference=reference,
                    key=idempotency_key,
                    fingerprint=fingerprint,
                )
        except IntegrityError:
            if idempotency_key:
                existing = _existing_submission(submitter, idempotency_key, fingerprint)
                if existing is not None:
                    return SubmitResult(concern=existing, created=False)
            if Concern.objects.filter(reference=reference).exists():
                continue  # the random reference was already taken: draw another
            raise
        return SubmitResult(concern=concern, created=True)
    raise RuntimeError("Could not allocate a unique concern reference")


def _require_front_door(user: Practitioner) -> None:
    if not (user.has_role(RoleCode.FRONT_DOOR) or user.has_role(RoleCode.FRONT_DOOR_MANAGER)):
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


@transaction.atomic
def information_request_create(
    *, concern: Concern, agency: Agency, question: str, due_on: datetime.date, requested_by: Practitioner
) -> InformationRequest:
    _require_front_door(requested_by)
    if due_on < timezone.localdate():
        raise ValidationError({"due_on": _("The due date must be today or in the future.")})
    concern_screening_start(concern=concern, user=requested_by)
    request = InformationRequest.objects.create(
        concern=concern, agency=agency, question=question, due_on=due_on, requested_by=requested_by
    )
    notification_queue(
        email=agency.email,
        template="information_request",
        subject=lazy_message(_("Information request for concern %(reference)s"), reference=concern.reference),
        body=lazy_message(
            _("The front door asks: %(question)s Please reply by %(due)s, quoting %(reference)s."),
            question=question,
            due=f"{due_on:%d/%m/%Y}",
            reference=concern.reference,
        ),
        personalisation={"reference": concern.reference},
        dedupe_key=f"inforeq:{request.pk}",
    )
    return request


@transaction.atomic
def information_request_respond(
    *, request: InformationRequest, response: str, user: Practitioner
) -> InformationRequest:
    """Record the agency's reply: by the front door, or by the asked agency itself
    (see `concerns.selectors.information_request_can_respond`)."""
    if not information_request_can_respond(user=user, request=request):
        raise PermissionDenied(_("Only the front door or the agency asked can record the reply."))
    request = InformationRequest.objects.select_for_update().get(pk=request.pk)
    if request.responded_at is not None:
        raise ValidationError(_("This request has already been answered."))
    if not response.strip():
        raise ValidationError({"response": _("Enter the response.")})
    request.response = response
    request.responded_at = timezone.now()
    request.save(update_fields=["response", "responded_at"])
    return request


def current_decision(concern: Concern) -> ThresholdDecision | None:
    return concern.decisions.order_by("-decided_at", "-pk").first()


@transaction.atomic
def decision_record(
    *, concern: Concern, user: Practitioner, outcome: str, rationale: str, revision_reason: str = ""
) -> ThresholdDecision:
    """Record the threshold decision (or a revision of it, with a reason) and send the referrer feedback."""
    _require_front_door(user)
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Select a decision from the list.")})
    if not rationale.strip():
        raise ValidationError({"rationale": _("Enter the rationale for the decision.")})
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
    )
    concern.stage = Stage.DECIDED
    concern.screening_started_at = concern.screening_started_at or now
    concern.decided_at = concern.decided_at or now
    concern.save(update_fields=["stage", "screening_started_at", "decided_at"])
    label = Outcome(outcome).label
    ChronologyEvent.objects.bulk_create(
        ChronologyEvent(
            person_id=cast(int, subject.person_id),
            agency_id=user.agency_id if user.agency_id else concern.referrer_agency_id,
            recorded_by=user,
            kind=EventKind.THRESHOLD_DECISION,
            occurred_at=now,
            recorded_at=now,
            summary=f"{label} ({concern.reference})"[:500],
            details={"concern": concern.reference, "outcome": outcome, "revised": previous is not None},
            sensitivity=Sensitivity.SENSITIVE,
        )
        for subject in concern.subjects.filter(role=SubjectRole.CHILD, person__isnull=False)
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
    if not manager.has_role(RoleCode.FRONT_DOOR_MANAGER):
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
