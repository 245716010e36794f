"""API shapes: validate an incoming concern into a `ConcernInput`, and present one back. No business rules."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cylch.concerns import validation
from cylch.concerns.models import Category, Concern, ConcernKind, FamilyAware, SubjectRole
from cylch.concerns.selectors import current_decision_of
from cylch.concerns.services import ConcernInput, SubjectInput
from cylch.people.models import Ethnicity, Language, Sex
from cylch.people.validators import validate_date_of_birth


def _django(validator: Any) -> Any:
    """Run a Django validator, reporting its message as a DRF field error."""

    def run(value: Any) -> Any:
        try:
            return validator(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from error

    return run


class StrictCharField(serializers.CharField):
    """Text, and only text: DRF's CharField would turn 42 or true into "42" or "True"."""

    default_error_messages = {
        "invalid": _("Enter text."),
        "max_length": _("Use {max_length} characters or fewer."),
    }

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


def _choice(choices: Any, message: Any, **kwargs: Any) -> serializers.ChoiceField:
    return serializers.ChoiceField(
        choices=choices, error_messages={"invalid_choice": message, "required": message}, **kwargs
    )


class SubjectSerializer(serializers.Serializer[dict[str, Any]]):
    role = _choice(
        SubjectRole.choices,
        _("Select whether each person is a child or a household member."),
        default=SubjectRole.CHILD,
    )
    given_name = StrictCharField(max_length=validation.MAX_SHORT_TEXT, required=False, allow_blank=True)
    family_name = StrictCharField(max_length=validation.MAX_SHORT_TEXT, required=False, allow_blank=True)
    date_of_birth = serializers.DateField(required=False, allow_null=True, validators=[_django(validate_date_of_birth)])
    is_unborn = serializers.BooleanField(required=False, default=False)
    expected_delivery_date = serializers.DateField(
        required=False, allow_null=True, validators=[_django(validation.validate_expected_delivery_date)]
    )
    sex = _choice(Sex.choices, _("Select the person's sex from the list."), default=Sex.NOT_KNOWN)
    nhs_number = StrictCharField(max_length=16, required=False, allow_blank=True, default="")
    upn = StrictCharField(max_length=16, required=False, allow_blank=True, default="")
    address = StrictCharField(max_length=300, required=False, allow_blank=True)
    postcode = StrictCharField(max_length=10, required=False, allow_blank=True)
    relationship = StrictCharField(max_length=validation.MAX_SHORT_TEXT, required=False, allow_blank=True)
    ethnicity = _choice(
        Ethnicity.choices, _("Select the person's ethnicity from the list."), required=False, allow_blank=True
    )
    first_language = _choice(
        Language.choices, _("Select the person's first language from the list."), required=False, allow_blank=True
    )
    interpreter_needed = serializers.BooleanField(required=False, allow_null=True, default=None)

    def validate_nhs_number(self, value: str) -> str:
        return str(_django(validation.clean_nhs_number)(value))

    def validate_upn(self, value: str) -> str:
        return str(_django(validation.clean_upn)(value))

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("expected_delivery_date") and not attrs.get("is_unborn"):
            raise serializers.ValidationError(
                {"expected_delivery_date": _("Only an unborn child has an expected date of delivery.")}
            )
        if attrs.get("is_unborn"):
            if attrs.get("date_of_birth"):
                raise serializers.ValidationError({"date_of_birth": _("An unborn child cannot have a date of birth.")})
            if not attrs.get("expected_delivery_date"):
                raise serializers.ValidationError({"expected_delivery_date": _("Enter the expected date of delivery.")})
        if not any(attrs.get(k) for k in ("given_name", "family_name", "nhs_number", "upn", "is_unborn")):
            raise serializers.ValidationError({"given_name": _("Enter a name or an identifier for each person.")})
        return attrs


class ConcernSerializer(serializers.Serializer[dict[str, Any]]):
    kind = _choice(ConcernKind.choices, _("Select what kind of concern this is."))
    categories = serializers.ListField(
        child=_choice(Category.choices, _("Select categories from the list.")),
        allow_empty=False,
        max_length=len(Category.choices),
        error_messages={
            "required": _("Select at least one category of concern."),
            "empty": _("Select at least one category of concern."),
        },
    )
    what_happened = StrictCharField(
        max_length=validation.MAX_TEXT,
        error_messages={"required": _("Enter what happened."), "blank": _("Enter what happened.")},
    )
    happened_on = serializers.DateField(
        required=False, allow_null=True, validators=[_django(validation.validate_happened_on)]
    )
    how_known = StrictCharField(max_length=validation.MAX_TEXT, required=False, allow_blank=True)
    child_words = StrictCharField(max_length=validation.MAX_TEXT, required=False, allow_blank=True)
    family_aware = _choice(FamilyAware.choices, _("Select whether the family knows."))
    family_not_aware_reason = StrictCharField(max_length=validation.MAX_TEXT, required=False, allow_blank=True)
    immediate_risk = serializers.BooleanField(required=False, default=False)
    immediate_risk_details = StrictCharField(max_length=validation.MAX_TEXT, required=False, allow_blank=True)
    referrer_phone = StrictCharField(max_length=32, required=False, allow_blank=True)
    subjects = serializers.ListField(
        child=SubjectSerializer(), min_length=1, max_length=validation.MAX_SUBJECTS, allow_empty=False
    )

    def validate_subjects(self, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if not any(s.get("role", SubjectRole.CHILD) == SubjectRole.CHILD for s in value):
            raise serializers.ValidationError(_("Add at least one child the concern is about."))
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("family_aware") == FamilyAware.NO and not attrs.get("family_not_aware_reason", "").strip():
            raise serializers.ValidationError(
                {"family_not_aware_reason": _("Explain why the family does not know about this concern.")}
            )
        return attrs

    def to_input(self) -> ConcernInput:
        data = dict(self.validated_data)
        subjects = tuple(SubjectInput(**subject) for subject in data.pop("subjects"))
        data["categories"] = tuple(dict.fromkeys(data.get("categories", [])))
        return ConcernInput(subjects=subjects, **data)


class DecisionOut(serializers.Serializer[Any]):
    outcome = serializers.CharField()
    outcome_label = serializers.CharField(source="get_outcome_display")
    rationale = serializers.CharField()
    decided_at = serializers.DateTimeField()
    revision_reason = serializers.CharField()


class ConcernSummaryOut(serializers.Serializer[Concern]):
    reference = serializers.CharField()
    kind = serializers.CharField()
    stage = serializers.CharField()
    received_at = serializers.DateTimeField()
    decision_due_at = serializers.DateTimeField()
    feedback_due_on = serializers.DateField()
    outcome = serializers.SerializerMethodField()

    def get_outcome(self, concern: Concern) -> str | None:
        decision = current_decision_of(concern)
        return decision.outcome if decision else None


class ConcernDetailOut(ConcernSummaryOut):
    decision = serializers.SerializerMethodField()
    decision_history = serializers.SerializerMethodField()
    feedback_sent_at = serializers.DateTimeField()
    open_challenges = serializers.SerializerMethodField()

    def get_decision(self, concern: Concern) -> dict[str, Any] | None:
        decision = current_decision_of(concern)
        return dict(DecisionOut(decision).data) if decision else None

    def get_decision_history(self, concern: Concern) -> list[dict[str, Any]]:
        return [dict(DecisionOut(d).data) for d in concern.decisions.all()]

    def get_open_challenges(self, concern: Concern) -> int:
        return sum(1 for c in concern.challenges.all() if c.status == "open")


class SubmittedOut(serializers.Serializer[Concern]):
    reference = serializers.CharField()
    stage = serializers.CharField()
    received_at = serializers.DateTimeField()
    decision_due_at = serializers.DateTimeField()
