"""Pages for practice reviews: each checks who may see it, validates its input and calls one selector or service."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cylch.accounts.models import Practitioner
from cylch.accounts.permissions import practitioner_of
from cylch.core.forms import form_perform, service_errors_add
from cylch.reviews.forms import (
    ActionForm,
    ActionUpdateForm,
    DocumentForm,
    FindingForm,
    LibraryForm,
    RecommendationFilterForm,
    RecommendationForm,
    RegisterForm,
    ReviewForm,
    StagesForm,
)
from cylch.reviews.models import Action, Characteristic, Review, ReviewDocument
from cylch.reviews.permissions import can_run_reviews, can_update_action, owns_action
from cylch.reviews.reports import report_template_docx, report_template_pdf
from cylch.reviews.selectors import (
    action_get,
    agency_actions,
    by_lateness,
    document_get,
    duration_chart,
    duration_summary,
    library_search,
    linked_child,
    open_by_owner,
    open_recommendations,
    quality_checklist,
    recurring_themes,
    review_get,
    reviews_timeliness,
    theme_counts_by_review,
    timeline_chart,
    timeliness,
)
from cylch.reviews.services import (
    QUALITY_FIELDS,
    action_add,
    action_sign_off,
    action_update,
    document_upload,
    finding_add,
    recommendation_add,
    review_register,
    review_update,
    stages_record,
)
from cylch.reviews.validators import DOCX, PDF

CHARACTERISTICS = dict(Characteristic.choices)


def _board(request: HttpRequest) -> Practitioner:
    user = practitioner_of(request)
    if not can_run_reviews(user):
        raise PermissionDenied(_("Practice reviews are for the safeguarding board's officers."))
    return user


def _review(request: HttpRequest, code: str) -> tuple[Practitioner, Review]:
    user = _board(request)
    try:
        return user, review_get(user=user, code=code)
    except Review.DoesNotExist:
        raise Http404(_("No review has this code")) from None


@require_GET
def register(request: HttpRequest) -> HttpResponse:
    """The board's current reviews, latest first, and every past one with its durations."""
    user = _board(request)
    rows = reviews_timeliness(user=user)
    return render(
        request,
        "reviews/register.html",
        {
            "current": by_lateness(rows),
            "past": [row for row in reversed(rows) if not row.is_open],
        },
    )


@require_http_methods(["GET", "POST"])
def review_new(request: HttpRequest) -> HttpResponse:
    """Register a referral for a review: every stage's due date is known from this moment."""
    user = _board(request)
    form = RegisterForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            review = review_register(user=user, **form.cleaned_data)
        except ValidationError as error:
            service_errors_add(form, error)
        else:
            messages.success(request, _("Review %(code)s is registered.") % {"code": review.code})
            return redirect("reviews:review", code=review.code)
    return render(request, "reviews/review_new.html", {"form": form}, status=400 if form.is_bound else 200)


@require_GET
def review(request: HttpRequest, code: str) -> HttpResponse:
    user, found = _review(request, code)
    times = timeliness(found)
    return render(
        request,
        "reviews/review.html",
        {
            "review": found,
            "times": times,
            "timeline": timeline_chart(times),
            "checklist": quality_checklist(found),
            "characteristics": [CHARACTERISTICS.get(code, code) for code in found.characteristics],
            "child": linked_child(user=user, review=found, request=request),
            "today": timezone.localdate(),
        },
    )


@require_http_methods(["GET", "POST"])
def review_edit(request: HttpRequest, code: str) -> HttpResponse:
    """What the quality checklist reads: the family, the review period, the child's story, the analysis."""
    user, found = _review(request, code)
    initial = {name: getattr(found, name) for name in QUALITY_FIELDS}
    initial |= {"title": found.title, "child_cylch_id": found.person.cylch_id if found.person else ""}
    form = ReviewForm(request.POST if request.method == "POST" else None, initial=initial)
    if form_perform(
        request,
        form,
        _("The review's record is saved."),
        lambda: review_update(review=found, user=user, **form.cleaned_data),
    ):
        return redirect("reviews:review", code=found.code)
    return render(
        request, "reviews/review_edit.html", {"review": found, "form": form}, status=400 if form.is_bound else 200
    )


@require_http_methods(["GET", "POST"])
def review_stages(request: HttpRequest, code: str) -> HttpResponse:
    user, found = _review(request, code)
    stages = list(found.stages.all())
    form = StagesForm(request.POST if request.method == "POST" else None, stages=stages)
    if form_perform(
        request,
        form,
        _("The stages' dates are saved."),
        lambda: stages_record(review=found, user=user, dates=form.dates()),
    ):
        return redirect("reviews:review", code=found.code)
    return render(
        request, "reviews/review_stages.html", {"review": found, "form": form}, status=400 if form.is_bound else 200
    )


@require_http_methods(["GET", "POST"])
def finding_new(request: HttpRequest, code: str) -> HttpResponse:
    user, found = _review(request, code)
    form = FindingForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        finding_add(review=found, user=user, **form.cleaned_data)
        messages.success(request, _("The finding is added."))
        return redirect("reviews:review", code=found.code)
    return _form_page(request, found, form, _("Add a finding"))


def _form_page(request: HttpRequest, found: Review, form: Any, heading: Any, **extra: Any) -> HttpResponse:
    return render(
        request,
        "reviews/form.html",
        {"review": found, "form": form, "heading": heading, **extra},
        status=400 if form.is_bound else 200,
    )


@require_http_methods(["GET", "POST"])
def recommendation_new(request: HttpRequest, code: str) -> HttpResponse:
    user, found = _review(request, code)
    form = RecommendationForm(request.POST if request.method == "POST" else None, review=found)
    if form_perform(
        request,
        form,
        _("The recommendation is added."),
        lambda: recommendation_add(review=found, user=user, **form.cleaned_data),
    ):
        return redirect("reviews:review", code=found.code)
    return _form_page(request, found, form, _("Add a recommendation"))


@require_http_methods(["GET", "POST"])
def action_new(request: HttpRequest, code: str, number: int) -> HttpResponse:
    user, found = _review(request, code)
    recommendation = next((r for r in found.recommendations.all() if r.number == number), None)
    if recommendation is None:
        raise Http404(_("The review has no recommendation with this number"))
    form = ActionForm(request.POST if request.method == "POST" else None)
    if form_perform(
        request,
        form,
        _("The action is added to the action plan."),
        lambda: action_add(recommendation=recommendation, user=user, **form.cleaned_data),
    ):
        return redirect("reviews:review", code=found.code)
    return _form_page(request, found, form, _("Add an action"), recommendation=recommendation)


@require_http_methods(["GET", "POST"])
def document_new(request: HttpRequest, code: str) -> HttpResponse:
    """Add a published report or 7-minute briefing to the library (a PDF or Word document, judged by content)."""
    user, found = _review(request, code)
    form = DocumentForm(request.POST or None, request.FILES or None) if request.method == "POST" else DocumentForm()
    if form_perform(
        request,
        form,
        _("The document is in the library."),
        lambda: document_upload(
            review=found,
            user=user,
            kind=form.cleaned_data["kind"],
            language=form.cleaned_data["language"],
            filename=form.cleaned_data["file"].name,
            content=form.cleaned_data["file"].read(),
        ),
    ):
        return redirect("reviews:review", code=found.code)
    return _form_page(request, found, form, _("Add a published report or briefing"), upload=True)


def _language(request: HttpRequest) -> str:
    chosen = request.GET.get("language", "")
    return chosen if chosen in {"en", "cy"} else (translation.get_language() or "en")[:2]


@require_GET
def report_template_docx_download(request: HttpRequest, code: str) -> HttpResponse:
    _user, found = _review(request, code)
    language = _language(request)
    response = HttpResponse(report_template_docx(found, language=language), content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{found.code}-report-template-{language}.docx"'
    return response


@require_GET
def report_template_pdf_download(request: HttpRequest, code: str) -> HttpResponse:
    _user, found = _review(request, code)
    language = _language(request)
    response = HttpResponse(report_template_pdf(found, language=language), content_type=PDF)
    response["Content-Disposition"] = f'attachment; filename="{found.code}-report-template-{language}.pdf"'
    return response


@require_GET
def timeliness_chart(request: HttpRequest) -> HttpResponse:
    """Every review's time from incident to referral and from referral to completion, against 6 months."""
    user = _board(request)
    rows = reviews_timeliness(user=user)
    return render(
        request,
        "reviews/timeliness.html",
        {"rows": rows, "chart": duration_chart(rows), "summary": duration_summary(rows)},
    )


@require_GET
def recommendations(request: HttpRequest) -> HttpResponse:
    """Open recommendations across every review by theme, owner and age, and the themes that keep coming back."""
    user = _board(request)
    form = RecommendationFilterForm(request.GET or None)
    theme, owner = "", None
    if form.is_valid():
        theme, owner = form.cleaned_data["theme"], form.cleaned_data["owner"]
    return render(
        request,
        "reviews/recommendations.html",
        {
            "form": form,
            "recommendations": open_recommendations(user=user, theme=theme, owner=owner),
            "themes": recurring_themes(user=user),
            "owners": open_by_owner(user=user),
            "today": timezone.localdate(),
        },
    )


@require_GET
def library(request: HttpRequest) -> HttpResponse:
    """Search every review of the region before writing new recommendations."""
    user = _board(request)
    form = LibraryForm(request.GET or None)
    hits = []
    if form.is_valid():
        data = form.cleaned_data
        hits = library_search(
            user=user,
            query=data["q"],
            review_type=data["review_type"],
            year=data["year"],
            theme=data["theme"],
            local_authority_id=data["local_authority"].pk if data["local_authority"] else None,
        )
    elif not form.is_bound:
        hits = library_search(user=user)
    return render(
        request,
        "reviews/library.html",
        {"form": form, "hits": hits, "themes": theme_counts_by_review([hit.review for hit in hits])},
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@require_GET
def document(request: HttpRequest, pk: int) -> HttpResponse:
    user = _board(request)
    try:
        found = document_get(user=user, pk=pk)
    except ReviewDocument.DoesNotExist:
        raise Http404(_("No document has this number")) from None
    response = HttpResponse(bytes(found.content), content_type=found.content_type)
    extension = "pdf" if found.content_type == PDF else "docx"
    response["Content-Disposition"] = (
        f'attachment; filename="{found.review.code}-{found.kind}-{found.language}.{extension}"'
    )
    return response


@require_GET
def actions(request: HttpRequest) -> HttpResponse:
    """The actions from practice reviews that the practitioner's agency owns, soonest due first."""
    user = practitioner_of(request)
    return render(
        request,
        "reviews/actions.html",
        {"actions": agency_actions(user=user), "today": timezone.localdate(), "is_board": can_run_reviews(user)},
    )


def _action(request: HttpRequest, pk: int) -> tuple[Practitioner, Action]:
    user = practitioner_of(request)
    try:
        return user, action_get(user=user, pk=pk)
    except Action.DoesNotExist:
        raise Http404(_("No action has this number")) from None


@require_http_methods(["GET", "POST"])
def action(request: HttpRequest, pk: int) -> HttpResponse:
    """One action: its owning agency records progress and evidence; the board signs it off."""
    user, found = _action(request, pk)
    can_update = can_update_action(user, found)
    initial = {
        "status": found.status if found.is_open else "",
        "evidence_of_completion": found.evidence_of_completion,
        "evidence_of_impact": found.evidence_of_impact,
    }
    form = ActionUpdateForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST":
        if not can_update:
            raise PermissionDenied(_("Only the agency that owns this action can update it."))
        if form_perform(
            request,
            form,
            _("The action is updated."),
            lambda: action_update(action=found, user=user, **form.cleaned_data),
        ):
            return redirect("reviews:action", pk=found.pk)
    return render(
        request,
        "reviews/action.html",
        {
            "action": found,
            "form": form if can_update else None,
            "can_sign_off": can_run_reviews(user) and found.is_open,
            "is_owner": owns_action(user, found),
            "is_board": can_run_reviews(user),
            "today": timezone.localdate(),
        },
        status=400 if form.is_bound else 200,
    )


@require_POST
def action_sign_off_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Only the board closes an action, and only with evidence of completion and of impact."""
    user, found = _action(request, pk)
    if not can_run_reviews(user):
        raise PermissionDenied(_("Only the safeguarding board signs off an action."))
    try:
        action_sign_off(action=found, user=user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The action is signed off and closed."))
    return redirect("reviews:action", pk=found.pk)
