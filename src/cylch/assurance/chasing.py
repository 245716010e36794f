"""Chasing late assurance returns and overdue improvement actions through the outbox.

A return past its due date and not submitted (in a cycle not yet signed off) is chased with the agency's
contributors to the cycle, or its safeguarding address when nobody there has written anything yet; an open action
past its due date (signed off or not: the plan outlives the self-assessment) with its owner. A week later, if it is
still late, the same people are reminded and the board's officers in the cycle's region are told as well; and so on
each week. A step is claimed on the record (`chased_at`, `escalated_at`) in the same transaction as its messages, and
only if `chased_at` is still what the sweep read, so a sweep run twice, or two at once, never chases anyone twice
in one interval. Every message is worded in its recipient's language.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _

from cylch.accounts.models import Agency, Practitioner, RoleCode
from cylch.assurance.models import AssuranceReturn, Component, Contribution, Cycle, ImprovementAction, Revision
from cylch.assurance.permissions import contributors
from cylch.assurance.selectors.actions import overdue
from cylch.assurance.selectors.returns import late_returns
from cylch.assurance.services.returns import returns_expected_create
from cylch.core.templatetags.govuk import localised_name
from cylch.notifications.services import lazy_message, notification_queue

CHASE_INTERVAL = datetime.timedelta(days=7)

# An agency's name in the language the message is worded in (Welsh when it has one).
_agency_name = lazy(localised_name, str)


@dataclass
class ChaseResult:
    returns_chased: int = 0
    returns_escalated: int = 0
    actions_chased: int = 0
    actions_escalated: int = 0


@dataclass(frozen=True)
class Recipient:
    email: str
    practitioner: Practitioner | None
    key: str


def _people(practitioners: Iterable[Practitioner]) -> list[Recipient]:
    return [Recipient(p.email, p, f"p{p.pk}") for p in practitioners if p.email]


def _board_officers(region_id: int) -> list[Recipient]:
    return _people(
        Practitioner.objects.filter(
            is_active=True, roles__code=RoleCode.BOARD_OFFICER, agency__local_authority__region_id=region_id
        )
        .distinct()
        .order_by("pk")
    )


def _agency_contributors(cycle: Cycle, agency: Agency) -> list[Recipient]:
    """The agency's contributors (`permissions.contributors`) who have written anything in the cycle, else its
    safeguarding address: a front-door worker or a board officer who once wrote there is not chased."""
    writers = set(
        Revision.objects.filter(cycle=cycle, agency=agency, changed_by__agency=agency).values_list(
            "changed_by", flat=True
        )
    )
    writers |= set(Contribution.objects.filter(cycle=cycle, agency=agency).values_list("updated_by", flat=True))
    writers |= set(
        AssuranceReturn.objects.filter(cycle=cycle, agency=agency, updated_by__isnull=False).values_list(
            "updated_by", flat=True
        )
    )
    people = _people(Practitioner.objects.filter(contributors(agency), pk__in=writers).distinct().order_by("pk"))
    if people or not agency.email:
        return people
    return [Recipient(agency.email, None, "agency")]


def _owner(action: ImprovementAction) -> list[Recipient]:
    """The named owner, or the owning agency's safeguarding address if the owner has left."""
    if action.owner.is_active and action.owner.email:
        return _people([action.owner])
    return [Recipient(action.owner_agency.email, None, "agency")] if action.owner_agency.email else []


def _step_due(record: AssuranceReturn | ImprovementAction, now: datetime.datetime) -> tuple[bool, bool]:
    """(chase now, escalate now): once an interval; the board from the second time on."""
    if record.chased_at is not None and record.chased_at > now - CHASE_INTERVAL:
        return False, False
    return True, record.chased_at is not None


def _claim(record: models.Model, seen: datetime.datetime | None, now: datetime.datetime, escalate: bool) -> bool:
    """Stamp the step on the record only if nobody has since: False when another sweep got there first."""
    stamps = {"chased_at": now, **({"escalated_at": now} if escalate else {})}
    unchanged: dict[str, Any] = {"chased_at": seen} if seen is not None else {"chased_at__isnull": True}
    return bool(type(record)._default_manager.filter(pk=record.pk, **unchanged).update(**stamps))


def _send(
    recipients: list[Recipient],
    *,
    template: str,
    subject: str | Promise,
    body: str | Promise,
    ref: str,
    now: datetime.datetime,
) -> None:
    for recipient in recipients:
        notification_queue(
            email=recipient.email,
            recipient=recipient.practitioner,
            template=template,
            subject=subject,
            body=body,
            personalisation={"ref": ref},
            dedupe_key=f"assurance-{template}:{ref}:{now:%Y%m%d}:{recipient.key}",
        )


def _chase_return(found: AssuranceReturn, now: datetime.datetime, result: ChaseResult) -> None:
    chase, escalate = _step_due(found, now)
    if not chase:
        return
    cycle = found.cycle
    values = {
        "agency": _agency_name(found.agency),
        "cycle": cycle.title,
        "start": f"{found.period_start:%d/%m/%Y}",
        "end": f"{found.period_end:%d/%m/%Y}",
        "due": f"{found.due_on:%d/%m/%Y}",
    }
    with transaction.atomic():
        if not _claim(found, found.chased_at, now, escalate):
            return
        link = settings.SERVICE_URL + reverse("assurance:returns", args=[cycle.pk])
        _send(
            _agency_contributors(cycle, found.agency),
            template="return_chase",
            subject=lazy_message(RETURN_CHASE_SUBJECT, **values),
            body=lazy_message(RETURN_CHASE_BODY, link=link, **values),
            ref=f"return-{found.pk}",
            now=now,
        )
        result.returns_chased += 1
        if escalate:
            _send(
                _board_officers(cycle.region_id),
                template="return_escalation",
                subject=lazy_message(RETURN_ESCALATION_SUBJECT, **values),
                body=lazy_message(RETURN_ESCALATION_BODY, link=link, **values),
                ref=f"return-{found.pk}",
                now=now,
            )
            result.returns_escalated += 1


def _chase_action(action: ImprovementAction, now: datetime.datetime, result: ChaseResult) -> None:
    chase, escalate = _step_due(action, now)
    if not chase:
        return
    values = {
        "action": action.description[:200],
        "cycle": action.assessment.cycle.title,
        "component": Component(action.assessment.component).label,
        "owner": action.owner.get_full_name(),
        "agency": _agency_name(action.owner_agency),
        "due": f"{action.due_on:%d/%m/%Y}",
    }
    with transaction.atomic():
        if not _claim(action, action.chased_at, now, escalate):
            return
        _send(
            _owner(action),
            template="action_chase",
            subject=lazy_message(ACTION_CHASE_SUBJECT, **values),
            body=lazy_message(
                ACTION_CHASE_BODY, link=settings.SERVICE_URL + reverse("assurance:action", args=[action.pk]), **values
            ),
            ref=f"action-{action.pk}",
            now=now,
        )
        result.actions_chased += 1
        if escalate:
            _send(
                _board_officers(action.assessment.cycle.region_id),
                template="action_escalation",
                subject=lazy_message(ACTION_ESCALATION_SUBJECT, **values),
                body=lazy_message(
                    ACTION_ESCALATION_BODY, link=settings.SERVICE_URL + reverse("assurance:actions-overdue"), **values
                ),
                ref=f"action-{action.pk}",
                now=now,
            )
            result.actions_escalated += 1


def assurance_chase(*, now: datetime.datetime | None = None) -> ChaseResult:
    """One sweep: make the blank drafts of returns that were never started, then chase every late return and
    overdue action whose last chase was at least an interval ago."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    result = ChaseResult()
    for cycle in Cycle.objects.filter(signed_off_at__isnull=True, contributions_due__lt=today):
        returns_expected_create(cycle=cycle)
    steps: list[tuple[Callable[..., None], Iterable[AssuranceReturn | ImprovementAction]]] = [
        (_chase_return, late_returns(today=today)),
        (_chase_action, overdue(today=today)),
    ]
    for step, records in steps:
        for record in records:
            step(record, now, result)
    return result


RETURN_CHASE_SUBJECT = _("Cylch: your agency's assurance return for %(cycle)s is late")
RETURN_CHASE_BODY = _(
    "The assurance return of %(agency)s for %(cycle)s (%(start)s to %(end)s) was due on %(due)s and has not been "
    "submitted. Please complete and submit it in Cylch: %(link)s"
)
RETURN_ESCALATION_SUBJECT = _("Cylch: an assurance return for %(cycle)s is still late")
RETURN_ESCALATION_BODY = _(
    "%(agency)s has still not submitted its assurance return for %(cycle)s (%(start)s to %(end)s), due on %(due)s, "
    "after a reminder. See the cycle's returns: %(link)s"
)
ACTION_CHASE_SUBJECT = _("Cylch: a 12Cs improvement action you own is overdue (due %(due)s)")
ACTION_CHASE_BODY = _(
    "An improvement action you own in %(cycle)s (%(component)s) was due on %(due)s and is not completed: "
    "%(action)s\nRecord its progress and the evidence of completion in Cylch: %(link)s"
)
ACTION_ESCALATION_SUBJECT = _("Cylch: a 12Cs improvement action is still overdue (due %(due)s)")
ACTION_ESCALATION_BODY = _(
    "An improvement action in %(cycle)s (%(component)s), owned by %(owner)s (%(agency)s), was due on %(due)s and is "
    "still not completed after a reminder: %(action)s\nSee the overdue actions: %(link)s"
)
