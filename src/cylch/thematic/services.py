"""Writing coded reviews: one review from the form, or a whole spreadsheet at once (all or nothing)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cylch.accounts.models import LocalAuthority, Practitioner
from cylch.thematic.frame import coding_frame
from cylch.thematic.importing import ImportRefused, local_authority_problems, reviews_csv_parse
from cylch.thematic.models import CodedReview, ReviewCode


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int


def _known_local_authorities() -> dict[str, int]:
    known: dict[str, int] = {}
    for pk, code, name, name_cy in LocalAuthority.objects.values_list("pk", "code", "name", "name_cy"):
        for text in (code, name, name_cy):
            if text:
                known[text.lower()] = pk
    return known


def _codes_set(review: CodedReview, codes: Iterable[str]) -> None:
    review.codes.all().delete()
    ReviewCode.objects.bulk_create(ReviewCode(review=review, code=code) for code in sorted(codes))


@transaction.atomic
def coded_review_save(
    *,
    review_id: str,
    user: Practitioner | None,
    codes: Iterable[str],
    review_type: str = "",
    local_authority: LocalAuthority | None = None,
    incident_date: datetime.date | None = None,
    referral_date: datetime.date | None = None,
    learning_event_date: datetime.date | None = None,
    completion_date: datetime.date | None = None,
    review_period_months: int | None = None,
) -> tuple[CodedReview, bool]:
    """Create or replace the coding of one review (everything it held before is replaced); True if new.

    Raises ValidationError (naming the field) for anything the model refuses, and then stores nothing.
    """
    frame = coding_frame()
    chosen = set(codes)
    unknown = chosen - set(frame.by_key)
    if unknown:
        raise ValidationError(
            {"codes": _("Not codes of the coding frame: %(codes)s") % {"codes": ", ".join(sorted(unknown))}}
        )
    review = CodedReview.objects.select_for_update().filter(review_id=review_id).first()
    created = review is None
    review = review or CodedReview(review_id=review_id)
    review.review_type = review_type
    review.local_authority = local_authority
    review.incident_date = incident_date
    review.referral_date = referral_date
    review.learning_event_date = learning_event_date
    review.completion_date = completion_date
    review.review_period_months = review_period_months
    review.frame_version = frame.version
    review.coded_by = user
    review.full_clean()
    review.save()
    _codes_set(review, chosen)
    return review, created


@transaction.atomic
def coded_reviews_import(*, data: bytes, user: Practitioner | None) -> ImportResult:
    """Import a board's CSV of coded reviews: every row is checked before anything is written, and a row replaces
    what was held for its review_id (a re-import updates). Raises ImportRefused with every problem found."""
    frame = coding_frame()
    rows = reviews_csv_parse(data, frame=frame, today=timezone.localdate())
    known = _known_local_authorities()
    problems = local_authority_problems(rows, known)
    if problems:
        raise ImportRefused(problems)
    existing = set(
        CodedReview.objects.filter(review_id__in=[row.review_id for row in rows]).values_list("review_id", flat=True)
    )
    authorities = LocalAuthority.objects.in_bulk(set(known.values()))
    for row in rows:
        coded_review_save(
            review_id=row.review_id,
            user=user,
            codes=row.codes,
            review_type=row.review_type,
            local_authority=authorities[known[row.local_authority.lower()]] if row.local_authority else None,
            review_period_months=row.review_period_months,
            **row.dates,
        )
    return ImportResult(created=len(rows) - len(existing), updated=len(existing))
