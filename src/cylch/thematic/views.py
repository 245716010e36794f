"""The board's thematic pages: the analysis with its downloads, the coded reviews, coding one, importing a file.

Each view checks the role, validates its input and calls one selector or service.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cylch.accounts.models import Practitioner
from cylch.accounts.permissions import practitioner_of
from cylch.thematic.analysis import AnalysisRefused, ReviewFilter
from cylch.thematic.forms import AnalysisFilterForm, CodingForm, ImportForm
from cylch.thematic.frame import coding_frame
from cylch.thematic.importing import ImportRefused, Problem
from cylch.thematic.models import CodedReview
from cylch.thematic.permissions import can_analyse_reviews
from cylch.thematic.report import FILES, LANGUAGES, analysis_file, report_context
from cylch.thematic.selectors import coded_review_count, coded_review_get, coded_review_list, review_analysis
from cylch.thematic.services import coded_review_save, coded_reviews_import

FILTER_FIELDS = ("review_type", "local_authority", "date_from", "date_to")


def _board(request: HttpRequest) -> Practitioner:
    user = practitioner_of(request)
    if not can_analyse_reviews(user):
        raise PermissionDenied(_("Practice reviews and their analysis are for the safeguarding board's officers."))
    return user


def _filter_form(request: HttpRequest) -> AnalysisFilterForm:
    chosen = any(key.startswith(FILTER_FIELDS) for key in request.GET)
    return AnalysisFilterForm(request.GET if chosen else None)


def _filter_query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("language", None)
    return query.urlencode()


@require_GET
def analysis(request: HttpRequest) -> HttpResponse:
    """One click: the analysis of the chosen set (all coded reviews until a set is chosen), with its downloads."""
    _board(request)
    form = _filter_form(request)
    context: dict[str, object] = {"form": form, "query": _filter_query(request), "languages": LANGUAGES}
    status = 200
    if form.is_bound and not form.is_valid():
        status = 400
    else:
        review_filter = form.review_filter() if form.is_bound else ReviewFilter()
        try:
            context.update(report_context(review_analysis(review_filter=review_filter)))
        except AnalysisRefused as refused:
            context["refused"] = str(refused)
    context["coded"] = coded_review_count()
    return render(request, "thematic/analysis.html", context, status=status)


@require_GET
def download(request: HttpRequest, name: str) -> HttpResponse:
    """One file of the analysis of the chosen set, in the page's language or the one `language` asks for."""
    _board(request)
    if name not in FILES:
        raise Http404(_("The analysis has no file of this name"))
    language = request.GET.get("language") or (get_language() or "en")[:2]
    if language not in LANGUAGES:
        raise Http404(_("Reports are in English (en) or Welsh (cy)"))
    form = _filter_form(request)
    if form.is_bound and not form.is_valid():
        raise Http404(_("The choice of reviews is not valid: choose it again on the analysis page"))
    try:
        found = review_analysis(review_filter=form.review_filter() if form.is_bound else ReviewFilter())
    except AnalysisRefused as refused:
        raise Http404(str(refused)) from None
    content = analysis_file(found, name, language=language)
    if not content:
        raise Http404(_("Too few child vulnerabilities were coded to cluster them."))
    response = HttpResponse(content, content_type=FILES[name][1])
    stem, extension = name.rsplit(".", 1)
    filename = f"thematic-{stem}-{language}-{timezone.localdate():%Y-%m-%d}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def reviews(request: HttpRequest) -> HttpResponse:
    """Every coded review: its ID, type, local authority, dates and how many codes it shows."""
    _board(request)
    return render(request, "thematic/reviews.html", {"reviews": coded_review_list()})


def _coding_page(request: HttpRequest, review: CodedReview | None) -> HttpResponse:
    user = _board(request)
    form = CodingForm(request.POST if request.method == "POST" else None, review=review)
    if form.is_valid():
        try:
            saved, created = coded_review_save(user=user, **form.review_fields())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if created:
                messages.success(request, _("Review %(id)s is coded.") % {"id": saved.review_id})
            else:
                messages.success(request, _("The coding of review %(id)s is saved.") % {"id": saved.review_id})
            return redirect("thematic:reviews")
    return render(
        request,
        "thematic/coding.html",
        {"form": form, "review": review, "frame": coding_frame()},
        status=400 if form.is_bound else 200,
    )


@require_http_methods(["GET", "POST"])
def review_new(request: HttpRequest) -> HttpResponse:
    """Code a review on a form: its key dates and, group by group, the codes of the frame it shows."""
    return _coding_page(request, None)


@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, review_id: str) -> HttpResponse:
    """Change a coded review (the same form; its ID stays)."""
    _board(request)
    try:
        found = coded_review_get(review_id=review_id)
    except CodedReview.DoesNotExist:
        raise Http404(_("No coded review has this ID")) from None
    return _coding_page(request, found)


@require_http_methods(["GET", "POST"])
def import_reviews(request: HttpRequest) -> HttpResponse:
    """Upload a spreadsheet (CSV) of coded reviews: all or nothing; every problem named by row and column."""
    user = _board(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[Problem] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = coded_reviews_import(data=upload.read(), user=user)
        except ImportRefused as refused:
            problems = refused.problems
        else:
            messages.success(
                request,
                ngettext(
                    "Imported %(total)s review: %(created)s new, %(updated)s updated.",
                    "Imported %(total)s reviews: %(created)s new, %(updated)s updated.",
                    result.created + result.updated,
                )
                % {"total": result.created + result.updated, "created": result.created, "updated": result.updated},
            )
            return redirect("thematic:reviews")
    frame = coding_frame()
    return render(
        request,
        "thematic/import.html",
        {
            "form": form,
            "problems": problems,
            "frame": frame,
            "groups": [(g, frame.in_group(g.key)) for g in frame.groups],
        },
        status=400 if request.method == "POST" else 200,
    )
