"""The match-review queue, the merge history and undoing a merge (front-door managers)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from cylch.access.forms import DecisionForm, ReasonForm
from cylch.accounts.permissions import can_review_matches, practitioner_of
from cylch.linkage.merging import match_review_accept, match_review_reject, person_unmerge
from cylch.linkage.models import ReviewStatus
from cylch.linkage.reasons import FIELD_LABELS, evidence_rows, review_reasons
from cylch.linkage.selectors import (
    match_review_compare,
    match_review_list,
    merge_decision_get,
    merge_history_list,
)

SAME, DIFFERENT = "same", "different"


@require_GET
def reviews(request: HttpRequest) -> HttpResponse:
    user = practitioner_of(request)
    if not can_review_matches(user):
        raise Http404(_("Only front-door managers review possible matches"))
    page = match_review_list(user=user, request=request, page_number=request.GET.get("page"))
    return render(
        request,
        "linkage/reviews.html",
        {
            "page": page,
            "reviews": [(review, review_reasons(review.evidence, review.guard)) for review in page.object_list],
            "can_unmerge": can_review_matches(user),
        },
    )


def _review_form(data: object = None) -> DecisionForm:
    return DecisionForm(
        data,
        label=str(_("Are these records about the same person?")),
        choices=[
            (SAME, _("Yes, the same person: merge the new record into the existing one")),
            (DIFFERENT, _("No, different people: keep both records")),
        ],
    )


@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """Two records side by side, and the decision with its reason."""
    user = practitioner_of(request)
    comparison = match_review_compare(user=user, pk=pk, request=request)
    if comparison is None:
        raise Http404(_("No match review has this number"))
    form = _review_form(request.POST if request.method == "POST" else None)
    pending = comparison.review.status == ReviewStatus.PENDING
    if request.method == "POST" and pending and form.is_valid():
        reason = form.cleaned_data["reason"]
        try:
            if form.cleaned_data["decision"] == SAME:
                match_review_accept(review=comparison.review, decided_by=user, reason=reason)
                messages.success(request, _("The records have been merged."))
            else:
                match_review_reject(review=comparison.review, decided_by=user, reason=reason)
                messages.success(request, _("Both records have been kept."))
        except ValidationError:
            form.add_error(None, _("This match has already been decided"))
        else:
            return redirect("linkage:reviews")
    fields = [
        (name, FIELD_LABELS[name]) for name in ("given_name", "family_name", "date_of_birth", "sex", "nhs_number")
    ]
    rows = [
        (
            label,
            getattr(comparison.incoming.person, name),
            getattr(comparison.candidate.person, name),
            getattr(comparison.incoming.person, name) == getattr(comparison.candidate.person, name),
        )
        for name, label in fields
    ]
    return render(
        request,
        "linkage/review.html",
        {
            "c": comparison,
            "review": comparison.review,
            "rows": rows,
            "evidence": evidence_rows(comparison.review.evidence),
            "reasons": review_reasons(comparison.review.evidence, comparison.review.guard),
            "form": form,
            "pending": pending,
        },
    )


@require_GET
def merges(request: HttpRequest) -> HttpResponse:
    user = practitioner_of(request)
    if not can_review_matches(user):
        raise Http404(_("Only front-door managers can see the merge history"))
    return render(request, "linkage/merges.html", {"decisions": merge_history_list(user=user, request=request)})


@require_http_methods(["GET", "POST"])
def unmerge(request: HttpRequest, pk: int) -> HttpResponse:
    """Undo a merge, with a reason: the records and everything that moved go back as they were."""
    user = practitioner_of(request)
    decision = merge_decision_get(user=user, pk=pk)
    if decision is None:
        raise Http404(_("No merge you can undo has this number"))
    form = ReasonForm(request.POST if request.method == "POST" else None)
    form.fields["reason"].label = _("Why are you undoing this merge?")
    form.fields["reason"].error_messages["required"] = _("Enter why you are undoing this merge")
    if request.method == "POST" and form.is_valid():
        try:
            person_unmerge(decision=decision, decided_by=user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error.messages[0] if error.messages else _("This merge cannot be undone"))
        else:
            messages.success(request, _("The merge has been undone."))
            return redirect("linkage:merges")
    return render(request, "linkage/unmerge.html", {"decision": decision, "form": form})
