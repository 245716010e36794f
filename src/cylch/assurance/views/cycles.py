"""Pages for 12Cs cycles: the list, opening one, its summary, each C's page, the board's moderation, an agency's
contribution, evidence files, sign-off and history. Each finds what the user may see through the selectors, runs
one service, and shows the service's errors on the boxes they name."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cylch.accounts.models import Practitioner
from cylch.accounts.permissions import practitioner_of
from cylch.assurance.forms import (
    AssessmentForm,
    AttachmentForm,
    ContributionForm,
    CycleForm,
    PromptForm,
    ReviewPointForm,
    StakeholderForm,
)
from cylch.assurance.models import Assessment, Cycle, EvidenceAttachment, StakeholderPartner
from cylch.assurance.permissions import can_contribute, can_run_cycles, runs_cycle, user_region_id
from cylch.assurance.selectors.cycles import (
    assessment_page,
    attachment_get,
    cycle_get,
    cycle_summary,
    cycles_for,
    history,
)
from cylch.assurance.services.cycles import (
    assessment_update,
    attachment_upload,
    contribution_save,
    cycle_open,
    cycle_sign_off,
    local_prompt_add,
    review_point_add,
    stakeholder_remove,
    stakeholder_set,
)
from cylch.core.forms import form_perform


def _cycle(request: HttpRequest, pk: int) -> tuple[Practitioner, Cycle]:
    user = practitioner_of(request)
    try:
        return user, cycle_get(user=user, pk=pk)
    except Cycle.DoesNotExist:
        raise Http404(_("No cycle you can see has this number")) from None


def _assessment(request: HttpRequest, pk: int, component: str) -> tuple[Practitioner, Cycle, Assessment]:
    user, cycle = _cycle(request, pk)
    try:
        return user, cycle, cycle.assessments.select_related("cycle").get(component=component)
    except Assessment.DoesNotExist:
        raise Http404(_("The 12Cs have no such component")) from None


@require_GET
def cycles(request: HttpRequest) -> HttpResponse:
    """The cycles the user may see: the board's region's, or those the user's agency is a partner in."""
    user = practitioner_of(request)
    return render(
        request,
        "assurance/cycles.html",
        {"cycles": cycles_for(user=user), "may_open": can_run_cycles(user)},
    )


@require_http_methods(["GET", "POST"])
def cycle_new(request: HttpRequest) -> HttpResponse:
    """The board opens a cycle for its region, one of its local authorities or one of its agencies."""
    user = practitioner_of(request)
    region_id = user_region_id(user)
    if not can_run_cycles(user) or region_id is None:
        raise PermissionDenied(_("Only the safeguarding board's officers open 12Cs cycles."))
    form = CycleForm(request.POST if request.method == "POST" else None, region_id=region_id)
    opened: list[Cycle] = []
    if form_perform(
        request,
        form,
        _("The cycle is open. Partner agencies can now contribute."),
        lambda: opened.append(cycle_open(user=user, **form.cleaned_data)),
    ):
        return redirect("assurance:cycle", pk=opened[0].pk)
    return render(request, "assurance/cycle_new.html", {"form": form}, status=400 if form.is_bound else 200)


@require_GET
def cycle(request: HttpRequest, pk: int) -> HttpResponse:
    user, found = _cycle(request, pk)
    return render(request, "assurance/cycle.html", {"cycle": found, "summary": cycle_summary(user=user, cycle=found)})


@require_GET
def assessment(request: HttpRequest, pk: int, component: str) -> HttpResponse:
    user, found, _assessment_row = _assessment(request, pk, component)
    page = assessment_page(user=user, cycle=found, component=component)
    context: dict[str, Any] = {"cycle": found, "page": page, "attachment_form": AttachmentForm()}
    if page.runs and not found.is_signed_off:
        context |= {
            "stakeholder_form": StakeholderForm(cycle=found),
            "review_point_form": ReviewPointForm(),
        }
    return render(request, "assurance/assessment.html", context)


@require_http_methods(["GET", "POST"])
def assessment_edit(request: HttpRequest, pk: int, component: str) -> HttpResponse:
    """The board's agreed scores, evidence, lead, timeframe and, where it departs from a proposal, why."""
    user, found, row = _assessment(request, pk, component)
    if not runs_cycle(user, found):
        raise PermissionDenied(_("Only the board moderates the 12Cs."))
    page = assessment_page(user=user, cycle=found, component=component)
    initial = {
        "ciw_score": row.ciw_score,
        "progress_score": row.progress_score,
        "evidence": row.evidence,
        "moderation_note": row.moderation_note,
        "accountable_lead": row.accountable_lead_id,
        "timeframe": row.timeframe,
    }
    form = AssessmentForm(request.POST if request.method == "POST" else None, initial=initial, cycle=found)
    if request.method == "POST" and form_perform(
        request,
        form,
        _("The agreed assessment is saved."),
        lambda: assessment_update(user=user, assessment=row, **form.cleaned_data),
    ):
        return redirect("assurance:assessment", pk=found.pk, component=component)
    return render(
        request,
        "assurance/assessment_edit.html",
        {"cycle": found, "page": page, "form": form},
        status=400 if form.is_bound else 200,
    )


@require_http_methods(["GET", "POST"])
def contribution_edit(request: HttpRequest, pk: int, component: str) -> HttpResponse:
    """A partner agency's own evidence and proposed scores for one C."""
    user, found, _row = _assessment(request, pk, component)
    if user.agency is None or not can_contribute(user, found, user.agency):
        raise PermissionDenied(_("Only a partner agency contributes to this cycle."))
    page = assessment_page(user=user, cycle=found, component=component)
    own = page.own
    initial = (
        {
            "evidence": own.evidence,
            "proposed_ciw_score": own.proposed_ciw_score,
            "proposed_progress_score": own.proposed_progress_score,
        }
        if own
        else {}
    )
    form = ContributionForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form_perform(
        request,
        form,
        _("Your agency's contribution is saved."),
        lambda: contribution_save(user=user, cycle=found, component=component, **form.cleaned_data),
    ):
        return redirect("assurance:assessment", pk=found.pk, component=component)
    return render(
        request,
        "assurance/contribution_edit.html",
        {"cycle": found, "page": page, "form": form},
        status=400 if form.is_bound else 200,
    )


@require_http_methods(["GET", "POST"])
def prompt_new(request: HttpRequest, pk: int, component: str) -> HttpResponse:
    user, found, _row = _assessment(request, pk, component)
    if not runs_cycle(user, found):
        raise PermissionDenied(_("Only the board adds local prompts."))
    form = PromptForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form_perform(
        request,
        form,
        _("The prompt is added."),
        lambda: local_prompt_add(user=user, cycle=found, component=component, **form.cleaned_data),
    ):
        return redirect("assurance:assessment", pk=found.pk, component=component)
    page = assessment_page(user=user, cycle=found, component=component)
    return render(
        request,
        "assurance/prompt_new.html",
        {"cycle": found, "page": page, "form": form},
        status=400 if form.is_bound else 200,
    )


def _assessment_with_errors(request: HttpRequest, found: Cycle, component: str, **forms_: forms.Form) -> HttpResponse:
    """The C's page again, with the refused form's errors where the user typed."""
    user = practitioner_of(request)
    context: dict[str, Any] = {
        "cycle": found,
        "page": assessment_page(user=user, cycle=found, component=component),
        "attachment_form": AttachmentForm(),
        "stakeholder_form": StakeholderForm(cycle=found),
        "review_point_form": ReviewPointForm(),
        **forms_,
    }
    return render(request, "assurance/assessment.html", context, status=400)


@require_POST
def stakeholder_add(request: HttpRequest, pk: int, component: str) -> HttpResponse:
    user, found, row = _assessment(request, pk, component)
    form = StakeholderForm(request.POST, cycle=found)
    if form_perform(
        request,
        form,
        _("The stakeholder partner is recorded."),
        lambda: stakeholder_set(user=user, assessment=row, **form.cleaned_data),
    ):
        return redirect("assurance:assessment", pk=found.pk, component=component)
    return _assessment_with_errors(request, found, component, stakeholder_form=form)


@require_POST
def stakeholder_delete(request: HttpRequest, pk: int, component: str, stakeholder_pk: int) -> HttpResponse:
    user, found, row = _assessment(request, pk, component)
    try:
        stakeholder = row.stakeholders.select_related("assessment__cycle", "agency").get(pk=stakeholder_pk)
    except StakeholderPartner.DoesNotExist:
        raise Http404(_("No such stakeholder partner")) from None
    try:
        stakeholder_remove(user=user, stakeholder=stakeholder)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The stakeholder partner is removed."))
    return redirect("assurance:assessment", pk=found.pk, component=component)


@require_POST
def review_point_new(request: HttpRequest, pk: int, component: str) -> HttpResponse:
    user, found, row = _assessment(request, pk, component)
    form = ReviewPointForm(request.POST)
    if form_perform(
        request,
        form,
        _("The review point is added."),
        lambda: review_point_add(user=user, assessment=row, **form.cleaned_data),
    ):
        return redirect("assurance:assessment", pk=found.pk, component=component)
    return _assessment_with_errors(request, found, component, review_point_form=form)


@require_POST
def attachment_new(request: HttpRequest, pk: int, component: str) -> HttpResponse:
    """An evidence file: the board's when a board officer of the cycle uploads it, else the user's agency's."""
    user, found, _row = _assessment(request, pk, component)
    form = AttachmentForm(request.POST, request.FILES)
    agency = None if runs_cycle(user, found) else user.agency
    if form_perform(
        request,
        form,
        _("The evidence file is added."),
        lambda: attachment_upload(
            user=user, cycle=found, component=component, upload=form.cleaned_data["upload"], agency=agency
        ),
    ):
        return redirect("assurance:assessment", pk=found.pk, component=component)
    return _assessment_with_errors(request, found, component, attachment_form=form)


@require_GET
def attachment(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    """An evidence file, as a download (never shown inline, so a file cannot run as a page of Cylch)."""
    user, found = _cycle(request, pk)
    try:
        file = attachment_get(user=user, cycle=found, pk=attachment_pk)
    except EvidenceAttachment.DoesNotExist:
        raise Http404(_("No evidence file you can see has this number")) from None
    response = HttpResponse(bytes(file.content), content_type=file.content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(file.filename, safe='')}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_http_methods(["GET", "POST"])
def sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    """What is missing, C by C; the board signs off once nothing is."""
    user, found = _cycle(request, pk)
    if not runs_cycle(user, found):
        raise PermissionDenied(_("Only the board signs a cycle off."))
    error = ""
    if request.method == "POST":
        try:
            cycle_sign_off(user=user, cycle=found)
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(request, _("The cycle is signed off. It can no longer be changed."))
            return redirect("assurance:cycle", pk=found.pk)
    return render(
        request,
        "assurance/sign_off.html",
        {"cycle": found, "summary": cycle_summary(user=user, cycle=found), "error": error},
        status=400 if error else 200,
    )


@require_GET
def cycle_history(request: HttpRequest, pk: int) -> HttpResponse:
    user, found = _cycle(request, pk)
    return render(
        request,
        "assurance/history.html",
        {"cycle": found, "entries": history(user=user, cycle=found), "runs": runs_cycle(user, found)},
    )
