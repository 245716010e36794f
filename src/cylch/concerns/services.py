"""Raising a concern: validated, stored with its reference, its subjects linked to people, and acknowledged.

What the front door does with it afterwards is in `cylch.concerns.triage`.

Each function is one transaction with all its side effects (chronology events, notifications queued).
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cylch.accounts.models import Agency, Practitioner, RoleCode, Team
from cylch.audit.models import AuditAction
from cylch.audit.services import audit_write_many
from cylch.chronology.models import ChronologyEvent, EventKind, Sensitivity
from cylch.concerns.models import (
    Concern,
    ConcernKind,
    ConcernSubject,
    SubjectRole,
    SubmissionKey,
    ThresholdDecision,
)
from cylch.concerns.references import reference_new
from cylch.concerns.selectors import allocated_social_workers
from cylch.concerns.validation import validate_concern
from cylch.core.working_days import add_working_days, working_deadline
from cylch.feeds.services import involvement_open
from cylch.linkage.matching import household_people
from cylch.linkage.services import LinkResult, PersonDetails, person_link
from cylch.notifications.services import lazy_message, notification_queue
from cylch.people.models import IdentifierKind, Involvement, Sex
from cylch.people.services import person_identity_record

DECISION_WORKING_DAYS = 1
FEEDBACK_WORKING_DAYS = 7
ESCALATION_WORKING_DAYS = 10
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
    # Identity as the referrer knows it; blank or None: not known.
    ethnicity: str = ""
    first_language: str = ""
    interpreter_needed: bool | None = None


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


def people_around(children: list[int]) -> set[int]:
    """The people around a concern's children: everyone who shares or shared a home with them, and everyone named
    as a household member in an earlier concern about them (a concern makes no household). Not the children
    themselves: a mother named without a birth date is not her namesake daughter."""
    named_before = ConcernSubject.objects.filter(
        role=SubjectRole.HOUSEHOLD_MEMBER,
        person__isnull=False,
        concern__subjects__role=SubjectRole.CHILD,
        concern__subjects__person_id__in=children,
    ).values_list("person_id", flat=True)
    return (household_people(children) | set(named_before)) - set(children)


def _store(
    *,
    submitter: Practitioner,
    agency: Agency,
    data: ConcernInput,
    now: datetime.datetime,
    reference: str,
    key: str,
    fingerprint: str,
    request: HttpRequest | None,
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
    linked: dict[int, LinkResult] = {}
    # The children first: a household member named without a birth date is looked for around them.
    in_order = sorted(enumerate(data.subjects, start=1), key=lambda numbered: numbered[1].role != SubjectRole.CHILD)
    for number, item in in_order:
        identifiers = {IdentifierKind.UPN.value: item.upn} if item.upn else {}
        children = [linked[n].person.pk for n in linked if data.subjects[n - 1].role == SubjectRole.CHILD]
        linked[number] = person_link(
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
            practitioner=submitter,
            request=request,
            people_around=people_around(children) if item.role != SubjectRole.CHILD else (),
        )
    subjects = []
    events = []
    for number, item in enumerate(data.subjects, start=1):
        link = linked[number]
        person_identity_record(
            person=link.person,
            ethnicity=item.ethnicity,
            first_language=item.first_language,
            interpreter_needed=item.interpreter_needed,
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
    audit_write_many(
        practitioner=submitter,
        people=list({s.person_id: s.person for s in subjects if s.person is not None}.values()),
        action=AuditAction.CREATE,
        page="concern-raise",
        details={"concern": concern.reference},
        request=request,
    )

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
    _tell_social_workers(
        concern, children=[s.person_id for s in subjects if s.role == SubjectRole.CHILD and s.person_id]
    )
    return concern


def _tell_social_workers(concern: Concern, *, children: list[int]) -> None:
    """Each allocated social worker hears of a new concern about their child: the reference and a link only."""
    link = settings.SERVICE_URL + reverse("concerns:detail", args=[concern.reference])
    workers = {
        i.practitioner.pk: i.practitioner for i in allocated_social_workers(person_ids=children) if i.practitioner
    }
    for worker in workers.values():
        notification_queue(
            recipient=worker,
            email=worker.email,
            template="concern_about_allocated_child",
            subject=lazy_message(
                _("New concern about a child you work with: %(reference)s"), reference=concern.reference
            ),
            body=lazy_message(
                _(
                    "A new concern, %(reference)s, has been raised about a child you are the allocated social worker "
                    "for: %(link)s"
                ),
                reference=concern.reference,
                link=link,
            ),
            personalisation={"reference": concern.reference, "link": link},
            dedupe_key=f"allocated:{concern.reference}:{worker.pk}",
        )


def concern_submit(
    *, submitter: Practitioner, data: ConcernInput, idempotency_key: str = "", request: HttpRequest | None = None
) -> SubmitResult:
    """Store a concern with a new reference, link its subjects, write chronology events and queue the
    acknowledgement, all in one transaction. A retry with the same idempotency key returns the first concern.
    `request` (an API call's) puts where it came from, and its token, on the audit entries.

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
                    request=request,
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


@transaction.atomic
def decision_allocate(
    *,
    decision: ThresholdDecision,
    user: Practitioner,
    practitioner: Practitioner | None = None,
    team: Team | None = None,
    role: str = "",
) -> list[Involvement]:
    """The front door's decision allocates the concern's children to a social worker and/or a team: each child's
    allocation is an involvement of their agency from the day of the decision, opened through the feeds (so it
    grants that agency detail access, shows whom to contact and is on the audit chain like any other)."""
    if practitioner is None and team is None:
        raise ValidationError({"practitioner": _("Select the social worker or the team to allocate to.")})
    if practitioner is not None and team is not None and practitioner.agency_id != team.agency_id:
        raise ValidationError({"team": _("The social worker is not in this team's agency.")})
    agency = team.agency if team is not None else practitioner.agency if practitioner is not None else None
    if agency is None:
        raise ValidationError({"practitioner": _("This practitioner has no agency to allocate to.")})
    day = timezone.localtime(decision.decided_at).date()
    children = [
        subject.person
        for subject in decision.concern.subjects.filter(role=SubjectRole.CHILD, person__isnull=False).select_related(
            "person"
        )
        if subject.person is not None
    ]
    return [
        involvement_open(
            person=child,
            agency=agency,
            start_date=day,
            team=team,
            practitioner=practitioner,
            role=role,
            opened_by=user,
        )
        for child in children
    ]
