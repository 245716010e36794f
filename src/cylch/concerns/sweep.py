"""The timescale sweep: notices every concern and challenge waiting past the Wales Safeguarding Procedures'
timescales, and chases. Safe to run as often as you like: each action is recorded once per concern (a unique
row in `TimescaleAction` written in the same transaction as its notifications), so nothing is chased twice.

- decision overdue: no decision by the end of the first working day after receipt → alert the front door;
- day 7: no outcome on the seventh working day after receipt → chase the front door, tell the referrer;
- day 10: still none on the tenth → escalate to the front-door managers;
- a challenge not answered within its own timescale (5 working days) → alert the managers;
- an information request unanswered after its due date → remind the agency it was sent to, once.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cylch.accounts.models import RoleCode
from cylch.concerns.models import Challenge, ChallengeStatus, Concern, InformationRequest, TimescaleAction
from cylch.concerns.services import ESCALATION_WORKING_DAYS, front_door_staff, notify_staff
from cylch.concerns.triage import information_request_link
from cylch.core.working_days import add_working_days
from cylch.notifications.services import lazy_message, notification_queue


@dataclass
class SweepResult:
    decision_overdue: int = 0
    chased: int = 0
    escalated: int = 0
    challenges_overdue: int = 0
    information_chased: int = 0


def _claim(concern: Concern, kind: str, subject_id: int = 0) -> bool:
    """Record the action; False if it was already taken (by an earlier sweep or a concurrent one)."""
    try:
        with transaction.atomic():
            TimescaleAction.objects.create(concern=concern, kind=kind, subject_id=subject_id)
    except IntegrityError:
        return False
    return True


def _done(concern_ids: list[int], kind: str) -> set[int]:
    return set(
        TimescaleAction.objects.filter(concern_id__in=concern_ids, kind=kind).values_list("concern_id", flat=True)
    )


def timescale_sweep(*, now: datetime.datetime | None = None) -> SweepResult:
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    result = SweepResult()
    undecided = list(Concern.objects.filter(decided_at__isnull=True).select_related("referrer"))
    ids = [c.pk for c in undecided]
    overdue_done = _done(ids, TimescaleAction.Kind.DECISION_OVERDUE)
    chase_done = _done(ids, TimescaleAction.Kind.FEEDBACK_CHASE)
    escalation_done = _done(ids, TimescaleAction.Kind.ESCALATION)
    for concern in undecided:
        received = timezone.localtime(concern.received_at).date()
        if concern.pk not in overdue_done and now >= concern.decision_due_at:
            with transaction.atomic():
                if _claim(concern, TimescaleAction.Kind.DECISION_OVERDUE):
                    notify_staff(
                        front_door_staff(concern, RoleCode.FRONT_DOOR),
                        template="decision_overdue",
                        subject=lazy_message(_("Decision overdue: concern %(reference)s"), reference=concern.reference),
                        body=lazy_message(
                            _("Concern %(reference)s has passed its one-working-day decision timescale."),
                            reference=concern.reference,
                        ),
                        reference=concern.reference,
                        dedupe=f"overdue:{concern.reference}",
                    )
                    result.decision_overdue += 1
        if concern.pk not in chase_done and today >= concern.feedback_due_on:
            with transaction.atomic():
                if _claim(concern, TimescaleAction.Kind.FEEDBACK_CHASE):
                    notify_staff(
                        front_door_staff(concern, RoleCode.FRONT_DOOR),
                        template="feedback_chase",
                        subject=lazy_message(
                            _("Chase: no outcome for concern %(reference)s after 7 working days"),
                            reference=concern.reference,
                        ),
                        body=lazy_message(
                            _("The referrer of %(reference)s has not been told an outcome within 7 working days."),
                            reference=concern.reference,
                        ),
                        reference=concern.reference,
                        dedupe=f"chase:{concern.reference}",
                    )
                    notification_queue(
                        recipient=concern.referrer,
                        email=concern.referrer.email,
                        template="referrer_chased",
                        subject=lazy_message(
                            _("We have chased the front door about %(reference)s"), reference=concern.reference
                        ),
                        body=lazy_message(
                            _(
                                "There is no outcome yet for your concern %(reference)s after 7 working days. "
                                "Cylch has chased the front door for you; you will be told the outcome."
                            ),
                            reference=concern.reference,
                        ),
                        personalisation={"reference": concern.reference},
                        dedupe_key=f"chased-referrer:{concern.reference}",
                    )
                    result.chased += 1
        if concern.pk not in escalation_done and today >= add_working_days(received, ESCALATION_WORKING_DAYS):
            with transaction.atomic():
                if _claim(concern, TimescaleAction.Kind.ESCALATION):
                    notify_staff(
                        front_door_staff(concern, RoleCode.FRONT_DOOR_MANAGER),
                        template="escalation",
                        subject=lazy_message(
                            _("Escalation: concern %(reference)s has no outcome after 10 working days"),
                            reference=concern.reference,
                        ),
                        body=lazy_message(
                            _("Concern %(reference)s has had no outcome for 10 working days."),
                            reference=concern.reference,
                        ),
                        reference=concern.reference,
                        dedupe=f"escalate:{concern.reference}",
                    )
                    result.escalated += 1
    for challenge in Challenge.objects.filter(status=ChallengeStatus.OPEN, due_at__lte=now).select_related("concern"):
        with transaction.atomic():
            if _claim(challenge.concern, TimescaleAction.Kind.CHALLENGE_OVERDUE, challenge.pk):
                notify_staff(
                    front_door_staff(challenge.concern, RoleCode.FRONT_DOOR_MANAGER),
                    template="challenge_overdue",
                    subject=lazy_message(
                        _("Challenge overdue on concern %(reference)s"), reference=challenge.concern.reference
                    ),
                    body=lazy_message(
                        _("A professional challenge on %(reference)s has passed its response timescale."),
                        reference=challenge.concern.reference,
                    ),
                    reference=challenge.concern.reference,
                    dedupe=f"challenge-overdue:{challenge.pk}",
                )
                result.challenges_overdue += 1
    for request in InformationRequest.objects.filter(responded_at__isnull=True, due_on__lt=today).select_related(
        "concern", "agency"
    ):
        with transaction.atomic():
            if _claim(request.concern, TimescaleAction.Kind.INFORMATION_OVERDUE, request.pk):
                notification_queue(
                    email=request.agency.email,
                    template="information_request_chase",
                    subject=lazy_message(
                        _("Reminder: information request for concern %(reference)s"),
                        reference=request.concern.reference,
                    ),
                    body=lazy_message(
                        _(
                            "The front door asked your agency on %(asked)s for information about concern "
                            "%(reference)s. An answer was due by %(due)s. Please answer in Cylch: %(link)s"
                        ),
                        asked=f"{timezone.localtime(request.requested_at):%d/%m/%Y}",
                        due=f"{request.due_on:%d/%m/%Y}",
                        reference=request.concern.reference,
                        link=information_request_link(request),
                    ),
                    personalisation={
                        "reference": request.concern.reference,
                        "due": request.due_on.isoformat(),
                        "link": information_request_link(request),
                    },
                    dedupe_key=f"inforeq-chase:{request.pk}",
                )
                result.information_chased += 1
    return result
