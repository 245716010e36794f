"""Coded reviews for the thematic tests, written through the service as the form and the import write them."""

from __future__ import annotations

import datetime
from typing import Any

from cylch.thematic.models import CodedReview
from cylch.thematic.services import coded_review_save


def coded_review(review_id: str, codes: tuple[str, ...] | list[str] = (), **fields: Any) -> CodedReview:
    review, _created = coded_review_save(review_id=review_id, user=None, codes=codes, **fields)
    return review


def reviews_with_structure(count: int = 12) -> list[CodedReview]:
    """`count` reviews: the first half babies with inflicted harm, the rest teenagers with internal harm, every one
    with a domestic-abuse household known to the police, and dates a little over a year apart."""
    made = []
    for number in range(count):
        young = number < count // 2
        codes = ["known_childrens_services", "parent_domestic_abuse", "known_police"]
        if young:
            codes += ["age_0_3_months", "vuln_neglect", "vuln_physical_abuse", "vuln_emotional_abuse"]
        else:
            codes += ["age_13_plus", "vuln_self_esteem", "vuln_suicidal_thoughts", "vuln_neurodiversity"]
        if number % 3 == 0:
            codes.append("parent_mental_health")
        incident = datetime.date(2018 + number % 5, 1 + number % 12, 10)
        made.append(
            coded_review(
                f"T-{number:02d}",
                codes,
                review_type="cpr_concise" if number % 2 else "cpr_extended",
                incident_date=incident,
                referral_date=incident + datetime.timedelta(days=120),
                completion_date=incident + datetime.timedelta(days=120 + 30 * (4 + number)),
                learning_event_date=None if number == 0 else incident + datetime.timedelta(days=400),
            )
        )
    return made
