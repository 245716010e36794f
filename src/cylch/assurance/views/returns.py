"""Pages for assurance returns: a cycle's returns (the board's side by side, an agency's own), starting, editing,
submitting, reopening and extending one. Each finds what the user may see through the selectors and runs one
service; where the service would refuse a change whatever is typed, the page says why instead of offering a form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cylch.accounts.models import Practitioner
from cylch.accounts.permissions import practitioner_of
from cylch.assurance.forms_returns import ExtendForm, ReturnForm, return_initial
from cylch.assurance.models import AssuranceReturn, Cycle, TrainingLevel
from cylch.assurance.permissions import can_contribute, runs_cycle
from cylch.assurance.selectors.cycles import cycle_get
from cylch.assurance.selectors.returns import ReturnsSummary, cycle_returns, days_late, return_get
from cylch.assurance.services.returns import (
    return_create,
    return_extend,
    return_locked,
    return_reopen,
    return_submit,
    return_update,
)
from cylch.core.forms import form_perform


def _cycle(request: HttpRequest, pk: int) -> tuple[Practitioner, Cycle]:
    user = practitioner_of(request)
    try:
        return user, cycle_get(user=user, pk=pk)
    except Cycle.DoesNotExist:
        raise Http404(_("No cycle you can see has this number")) from None


def _return(request: HttpRequest, pk: int) -> tuple[Practitioner, AssuranceReturn]:
    user = practitioner_of(request)
    try:
        return user, return_get(user=user, pk=pk)
    except AssuranceReturn.DoesNotExist:
        raise Http404(_("No return you can see has this number")) from None


def _agency_may_edit(user: Practitioner, found: AssuranceReturn) -> bool:
    cycle = found.cycle
    return can_contribute(user, cycle, found.agency) and not cycle.is_signed_off and not found.is_submitted


@require_GET
def returns(request: HttpRequest, pk: int) -> HttpResponse:
    """The board: every partner agency's returns, which are submitted and which late, figures side by side. An
    agency: its own returns, and a way to start one."""
    user, cycle = _cycle(request, pk)
    rows = cycle_returns(user=user, cycle=cycle)
    runs = runs_cycle(user, cycle)
    return render(
        request,
        "assurance/returns.html",
        {
            "cycle": cycle,
            "rows": rows,
            "runs": runs,
            "levels": TrainingLevel.choices,
            "may_start": user.agency is not None
            and can_contribute(user, cycle, user.agency)
            and not cycle.is_signed_off,
            "summary": ReturnsSummary.of(rows),
        },
    )


@require_http_methods(["GET", "POST"])
def return_new(request: HttpRequest, pk: int) -> HttpResponse:
    """An agency starts its return for the cycle's period, or part of it."""
    user, cycle = _cycle(request, pk)
    if user.agency is None or not can_contribute(user, cycle, user.agency):
        raise PermissionDenied(_("Only a partner agency's practitioners file its assurance return."))
    locked = return_locked(cycle)
    if locked:
        return _locked(request, cycle, None, locked)
    initial = {"period_start": cycle.period_start, "period_end": cycle.period_end}
    form = ReturnForm(request.POST if request.method == "POST" else None, initial=initial)
    made: list[AssuranceReturn] = []
    agency = user.agency
    if request.method == "POST" and form_perform(
        request,
        form,
        _("Your agency's return is saved as a draft. Submit it when it is complete."),
        lambda: made.append(
            return_create(
                cycle=cycle,
                agency=agency,
                user=user,
                counts=form.counts(),
                gaps=form.cleaned_data["gaps"],
                training=form.training(),
                period_start=form.cleaned_data["period_start"],
                period_end=form.cleaned_data["period_end"],
            )
        ),
    ):
        return redirect("assurance:return", pk=made[0].pk)
    return render(
        request,
        "assurance/return_edit.html",
        {"cycle": cycle, "form": form, "assurance_return": None},
        status=400 if form.is_bound else 200,
    )


def _locked(request: HttpRequest, cycle: Cycle, found: AssuranceReturn | None, reason: str) -> HttpResponse:
    """The return form's page with the reason it cannot be saved in place of the form (a POST is refused)."""
    return render(
        request,
        "assurance/return_edit.html",
        {"cycle": cycle, "form": None, "assurance_return": found, "locked": reason},
        status=400 if request.method == "POST" else 200,
    )


def _detail(request: HttpRequest, user: Practitioner, found: AssuranceReturn, **extra: Any) -> HttpResponse:
    """The return's page; `extend_form` (the board's, before submission and sign-off) given when re-shown with
    its errors."""
    cycle = found.cycle
    runs_open = runs_cycle(user, cycle) and not cycle.is_signed_off
    context = {
        "cycle": cycle,
        "assurance_return": found,
        "training": list(found.training.all()),
        "days_late": days_late(found.due_on, found),
        "may_edit": _agency_may_edit(user, found),
        "may_reopen": runs_open and found.is_submitted,
        "extend_form": ExtendForm() if runs_open and not found.is_submitted else None,
    }
    return render(request, "assurance/return.html", context | extra, status=400 if extra else 200)


@require_GET
def return_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user, found = _return(request, pk)
    return _detail(request, user, found)


@require_POST
def return_extend_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The board gives the agency's return a later due date, with its reason."""
    user, found = _return(request, pk)
    if not runs_cycle(user, found.cycle):
        raise PermissionDenied(_("Only the board grants an extension."))
    form = ExtendForm(request.POST)
    if form_perform(
        request,
        form,
        _("The return's due date is extended. The agency is not chased before it."),
        lambda: return_extend(
            assurance_return=found,
            due_on=form.cleaned_data["due_on"],
            reason=form.cleaned_data["reason"],
            user=user,
        ),
    ):
        return redirect("assurance:return", pk=found.pk)
    return _detail(request, user, found, extend_form=form)


@require_http_methods(["GET", "POST"])
def return_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user, found = _return(request, pk)
    if not can_contribute(user, found.cycle, found.agency):
        raise PermissionDenied(_("Only the agency's own practitioners change its return."))
    locked = return_locked(found.cycle, found)
    if locked:
        return _locked(request, found.cycle, found, locked)
    form = ReturnForm(request.POST if request.method == "POST" else None, initial=return_initial(found))
    if request.method == "POST" and form_perform(
        request,
        form,
        _("Your agency's return is saved."),
        lambda: return_update(
            assurance_return=found,
            user=user,
            counts=form.counts(),
            gaps=form.cleaned_data["gaps"],
            training=form.training(),
            period_start=form.cleaned_data["period_start"],
            period_end=form.cleaned_data["period_end"],
        ),
    ):
        return redirect("assurance:return", pk=found.pk)
    return render(
        request,
        "assurance/return_edit.html",
        {"cycle": found.cycle, "form": form, "assurance_return": found},
        status=400 if form.is_bound else 200,
    )


def _step(request: HttpRequest, pk: int, service: Callable[..., AssuranceReturn], success: str) -> HttpResponse:
    """Submit or reopen: the service's reasons for refusing shown as banners on the return's page."""
    user, found = _return(request, pk)
    try:
        service(assurance_return=found, user=user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect("assurance:return", pk=found.pk)


@require_POST
def return_submit_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, return_submit, _("Your agency's return is submitted to the board."))


@require_POST
def return_reopen_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request, pk, return_reopen, _("The return is reopened: the agency can correct it and submit it again.")
    )
