"""Who has seen a person's record (with the chain check), and deciding requests to see a record."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from cylch.access.forms import DecisionForm
from cylch.access.models import ReviewOutcome
from cylch.access.selectors import (
    access_log_for_person,
    access_request_get,
    access_requests_pending,
    grant_under_review,
    grants_to_review,
)
from cylch.access.services import access_request_decide, grant_review_record
from cylch.accounts.models import RoleCode
from cylch.accounts.permissions import can_verify_audit_chain, practitioner_of
from cylch.audit.selectors import audit_chain_check
from cylch.core.codes import normalise
from cylch.people.models import Person

APPROVE, REFUSE = "approve", "refuse"


def _role_labels(codes: str) -> str:
    """'front_door,information_governance' -> 'Front door, Information governance' (in the active language)."""
    labels = dict(RoleCode.choices)
    return ", ".join(str(labels.get(code, code)) for code in codes.split(",") if code)


@require_http_methods(["GET", "POST"])
def access_log(request: HttpRequest, cylch_id: str) -> HttpResponse:
    """Who has seen this person's record (information governance).

    Posting runs the hash-chain check for the whole log (information governance).
    """
    user = practitioner_of(request)
    try:
        view = access_log_for_person(
            user=user, cylch_id=normalise(cylch_id), request=request, page_number=request.GET.get("page")
        )
    except Person.DoesNotExist:
        raise Http404(_("No one has this Cylch ID")) from None
    if not view.allowed:
        raise PermissionDenied
    report = None
    if request.method == "POST":
        report = audit_chain_check(user=user)
        if report is None:
            raise PermissionDenied
    return render(
        request,
        "access/access_log.html",
        {
            "person": view.person,
            "entries": [(entry, _role_labels(entry.roles)) for entry in view.entries],
            "page": view.page,
            "report": report,
            "can_verify": can_verify_audit_chain(user),
        },
    )


@require_GET
def access_requests(request: HttpRequest) -> HttpResponse:
    """Requests to see records this user's agency leads on (or any, for the front door)."""
    grants = access_requests_pending(user=practitioner_of(request), request=request)
    return render(request, "access/access_requests.html", {"grants": grants})


def _decision_form(data: object = None) -> DecisionForm:
    return DecisionForm(
        data,
        label=str(_("Do you give access to this record?")),
        choices=[(APPROVE, _("Yes, give access for 30 days")), (REFUSE, _("No, refuse the request"))],
    )


@require_http_methods(["GET", "POST"])
def access_request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve or refuse one request, with a reason; the decision is audited."""
    user = practitioner_of(request)
    grant = access_request_get(user=user, pk=pk, request=request)
    if grant is None:
        raise Http404(_("No request you can decide has this number"))
    form = _decision_form(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            access_request_decide(
                grant=grant,
                decided_by=user,
                approve=form.cleaned_data["decision"] == APPROVE,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError:
            form.add_error(None, _("This request has already been decided"))
        else:
            messages.success(request, _("Your decision has been recorded."))
            return redirect("access:access-requests")
    return render(request, "access/access_request.html", {"grant": grant, "form": form})


def _review_form(data: object = None) -> DecisionForm:
    return DecisionForm(
        data,
        label=str(_("Was this access appropriate?")),
        choices=list(ReviewOutcome.choices),
    )


@require_GET
def access_reviews(request: HttpRequest) -> HttpResponse:
    """Information governance's queue: break-glass uses and approved requests not yet reviewed."""
    page = grants_to_review(user=practitioner_of(request), request=request, page_number=request.GET.get("page"))
    if page is None:
        raise PermissionDenied(_("Only information governance reviews access to records."))
    return render(request, "access/access_reviews.html", {"page": page})


@require_http_methods(["GET", "POST"])
def access_review(request: HttpRequest, pk: int) -> HttpResponse:
    """One grant: the reason, what was opened under it, and information governance's outcome with a note."""
    user = practitioner_of(request)
    under_review = grant_under_review(user=user, pk=pk, request=request)
    if under_review is None:
        raise Http404(_("No access you can review has this number"))
    form = _review_form(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            grant_review_record(
                grant=under_review.grant,
                reviewer=user,
                outcome=form.cleaned_data["decision"],
                note=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError:
            form.add_error(None, _("This access has already been reviewed."))
        else:
            messages.success(request, _("Your review has been recorded."))
            return redirect("access:access-reviews")
    return render(request, "access/access_review.html", {"review": under_review, "form": form})
