"""Validation of identifiers and dates of birth at the boundary: forms, serializers and services call these."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cylch.people.text import normalise_postcode, postcode_pattern

NHS_NUMBER_LENGTH = 10
EARLIEST_DATE_OF_BIRTH = datetime.date(1900, 1, 1)


def validate_date_of_birth(value: datetime.date) -> None:
    if value > timezone.localdate():
        raise ValidationError(_("The date of birth must be today or in the past."), code="future_date_of_birth")
    if value < EARLIEST_DATE_OF_BIRTH:
        raise ValidationError(_("The date of birth must be after 1 January 1900."), code="date_of_birth_too_early")


def nhs_check_digit(first_nine: str) -> int | None:
    """The modulus-11 check digit for nine digits, or None when no valid number can end them (remainder 10)."""
    total = sum(int(d) * w for d, w in zip(first_nine, range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def normalise_nhs_number(value: str) -> str:
    """Strip the spaces and hyphens people type (e.g. '943 476 5919')."""
    return value.replace(" ", "").replace("-", "")


def is_valid_nhs_number(value: str) -> bool:
    digits = normalise_nhs_number(value)
    if len(digits) != NHS_NUMBER_LENGTH or not digits.isascii() or not digits.isdigit():
        return False
    return nhs_check_digit(digits[:9]) == int(digits[9])


def validate_nhs_number(value: str) -> None:
    digits = normalise_nhs_number(value)
    if len(digits) != NHS_NUMBER_LENGTH or not digits.isascii() or not digits.isdigit():
        raise ValidationError(_("Enter an NHS number with 10 digits, like 943 476 5919."), code="nhs_length")
    if not is_valid_nhs_number(digits):
        raise ValidationError(
            _("This is not a valid NHS number: the last digit does not match. Check it and try again."),
            code="nhs_check_digit",
        )


def validate_postcode(value: str) -> None:
    if not postcode_pattern.fullmatch(normalise_postcode(value)):
        raise ValidationError(_("Enter a real postcode, like CF10 1AA."), code="postcode")


UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
UPN_LENGTH = 13


def upn_check_letter(last_twelve: str) -> str:
    """The DfE unique pupil number check letter: weights 2..13 over characters 2..13, modulo 23."""
    total = 0
    for weight, ch in enumerate(last_twelve, start=2):
        total += weight * (int(ch) if ch.isdigit() else UPN_LETTERS.index(ch))
    return UPN_LETTERS[total % 23]


def is_valid_upn(value: str) -> bool:
    upn = value.strip().upper()
    if len(upn) != UPN_LENGTH or upn[0] not in UPN_LETTERS:
        return False
    body = upn[1:]
    if not (body[:11].isascii() and body[:11].isdigit()):
        return False
    if not (body[11].isdigit() or body[11] in UPN_LETTERS):
        return False
    return upn_check_letter(body) == upn[0]


def validate_upn(value: str) -> None:
    if not is_valid_upn(value):
        raise ValidationError(
            _("Enter a unique pupil number of 13 characters, starting with its check letter, like A801200101001."),
            code="upn",
        )
