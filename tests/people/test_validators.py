import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from cylch.people.text import normalise_postcode
from cylch.people.validators import (
    is_valid_nhs_number,
    is_valid_upn,
    nhs_check_digit,
    upn_check_letter,
    validate_nhs_number,
    validate_postcode,
    validate_upn,
)

nine_digits = st.text(alphabet="0123456789", min_size=9, max_size=9)


def test_known_valid_nhs_number_is_accepted():
    assert is_valid_nhs_number("943 476 5919")


def test_nhs_number_with_wrong_check_digit_is_rejected_with_its_own_message():
    with pytest.raises(ValidationError) as error:
        validate_nhs_number("9434765918")
    assert error.value.code == "nhs_check_digit"


@pytest.mark.parametrize("value", ["943476591", "94347659190", "94347659X9", "", "٩٤٣٤٧٦٥٩١٩"])
def test_nhs_number_of_wrong_shape_is_rejected_for_its_length(value):
    with pytest.raises(ValidationError) as error:
        validate_nhs_number(value)
    assert error.value.code == "nhs_length"


@given(nine_digits)
def test_a_computed_check_digit_always_validates(body):
    digit = nhs_check_digit(body)
    if digit is None:
        assert not any(is_valid_nhs_number(body + str(d)) for d in range(10))
    else:
        assert is_valid_nhs_number(body + str(digit))


@given(nine_digits)
def test_exactly_one_final_digit_or_none_validates(body):
    valid = [d for d in range(10) if is_valid_nhs_number(body + str(d))]
    assert len(valid) <= 1


@given(nine_digits, st.integers(min_value=0, max_value=8), st.integers(min_value=1, max_value=9))
def test_changing_one_digit_of_a_valid_number_invalidates_it(body, position, delta):
    digit = nhs_check_digit(body)
    if digit is None:
        return
    number = body + str(digit)
    changed_digit = (int(number[position]) + delta) % 10
    changed = number[:position] + str(changed_digit) + number[position + 1 :]
    assert not is_valid_nhs_number(changed)


@given(st.text(alphabet="0123456789", min_size=12, max_size=12))
def test_a_computed_upn_check_letter_always_validates(body):
    assert is_valid_upn(upn_check_letter(body) + body)


def test_upn_with_wrong_check_letter_is_rejected():
    body = "801200101001"
    wrong = next(letter for letter in "ABCDEFGH" if letter != upn_check_letter(body))
    with pytest.raises(ValidationError):
        validate_upn(wrong + body)


@pytest.mark.parametrize(("typed", "expected"), [("cf101aa", "CF10 1AA"), (" sa1  1aa ", "SA1 1AA")])
def test_postcodes_are_normalised(typed, expected):
    assert normalise_postcode(typed) == expected


def test_an_impossible_postcode_is_rejected():
    with pytest.raises(ValidationError):
        validate_postcode("12345")
