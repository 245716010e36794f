"""Importing a board's CSV: every bad input named by row and column with nothing stored; re-import updates."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from cylch.thematic.importing import ImportRefused
from cylch.thematic.models import CodedReview
from cylch.thematic.services import coded_review_save, coded_reviews_import
from tests.factories import LocalAuthorityFactory

pytestmark = pytest.mark.django_db

HEADER = (
    "review_id,review_type,incident_date,referral_date,learning_event_date,completion_date,vuln_neglect,parent_young"
)
GOOD = f"{HEADER}\nR-1,cpr_concise,2021-01-10,2021-03-01,2022-01-01,2022-11-30,1,0\nR-2,,,,,,0,1\n"


def _refused(text: str | bytes) -> list[tuple[int | None, str | None]]:
    data = text.encode() if isinstance(text, str) else text
    with pytest.raises(ImportRefused) as refused:
        coded_reviews_import(data=data, user=None)
    assert not CodedReview.objects.exists()
    return [(problem.row, problem.column) for problem in refused.value.problems]


def test_a_good_file_creates_every_review_with_its_codes_and_dates():
    result = coded_reviews_import(data=GOOD.encode(), user=None)
    assert (result.created, result.updated) == (2, 0)
    first = CodedReview.objects.get(review_id="R-1")
    assert first.review_type == "cpr_concise"
    assert str(first.completion_date) == "2022-11-30"
    assert [c.code for c in first.codes.all()] == ["vuln_neglect"]
    assert [c.code for c in CodedReview.objects.get(review_id="R-2").codes.all()] == ["parent_young"]
    assert first.frame_version == 1


def test_a_re_import_updates_the_review_it_names():
    coded_reviews_import(data=GOOD.encode(), user=None)
    again = f"{HEADER}\nR-1,cpr_extended,2021-01-10,2021-03-01,,2022-11-30,0,1\n"
    result = coded_reviews_import(data=again.encode(), user=None)
    assert (result.created, result.updated) == (0, 1)
    first = CodedReview.objects.get(review_id="R-1")
    assert first.review_type == "cpr_extended"
    assert first.learning_event_date is None
    assert [c.code for c in first.codes.all()] == ["parent_young"]
    assert CodedReview.objects.count() == 2


def test_a_failed_re_import_leaves_every_review_as_it_was():
    coded_reviews_import(data=GOOD.encode(), user=None)
    bad = f"{HEADER}\nR-1,cpr_extended,,,,,0,0\nR-3,,,,,,2,0\n"
    with pytest.raises(ImportRefused):
        coded_reviews_import(data=bad.encode(), user=None)
    assert CodedReview.objects.get(review_id="R-1").review_type == "cpr_concise"
    assert not CodedReview.objects.filter(review_id="R-3").exists()


def test_a_local_authority_is_found_by_ons_code_or_name():
    council = LocalAuthorityFactory(code="W06000016", name="Rhondda Cynon Taf")
    coded_reviews_import(data=b"review_id,local_authority\nA,W06000016\nB,rhondda cynon taf\n", user=None)
    assert set(CodedReview.objects.values_list("local_authority", flat=True)) == {council.pk}


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (f"{HEADER}\n,cpr_concise,,,,,1,0\n", (2, "review_id")),
        (f"{HEADER}\nR-1,,,,,,1,0\nR-1,,,,,,0,0\n", (3, "review_id")),
        ("review_id,vuln_neglect,not_a_code\nR-1,1,1\n", (1, "not_a_code")),
        (f"{HEADER}\nR-1,,,,,,yes,0\n", (2, "vuln_neglect")),
        (f"{HEADER}\nR-1,,,,,,,0\n", (2, "vuln_neglect")),
        (f"{HEADER}\nR-1,,2021-02-30,,,,1,0\n", (2, "incident_date")),
        (f"{HEADER}\nR-1,,10/01/2021,,,,1,0\n", (2, "incident_date")),
        (f"{HEADER}\nR-1,,,2022-01-02,,2022-01-01,1,0\n", (2, "completion_date")),
        (f"{HEADER}\nR-1,,2021-05-02,,2021-05-01,,1,0\n", (2, "learning_event_date")),
        (f"{HEADER}\nR-1,,2021-05-02,2021-05-01,,,1,0\n", (2, "referral_date")),
        (f"{HEADER}\nR-1,,9999-01-01,,,,1,0\n", (2, "incident_date")),
        (f"{HEADER}\nR-1,concise,,,,,1,0\n", (2, "review_type")),
        ("review_id,review_period_months\nR-1,0\n", (2, "review_period_months")),
        ("review_id,review_period_months\nR-1,١٢\n", (2, "review_period_months")),
        ("review_id,local_authority\nR-1,Nowhere\n", (2, "local_authority")),
        ("review_id,review_id\nR-1,R-1\n", (1, "review_id")),
        ("review id,vuln_neglect\nR-1,1\n", (1, "review id")),
        (f"{HEADER}\nR/1,,,,,,1,0\n", (2, "review_id")),
    ],
)
def test_bad_input_is_named_by_row_and_column_and_nothing_is_stored(text, where):
    assert where in _refused(text)


def test_a_file_without_a_review_id_column_says_so_on_the_header_row():
    assert (1, None) in _refused("vuln_neglect,parent_young\n1,0\n")


def test_a_row_with_too_few_values_is_named():
    assert (3, None) in _refused("review_id,vuln_neglect\nR-1,1\nR-2\n")


@pytest.mark.parametrize("data", [b"", b"   \n\n", "\ufeff".encode()])
def test_an_empty_file_is_refused(data):
    assert _refused(data) == [(None, None)]


def test_a_header_without_reviews_is_refused():
    assert _refused(f"{HEADER}\n") == [(None, None)]


@pytest.mark.parametrize("data", [b"%PDF-1.7\x00\x01\x02\xff", bytes(range(256)) * 4])
def test_a_file_that_is_not_csv_is_refused(data):
    assert _refused(data) == [(None, None)]


def test_every_problem_is_listed_not_only_the_first():
    problems = _refused(f"{HEADER}\nR-1,,,,,,2,0\nR-2,,,,,,1,9\n")
    assert problems == [(2, "vuln_neglect"), (3, "parent_young")]


def test_a_spreadsheet_saved_as_windows_csv_is_read():
    LocalAuthorityFactory(name="Ynys Môn")
    coded_reviews_import(data="review_id,local_authority\nR-1,Ynys Môn\n".encode("cp1252"), user=None)
    assert CodedReview.objects.get().local_authority.name == "Ynys Môn"


def test_the_problem_reads_with_its_row_and_column():
    with pytest.raises(ImportRefused) as refused:
        coded_reviews_import(data=f"{HEADER}\nR-1,,,,,,yes,0\n".encode(), user=None)
    assert str(refused.value.problems[0]) == "Row 2, column vuln_neglect: Must be 0 or 1"


def test_a_code_outside_the_frame_is_refused_and_nothing_is_stored():
    with pytest.raises(ValidationError, match="Not codes of the coding frame: nope"):
        coded_review_save(review_id="R-1", user=None, codes=["vuln_neglect", "nope"])
    assert not CodedReview.objects.exists()
