"""Rules for what a concern may contain, shared by the web question pages and the API serializer."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cylch.people.validators import normalise_nhs_number, validate_nhs_number, validate_upn

MAX_SHORT_TEXT = 100
MAX_TEXT = 10_000
MAX_SUBJECTS = 12
MAX_CHILDREN = 8
EARLIEST_DATE_OF_BIRTH = datetime.date(1900, 1, 1)
LONGEST_PREGNANCY_DAYS = 300


def validate_date_of_birth(value: datetime.date) -> None:
    if value > timezone.localdate():
        raise ValidationError(_("The date of birth must be today or in the past."), code="future_date_of_birth")
    if value < EARLIEST_DATE_OF_BIRTH:
        raise ValidationError(_("The date of birth must be after 1 January 1900."), code="date_of_birth_too_early")


def validate_expected_delivery_date(value: datetime.date) -> None:
    today = timezone.localdate()
    if value < today - datetime.timedelta(days=30):
        raise ValidationError(
            _("The expected date of delivery has passed: enter the baby's date of birth instead."),
            code="edd_past",
        )
    if value > today + datetime.timedelta(days=LONGEST_PREGNANCY_DAYS):
        raise ValidationError(_("The expected date of delivery must be within the next 10 months."), code="edd_too_far")


def validate_happened_on(value: datetime.date) -> None:
    if value > timezone.localdate():
        raise ValidationError(_("The date it happened must be today or in the past."), code="future_date")


def clean_nhs_number(value: str) -> str:
    if not value.strip():
        return ""
    validate_nhs_number(value)
    return normalise_nhs_number(value)


def clean_upn(value: str) -> str:
    if not value.strip():
        return ""
    validate_upn(value)
    return value.strip().upper()
