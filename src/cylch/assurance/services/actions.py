"""A C's action plan: the board adds and edits actions until sign-off; owners record progress, before and after.

Sign-off freezes the self-assessment (scores, contributions, returns and the plan's actions as agreed), but the plan
is then carried out: an action's status and evidence of completion can still be recorded, by its owner, the owning
agency's practitioners or the board. Every change writes a revision, after sign-off too, so the history shows how
each action was delivered.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cylch.accounts.models import Agency, Practitioner
from cylch.assurance.history import record_revision
from cylch.assurance.models import ActionStatus, Assessment, ImprovementAction
from cylch.assurance.permissions import can_update_action, cycle_editable, require, runs_cycle

MAX_DESCRIPTION = 2000
MAX_EVIDENCE = 10_000


def _plan_errors(
    assessment: Assessment,
    description: str,
    owner_agency: Agency | None,
    owner: Practitioner | None,
    due_on: datetime.date | None,
) -> dict[str, str]:
    cycle = assessment.cycle
    errors: dict[str, str] = {}
    if not description.strip():
        errors["description"] = _("Enter the action")
    elif len(description) > MAX_DESCRIPTION:
        errors["description"] = _("The action must be %(max)s characters or fewer") % {"max": f"{MAX_DESCRIPTION:,}"}
    if owner_agency is None:
        errors["owner_agency"] = _("Choose the agency that owns the action")
    elif owner_agency.local_authority.region_id != cycle.region_id:
        errors["owner_agency"] = _("Choose an agency in the cycle's region")
    if owner is None:
        errors["owner"] = _("Choose the owner of the action: every action needs a named owner")
    elif owner_agency is not None and owner.agency_id != owner_agency.pk:
        errors["owner"] = _("The owner must be a practitioner of %(agency)s") % {"agency": owner_agency.name}
    elif not owner.is_active:
        errors["owner"] = _("The owner's account is no longer active: choose another owner")
    if due_on is None:
        errors["due_on"] = _("Enter the due date")
    elif due_on < cycle.period_start:
        errors["due_on"] = _("The due date cannot be before the cycle's period starts (%(date)s)") % {
            "date": f"{cycle.period_start:%d/%m/%Y}"
        }
    return errors


def _record(action: ImprovementAction, summary: str, user: Practitioner) -> None:
    record_revision(
        cycle=action.assessment.cycle,
        record=action,
        subject="action",
        summary=summary,
        by=user,
        component=action.assessment.component,
        agency=action.owner_agency,
    )


@transaction.atomic
def action_add(
    *,
    assessment: Assessment,
    user: Practitioner,
    description: str,
    owner_agency: Agency | None,
    owner: Practitioner | None,
    due_on: datetime.date | None,
) -> ImprovementAction:
    """The board adds an action to a C's plan, with a named owner in the owning agency, before sign-off."""
    require(runs_cycle(user, assessment.cycle))
    cycle_editable(assessment.cycle)
    errors = _plan_errors(assessment, description, owner_agency, owner, due_on)
    if errors or owner_agency is None or owner is None or due_on is None:  # each missing one is among the errors
        raise ValidationError(errors)
    action = ImprovementAction.objects.create(
        assessment=assessment,
        description=description.strip(),
        owner_agency=owner_agency,
        owner=owner,
        due_on=due_on,
        updated_by=user,
    )
    _record(action, _("Action added"), user)
    return action


@transaction.atomic
def action_update(
    *,
    action: ImprovementAction,
    user: Practitioner,
    description: str,
    owner_agency: Agency | None,
    owner: Practitioner | None,
    due_on: datetime.date | None,
) -> ImprovementAction:
    """The board changes what an action is, who owns it or when it is due, before sign-off (a new due date
    is chased afresh)."""
    action = ImprovementAction.objects.select_for_update().select_related("assessment__cycle").get(pk=action.pk)
    require(runs_cycle(user, action.assessment.cycle))
    cycle_editable(action.assessment.cycle)
    errors = _plan_errors(action.assessment, description, owner_agency, owner, due_on)
    if errors or owner_agency is None or owner is None or due_on is None:  # each missing one is among the errors
        raise ValidationError(errors)
    if due_on != action.due_on:
        action.chased_at = action.escalated_at = None
    action.description, action.owner_agency, action.owner, action.due_on = (
        description.strip(),
        owner_agency,
        owner,
        due_on,
    )
    action.updated_by, action.updated_at = user, timezone.now()
    action.save()
    _record(action, _("Action changed"), user)
    return action


@transaction.atomic
def action_progress(
    *, action: ImprovementAction, user: Practitioner, status: str, evidence_of_completion: str
) -> ImprovementAction:
    """Record an action's status and evidence: its owner, the owning agency or the board, also after sign-off
    (the plan is delivered after the self-assessment is agreed). Completed needs the evidence."""
    action = ImprovementAction.objects.select_for_update().select_related("assessment__cycle").get(pk=action.pk)
    require(can_update_action(user, action))
    evidence = evidence_of_completion.strip()
    if status not in ActionStatus.values:
        raise ValidationError({"status": _("Choose the action's status")})
    if len(evidence) > MAX_EVIDENCE:
        raise ValidationError(
            {
                "evidence_of_completion": _("The evidence must be %(max)s characters or fewer")
                % {"max": f"{MAX_EVIDENCE:,}"}
            }
        )
    if status == ActionStatus.COMPLETED and not evidence:
        raise ValidationError(
            {"evidence_of_completion": _("Enter the evidence of completion: an action is completed only with it")}
        )
    if status == ActionStatus.COMPLETED:
        action.completed_on = action.completed_on or timezone.localdate()
    else:
        action.completed_on = None
    action.status, action.evidence_of_completion = status, evidence
    action.updated_by, action.updated_at = user, timezone.now()
    action.save()
    _record(action, _("Progress recorded: %(status)s") % {"status": ActionStatus(status).label}, user)
    return action
