"""The boundary's validators never fail with anything but a clear ValidationError, whatever they are given; and
the board's pages answer odd query values without a server error."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cylch.reviews.validators import CODE_PATTERN, document_text, document_type, names_in, review_code_clean
from tests.reviews.factories import board_officer, review_make


@given(st.text(max_size=60))
def test_a_code_is_either_cleaned_to_the_pattern_or_refused(value):
    try:
        code = review_code_clean(value)
    except ValidationError as error:
        code = str(error.code)
    assert code == "code_format" or CODE_PATTERN.fullmatch(code)


@settings(deadline=None)  # the first call imports the PDF reader; the machine is shared
@given(st.one_of(st.binary(max_size=300), st.binary(max_size=300).map(lambda tail: b"%PDF-1.7\n" + tail)))
def test_any_bytes_are_read_as_a_pdf_or_docx_or_refused(content):
    try:
        outcome = type(document_text(content, document_type(content))).__name__
    except ValidationError as error:
        outcome = str(error.code)
    assert outcome in {"str", "file_type", "file_unreadable"}


@pytest.mark.django_db
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=200))
def test_names_in_any_text_is_a_list_of_its_words(text):
    assert names_in(text) == []  # nobody is on the register here


ODD = ["9" * 25, "\x00", "x" * 5000, "-1", "１２", "2026-02-30", "../../etc/passwd", "NaN"]


@pytest.mark.django_db
@pytest.mark.parametrize("value", ODD)
def test_the_board_pages_answer_odd_query_values(client, value):
    board = board_officer()
    review = review_make(board)
    client.force_login(board)
    params = {"q": value, "review_type": value, "year": value, "theme": value, "local_authority": value}
    assert client.get(reverse("reviews:library"), params).status_code in {200, 400}
    assert client.get(reverse("reviews:recommendations"), {"theme": value, "owner": value}).status_code == 200
    url = reverse("reviews:report-template-docx", args=[review.code])
    assert client.get(url, {"language": value}).status_code == 200
