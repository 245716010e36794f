"""Reading action plans: a C's actions, an owner's work list, the board's overdue actions.

The same rule (`permissions.can_see_action`) decides who sees one action and filters every list: the board sees
its region's, an owner and the owning agency theirs.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from cylch.accounts.models import Practitioner
from cylch.assurance.models import ActionStatus, Assessment, ImprovementAction
from cylch.assurance.permissions import can_run_cycles, can_see_action, runs_cycle, user_region_id


def _visible(user: Practitioner) -> Q:
    """The actions `user` may see, as a filter (the list form of `can_see_action`)."""
    mine = Q(owner=user)
    if user.agency_id is not None:
        mine |= Q(owner_agency_id=user.agency_id)
    if can_run_cycles(user):
        mine |= Q(assessment__cycle__region_id=user_region_id(user))
    return mine if user.is_active else Q(pk__in=[])


def _with_context(actions: QuerySet[ImprovementAction]) -> QuerySet[ImprovementAction]:
    return actions.select_related("assessment__cycle", "owner", "owner_agency")


def assessment_actions(*, user: Practitioner, assessment: Assessment) -> QuerySet[ImprovementAction]:
    """A C's action plan as `user` may see it: all of it for the board, an agency's own actions otherwise."""
    actions = _with_context(ImprovementAction.objects.filter(assessment=assessment))
    if runs_cycle(user, assessment.cycle):
        return actions
    return actions.filter(_visible(user))


def action_get(*, user: Practitioner, pk: int) -> ImprovementAction:
    """One action; anyone who may not see it is told it does not exist."""
    found = _with_context(ImprovementAction.objects.all()).get(pk=pk)
    if not can_see_action(user, found):
        raise ImprovementAction.DoesNotExist
    return found


def my_actions(*, user: Practitioner) -> QuerySet[ImprovementAction]:
    """The open actions `user` owns, then the rest of their agency's, soonest due first: their work list."""
    ownership = Q(owner=user) | Q(owner_agency_id=user.agency_id) if user.agency_id else Q(owner=user)
    return (
        _with_context(ImprovementAction.objects.filter(ownership).exclude(status=ActionStatus.COMPLETED))
        .annotate(not_mine=Case(When(owner=user, then=Value(0)), default=Value(1), output_field=IntegerField()))
        .order_by("not_mine", "due_on", "pk")
    )


def owned_open_actions(*, user: Practitioner) -> QuerySet[ImprovementAction]:
    """The open actions `user` is the named owner of, soonest due first (the home page lists them)."""
    return _with_context(
        ImprovementAction.objects.filter(owner=user).exclude(status=ActionStatus.COMPLETED).order_by("due_on", "pk")
    )


def overdue_actions(*, user: Practitioner, today: datetime.date | None = None) -> QuerySet[ImprovementAction]:
    """Every open action past its due date in the board's region's cycles, signed off or not, longest overdue
    first. For the board only."""
    region_id = user_region_id(user)
    if region_id is None or not can_run_cycles(user):
        raise PermissionDenied
    return overdue(today=today).filter(assessment__cycle__region_id=region_id)


def overdue(*, today: datetime.date | None = None) -> QuerySet[ImprovementAction]:
    """Open actions past their due date, everywhere (what the chase works on)."""
    day = today or timezone.localdate()
    return _with_context(
        ImprovementAction.objects.filter(due_on__lt=day).exclude(status=ActionStatus.COMPLETED).order_by("due_on", "pk")
    )
