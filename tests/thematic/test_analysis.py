"""An analysis of a chosen set: refused below two reviews, the set chosen by type, area and period, the summary."""

from __future__ import annotations

import datetime

import pytest

from cylch.thematic.analysis import AnalysisRefused, ReviewFilter, plain_summary
from cylch.thematic.models import ReviewType
from cylch.thematic.selectors import review_analysis
from tests.factories import LocalAuthorityFactory
from tests.thematic.factories import coded_review, reviews_with_structure

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("count", [0, 1])
def test_fewer_than_two_reviews_explains_why_it_cannot_run(count):
    for number in range(count):
        coded_review(f"R-{number}", ["vuln_neglect"])
    with pytest.raises(AnalysisRefused, match="needs at least 2"):
        review_analysis(review_filter=ReviewFilter())


def test_no_matching_review_is_said_in_words_not_as_only_0():
    with pytest.raises(AnalysisRefused, match=r"^No reviews match this choice"):
        review_analysis(review_filter=ReviewFilter())


def test_the_susr_is_named_as_the_review_pages_name_it():
    assert ReviewType.SUSR.label == "Single Unified Safeguarding Review (SUSR)"


def test_the_analysis_covers_every_code_and_the_reviews_chosen():
    reviews_with_structure(12)
    analysis = review_analysis(review_filter=ReviewFilter())
    assert analysis.total == 12
    counts = {count.code: count.n for count in analysis.counts}
    assert len(counts) == len(analysis.frame.codes)
    assert (counts["vuln_neglect"], counts["known_police"], counts["vuln_young_carer"]) == (6, 12, 0)


def test_the_clustering_splits_the_planted_groups():
    reviews_with_structure(12)
    clustering = review_analysis(review_filter=ReviewFilter()).clustering
    assert clustering is not None
    assert clustering.cluster["vuln_neglect"] == clustering.cluster["vuln_physical_abuse"]
    assert clustering.cluster["vuln_neglect"] != clustering.cluster["vuln_self_esteem"]


def test_a_type_chooses_its_reviews():
    reviews_with_structure(12)
    assert review_analysis(review_filter=ReviewFilter(review_type="cpr_concise")).total == 6


def test_a_local_authority_chooses_its_reviews():
    council, other = LocalAuthorityFactory(), LocalAuthorityFactory()
    for number in range(3):
        coded_review(f"A-{number}", ["vuln_neglect"], local_authority=council)
    coded_review("B-0", ["vuln_neglect"], local_authority=other)
    assert review_analysis(review_filter=ReviewFilter(local_authority=council)).total == 3


def test_a_period_is_of_incidents_and_counts_the_reviews_left_out_without_one():
    coded_review("A", incident_date=datetime.date(2020, 1, 1))
    coded_review("B", incident_date=datetime.date(2020, 12, 31))
    coded_review("C", incident_date=datetime.date(2021, 1, 1))
    coded_review("D")
    analysis = review_analysis(
        review_filter=ReviewFilter(date_from=datetime.date(2020, 1, 1), date_to=datetime.date(2020, 12, 31))
    )
    assert (analysis.total, analysis.left_out_undated) == (2, 1)


def test_timeliness_counts_reviews_completed_within_six_months_of_referral():
    referral = datetime.date(2022, 3, 14)
    coded_review("ON-TIME", referral_date=referral, completion_date=datetime.date(2022, 9, 14))
    coded_review("LATE", referral_date=referral, completion_date=datetime.date(2022, 9, 15))
    coded_review("UNDATED")
    analysis = review_analysis(review_filter=ReviewFilter())
    assert analysis.within_expected == (1, 2)
    assert analysis.measures["referral_to_completion"].n == 2
    assert analysis.missing_a_date == 3


def test_the_summary_says_what_it_rests_on_and_what_stands_out():
    reviews_with_structure(12)
    summary = " ".join(plain_summary(review_analysis(review_filter=ReviewFilter())))
    assert "12 coded reviews" in summary
    assert "Child vulnerabilities fall into 2 clusters" in summary
    assert "completed within 6 months of referral" in summary
    assert "too few to generalise" in summary
