"""The demo region's coded reviews: a few dozen, an analysis with something to show, loaded once."""

from __future__ import annotations

import datetime

import pytest

from cylch.synthetic.capabilities import demo_loaders
from cylch.thematic import demo
from cylch.thematic.analysis import ReviewFilter
from cylch.thematic.models import CodedReview
from cylch.thematic.selectors import review_analysis
from tests.factories import LocalAuthorityFactory

pytestmark = pytest.mark.django_db
REFERENCE = datetime.date(2026, 4, 1)


def test_the_demo_loader_is_run_by_cylch_demo():
    assert demo.demo_load in demo_loaders()


def test_the_demo_codes_a_few_dozen_reviews_across_the_local_authorities():
    councils = [LocalAuthorityFactory(), LocalAuthorityFactory()]
    assert demo.demo_load(reference_date=REFERENCE) == {"coded practice reviews": demo.REVIEWS}
    assert set(CodedReview.objects.values_list("local_authority", flat=True)) == {council.pk for council in councils}
    assert not CodedReview.objects.filter(completion_date__gt=REFERENCE).exists()


def test_loading_twice_codes_the_same_reviews_again():
    demo.demo_load(reference_date=REFERENCE)
    demo.demo_load(reference_date=REFERENCE)
    assert CodedReview.objects.count() == demo.REVIEWS


def test_the_demo_analysis_finds_the_inflicted_and_internal_clusters():
    demo.demo_load(reference_date=REFERENCE)
    analysis = review_analysis(review_filter=ReviewFilter())
    clustering = analysis.clustering
    assert clustering is not None
    assert clustering.cluster["vuln_neglect"] == clustering.cluster["vuln_physical_abuse"]
    assert clustering.cluster["vuln_neglect"] != clustering.cluster["vuln_suicidal_thoughts"]
    assert analysis.significant
    assert 0 < analysis.within_expected[0] < analysis.within_expected[1]
