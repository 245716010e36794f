"""Rules for what a concern may contain, shared by the web question pages and the API serializer."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cylch.concerns.models import Category, ConcernKind, FamilyAware, SubjectRole
from cylch.people.models import Ethnicity, Language, Sex
from cylch.people.validators import normalise_nhs_number, validate_date_of_birth, validate_nhs_number, validate_upn

if TYPE_CHECKING:
    from cylch.concerns.services import ConcernInput, SubjectInput

MAX_SHORT_TEXT = 100
MAX_TEXT = 10_000
MAX_SUBJECTS = 12
MAX_CHILDREN = 8
MAX_ADDRESS = 300
MAX_POSTCODE = 10
MAX_PHONE = 32
LONGEST_PREGNANCY_DAYS = 300


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


TOO_LONG = _("Use %(limit_value)s characters or fewer (you used %(show_value)s).")


def _length(errors: dict[str, list[Any]], field: str, value: str, limit: int) -> None:
    if len(value) > limit:
        errors.setdefault(field, []).append(
            ValidationError(TOO_LONG, code="max_length", params={"limit_value": limit, "show_value": len(value)})
        )


def _run(errors: dict[str, list[Any]], field: str, check: Callable[[Any], object], value: Any) -> None:
    try:
        check(value)
    except ValidationError as error:
        errors.setdefault(field, []).extend(error.error_list)


def _subject_errors(subject: SubjectInput, errors: dict[str, list[Any]]) -> None:
    """One person's details, reported under "subjects" as the web's child and household pages word them."""
    field = "subjects"
    if subject.role not in SubjectRole.values:
        errors.setdefault(field, []).append(
            ValidationError(_("Select whether each person is a child or a household member."))
        )
    if subject.sex not in Sex.values:
        errors.setdefault(field, []).append(ValidationError(_("Select the person's sex from the list.")))
    if subject.ethnicity and subject.ethnicity not in Ethnicity.values:
        errors.setdefault(field, []).append(ValidationError(_("Select the person's ethnicity from the list.")))
    if subject.first_language and subject.first_language not in Language.values:
        errors.setdefault(field, []).append(ValidationError(_("Select the person's first language from the list.")))
    for value, limit in (
        (subject.given_name, MAX_SHORT_TEXT),
        (subject.family_name, MAX_SHORT_TEXT),
        (subject.relationship, MAX_SHORT_TEXT),
        (subject.address, MAX_ADDRESS),
        (subject.postcode, MAX_POSTCODE),
    ):
        _length(errors, field, value, limit)
    if subject.nhs_number:
        # Stored as ten bare digits: the web form and the API serializer normalise what people type.
        if normalise_nhs_number(subject.nhs_number) != subject.nhs_number:
            errors.setdefault(field, []).append(
                ValidationError(_("Enter an NHS number with 10 digits, like 943 476 5919."))
            )
        else:
            _run(errors, field, validate_nhs_number, subject.nhs_number)
    if subject.upn:
        _run(errors, field, validate_upn, subject.upn)
    if subject.date_of_birth is not None:
        _run(errors, field, validate_date_of_birth, subject.date_of_birth)
    if subject.expected_delivery_date is not None:
        _run(errors, field, validate_expected_delivery_date, subject.expected_delivery_date)
    if subject.is_unborn and subject.date_of_birth is not None:
        errors.setdefault(field, []).append(
            ValidationError(_("Enter a date of birth or an expected date of delivery, not both."))
        )
    if not subject.is_unborn and subject.expected_delivery_date is not None:
        errors.setdefault(field, []).append(
            ValidationError(_("Only an unborn child has an expected date of delivery."))
        )
    if subject.is_unborn and subject.expected_delivery_date is None:
        errors.setdefault(field, []).append(ValidationError(_("Enter the expected date of delivery.")))
    if subject.role == SubjectRole.CHILD:
        if not any((subject.given_name, subject.family_name, subject.nhs_number, subject.upn, subject.is_unborn)):
            errors.setdefault(field, []).append(
                ValidationError(_("Enter the child's name, or an NHS number or pupil number."))
            )
    elif not (subject.given_name or subject.family_name):
        errors.setdefault(field, []).append(ValidationError(_("Enter the person's name.")))


def validate_concern(data: ConcernInput) -> None:
    """Everything a stored concern must satisfy, whichever way it arrived: the web's check page and the API both
    reach it through `concern_submit`. Raises one ValidationError with every problem, keyed by field."""
    errors: dict[str, list[Any]] = {}

    def fail(field: str, message: Any) -> None:
        errors.setdefault(field, []).append(ValidationError(message))

    if data.kind not in ConcernKind.values:
        fail("kind", _("Select what kind of concern this is."))
    children = [s for s in data.subjects if s.role == SubjectRole.CHILD]
    if not children:
        fail("subjects", _("Add at least one child the concern is about."))
    elif len(children) > MAX_CHILDREN or len(data.subjects) > MAX_SUBJECTS:
        fail(
            "subjects",
            _("A concern can be about at most %(children)s children and %(people)s people in all.")
            % {"children": MAX_CHILDREN, "people": MAX_SUBJECTS},
        )
    for subject in data.subjects:
        _subject_errors(subject, errors)
    if not data.categories:
        fail("categories", _("Select at least one category of concern."))
    elif any(code not in Category.values for code in data.categories):
        fail("categories", _("Select categories from the list."))
    if not data.what_happened.strip():
        fail("what_happened", _("Enter what happened."))
    if data.happened_on is not None:
        _run(errors, "happened_on", validate_happened_on, data.happened_on)
    if data.family_aware not in FamilyAware.values:
        fail("family_aware", _("Select whether the family knows."))
    elif data.family_aware == FamilyAware.NO and not data.family_not_aware_reason.strip():
        fail("family_not_aware_reason", _("Explain why the family does not know about this concern."))
    if data.immediate_risk is None:
        fail("immediate_risk", _("Select whether the child is at immediate risk."))
    elif data.immediate_risk and not data.immediate_risk_details.strip():
        fail("immediate_risk_details", _("Describe the immediate risk."))
    for name in ("what_happened", "how_known", "child_words", "family_not_aware_reason", "immediate_risk_details"):
        _length(errors, name, getattr(data, name), MAX_TEXT)
    _length(errors, "referrer_phone", data.referrer_phone, MAX_PHONE)
    if errors:
        raise ValidationError(errors)
