"""Reading coded reviews and analysing a chosen set of them (no person is read: reviews are coded by kind)."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.utils import timezone

from cylch.thematic.analysis import Analysis, ReviewFilter, analysis_build
from cylch.thematic.frame import coding_frame
from cylch.thematic.models import CodedReview


def coded_review_list() -> QuerySet[CodedReview]:
    """Every coded review with its local authority and how many codes it shows, in review ID order."""
    return CodedReview.objects.select_related("local_authority").annotate(code_count=Count("codes"))


def coded_review_count() -> int:
    return CodedReview.objects.count()


def coded_review_get(*, review_id: str) -> CodedReview:
    """Raises CodedReview.DoesNotExist."""
    return CodedReview.objects.select_related("local_authority").prefetch_related("codes").get(review_id=review_id)


def review_analysis(*, review_filter: ReviewFilter) -> Analysis:
    """The analysis of the reviews the filter chooses; raises AnalysisRefused below two reviews.

    A period is a period of incidents: a review without an incident date cannot be placed in one, so it is left
    out and counted (`Analysis.left_out_undated`).
    """
    reviews = CodedReview.objects.prefetch_related("codes").order_by("review_id")
    if review_filter.review_type:
        reviews = reviews.filter(review_type=review_filter.review_type)
    if review_filter.local_authority is not None:
        reviews = reviews.filter(local_authority=review_filter.local_authority)
    undated = 0
    if review_filter.date_from or review_filter.date_to:
        undated = reviews.filter(incident_date__isnull=True).count()
        reviews = reviews.filter(incident_date__isnull=False)
        if review_filter.date_from:
            reviews = reviews.filter(incident_date__gte=review_filter.date_from)
        if review_filter.date_to:
            reviews = reviews.filter(incident_date__lte=review_filter.date_to)
    return analysis_build(
        list(reviews),
        frame=coding_frame(),
        review_filter=review_filter,
        generated_at=timezone.now(),
        left_out_undated=undated,
    )
