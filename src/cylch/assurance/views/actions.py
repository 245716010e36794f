"""Pages for action plans: an owner's work list, the board's overdue actions, adding and changing an action (the
board, before sign-off), and recording its progress (its owner, the owning agency or the board, also after)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cylch.accounts.permissions import practitioner_of
from cylch.assurance.forms_actions import ActionForm, ProgressForm
from cylch.assurance.models import Assessment, Component, Cycle, ImprovementAction
from cylch.assurance.permissions import can_run_cycles, can_update_action, runs_cycle
from cylch.assurance.selectors.actions import action_get, my_actions, overdue_actions
from cylch.assurance.selectors.cycles import cycle_get
from cylch.assurance.services.actions import action_add, action_progress, action_update
from cylch.core.forms import form_perform


@require_GET
def actions(request: HttpRequest) -> HttpResponse:
    """The open actions the practitioner owns, then the rest of their agency's: their work list."""
    user = practitioner_of(request)
    return render(
        request,
        "assurance/actions.html",
        {
            "actions": my_actions(user=user),
            "overdue_view": False,
            "is_board": can_run_cycles(user),
            "today": timezone.localdate(),
        },
    )


@require_GET
def actions_overdue(request: HttpRequest) -> HttpResponse:
    """Every open action past its due date in the board's region, longest overdue first."""
    user = practitioner_of(request)
    if not can_run_cycles(user):
        raise PermissionDenied(_("The overdue actions across the region are for the safeguarding board's officers."))
    return render(
        request,
        "assurance/actions.html",
        {
            "actions": overdue_actions(user=user),
            "overdue_view": True,
            "is_board": True,
            "today": timezone.localdate(),
        },
    )


@require_http_methods(["GET", "POST"])
def action_new(request: HttpRequest, pk: int, component: str) -> HttpResponse:
    """The board adds an action to a C's plan."""
    user = practitioner_of(request)
    try:
        cycle = cycle_get(user=user, pk=pk)
        assessment = cycle.assessments.select_related("cycle").get(component=component)
    except (Cycle.DoesNotExist, Assessment.DoesNotExist):
        raise Http404(_("No component of a cycle you can see is here")) from None
    if not runs_cycle(user, cycle):
        raise PermissionDenied(_("Only the board adds actions to a plan."))
    form = ActionForm(request.POST if request.method == "POST" else None, cycle=cycle)
    if request.method == "POST" and form_perform(
        request,
        form,
        _("The action is added to the plan and its owner can see it in their work list."),
        lambda: action_add(assessment=assessment, user=user, **form.cleaned_data),
    ):
        return redirect("assurance:assessment", pk=cycle.pk, component=component)
    return render(
        request,
        "assurance/action_new.html",
        {"cycle": cycle, "assessment": assessment, "component_label": Component(component).label, "form": form},
        status=400 if form.is_bound else 200,
    )


def _action(request: HttpRequest, pk: int) -> ImprovementAction:
    try:
        return action_get(user=practitioner_of(request), pk=pk)
    except ImprovementAction.DoesNotExist:
        raise Http404(_("No action you can see has this number")) from None


@require_http_methods(["GET", "POST"])
def action(request: HttpRequest, pk: int) -> HttpResponse:
    """One action, and its progress: status and evidence of completion."""
    user, found = practitioner_of(request), _action(request, pk)
    initial = {"status": found.status, "evidence_of_completion": found.evidence_of_completion}
    form = ProgressForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form_perform(
        request,
        form,
        _("The action's progress is saved."),
        lambda: action_progress(action=found, user=user, **form.cleaned_data),
    ):
        return redirect("assurance:action", pk=found.pk)
    cycle = found.assessment.cycle
    return render(
        request,
        "assurance/action.html",
        {
            "action": found,
            "cycle": cycle,
            "form": form,
            "may_edit": runs_cycle(user, cycle) and not cycle.is_signed_off,
            "may_record_progress": can_update_action(user, found),
            "today": timezone.localdate(),
        },
        status=400 if form.is_bound else 200,
    )


@require_http_methods(["GET", "POST"])
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The board changes what an action is, who owns it or when it is due (before sign-off)."""
    user, found = practitioner_of(request), _action(request, pk)
    cycle = found.assessment.cycle
    if not runs_cycle(user, cycle):
        raise PermissionDenied(_("Only the board changes an action in the plan."))
    initial = {
        "description": found.description,
        "owner_agency": found.owner_agency_id,
        "owner": found.owner_id,
        "due_on": found.due_on,
    }
    form = ActionForm(request.POST if request.method == "POST" else None, initial=initial, cycle=cycle)
    if request.method == "POST" and form_perform(
        request,
        form,
        _("The action is changed."),
        lambda: action_update(action=found, user=user, **form.cleaned_data),
    ):
        return redirect("assurance:action", pk=found.pk)
    return render(
        request,
        "assurance/action_edit.html",
        {"action": found, "cycle": cycle, "form": form},
        status=400 if form.is_bound else 200,
    )
