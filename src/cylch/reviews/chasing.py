"""Chasing overdue actions: the platform does the chasing the 2023 analysis found nobody did.

An action not completed by its due date is chased once with its owning agency (its safeguarding address); if it is
still not completed on the `ESCALATION_WORKING_DAYS`-th working day after its due date, it is escalated to the board's
officers in the review's region. Each step is stamped on the action in the same transaction as its messages, so a
sweep run twice (or two at once) chases nobody twice.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cylch.accounts.models import Practitioner, RoleCode
from cylch.core.working_days import add_working_days
from cylch.notifications.services import lazy_message, notification_queue
from cylch.reviews.models import Action, ActionStatus

ESCALATION_WORKING_DAYS = 10
CHASED_STATUSES = (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS)


@dataclass
class ChaseResult:
    chased: int = 0
    escalated: int = 0


def _board_officers(action: Action) -> list[Practitioner]:
    region_id = action.recommendation.review.local_authority.region_id
    return list(
        Practitioner.objects.filter(
            is_active=True, roles__code=RoleCode.BOARD_OFFICER, agency__local_authority__region_id=region_id
        ).distinct()
    )


def _chase(action: Action, now: datetime.datetime) -> bool:
    with transaction.atomic():
        claimed = Action.objects.filter(pk=action.pk, chased_at__isnull=True).update(chased_at=now)
        if not claimed:
            return False
        code = action.recommendation.review.code
        notification_queue(
            email=action.owner_agency.email,
            template="review_action_chase",
            subject=lazy_message(_("Overdue review action: %(code)s"), code=code),
            body=lazy_message(
                _(
                    "An action your agency owns for practice review %(code)s was due on %(due)s and is not "
                    "completed. Please record its progress and evidence in Cylch."
                ),
                code=code,
                due=f"{action.due_on:%d/%m/%Y}",
            ),
            personalisation={"code": code, "due": action.due_on.isoformat(), "action": action.pk},
            dedupe_key=f"review-action-chase:{action.pk}",
        )
    return True


def _escalate(action: Action, now: datetime.datetime) -> bool:
    with transaction.atomic():
        claimed = Action.objects.filter(pk=action.pk, escalated_at__isnull=True).update(escalated_at=now)
        if not claimed:
            return False
        code = action.recommendation.review.code
        for officer in _board_officers(action):
            notification_queue(
                recipient=officer,
                email=officer.email,
                template="review_action_escalation",
                subject=lazy_message(_("Escalation: review action for %(code)s is overdue"), code=code),
                body=lazy_message(
                    _(
                        "An action owned by %(agency)s for practice review %(code)s was due on %(due)s and is "
                        "still not completed after %(days)s working days."
                    ),
                    agency=action.owner_agency.name,
                    code=code,
                    due=f"{action.due_on:%d/%m/%Y}",
                    days=ESCALATION_WORKING_DAYS,
                ),
                personalisation={"code": code, "due": action.due_on.isoformat(), "action": action.pk},
                dedupe_key=f"review-action-escalation:{action.pk}:{officer.pk}",
            )
    return True


def actions_chase(*, now: datetime.datetime | None = None) -> ChaseResult:
    """Chase every overdue action once and escalate those still overdue after the escalation period."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    result = ChaseResult()
    overdue = Action.objects.filter(status__in=CHASED_STATUSES, due_on__lt=today).select_related(
        "owner_agency", "recommendation__review__local_authority"
    )
    for action in overdue:
        if action.chased_at is None and _chase(action, now):
            result.chased += 1
        if (
            action.escalated_at is None
            and today >= add_working_days(action.due_on, ESCALATION_WORKING_DAYS)
            and _escalate(action, now)
        ):
            result.escalated += 1
    return result
