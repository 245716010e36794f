"""The question pages of "raise a concern" and the front door's forms. Validation only: they call services."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Case, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cylch.accounts.models import Agency, Practitioner, Team
from cylch.concerns import validation
from cylch.concerns.models import BELOW_STATUTORY, Category, ChallengeStatus, ConcernKind, FamilyAware, Outcome
from cylch.core.forms import GovukDateField
from cylch.core.templatetags.govuk import localised_name
from cylch.people.models import Ethnicity, Language, Sex
from cylch.people.validators import validate_date_of_birth

YES_NO = [("yes", _("Yes")), ("no", _("No"))]
YES_NO_NOT_KNOWN = [*YES_NO, ("", _("Not known"))]
NOT_KNOWN = [("", _("Not known"))]


def _text(
    label: Any, *, required: bool = False, max_length: int = validation.MAX_TEXT, **kwargs: Any
) -> forms.CharField:
    messages = {"max_length": _("Use %(limit_value)s characters or fewer (you used %(show_value)s).")}
    messages.update(kwargs.pop("error_messages", {}))
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages=messages,
        **kwargs,
    )


class KindForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What kind of concern is this?"),
        choices=ConcernKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select what kind of concern this is."),
            "invalid_choice": _("Select what kind of concern this is."),
        },
    )


class PersonForm(forms.Form):
    given_name = forms.CharField(label=_("Given name"), required=False, max_length=validation.MAX_SHORT_TEXT)
    family_name = forms.CharField(label=_("Family name"), required=False, max_length=validation.MAX_SHORT_TEXT)
    date_of_birth = GovukDateField(
        label=_("Date of birth"),
        subject=_("date of birth"),
        past_only=True,
        required=False,
        help_text=_("For example, 27 3 2016. Leave blank for an unborn baby."),
    )
    ethnicity = forms.ChoiceField(
        label=_("Ethnicity (if known)"),
        choices=NOT_KNOWN + Ethnicity.choices,
        required=False,
        error_messages={"invalid_choice": _("Select the person's ethnicity from the list.")},
    )
    first_language = forms.ChoiceField(
        label=_("First language (if known)"),
        choices=NOT_KNOWN + Language.choices,
        required=False,
        error_messages={"invalid_choice": _("Select the person's first language from the list.")},
    )
    interpreter_needed = forms.ChoiceField(
        label=_("Do they need an interpreter?"),
        choices=YES_NO_NOT_KNOWN,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Select whether they need an interpreter.")},
    )


class ChildForm(PersonForm):
    expected_delivery_date = GovukDateField(
        label=_("Expected date of delivery (unborn baby only)"), subject=_("expected date of delivery"), required=False
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, widget=forms.RadioSelect, initial=Sex.NOT_KNOWN)
    nhs_number = forms.CharField(
        label=_("NHS number (if known)"), required=False, max_length=16, help_text=_("For example, 943 476 5919.")
    )
    upn = forms.CharField(label=_("Unique pupil number (if known)"), required=False, max_length=16)
    address = forms.CharField(label=_("Address (if known)"), required=False, max_length=300)
    postcode = forms.CharField(label=_("Postcode (if known)"), required=False, max_length=10)

    def clean_nhs_number(self) -> str:
        return validation.clean_nhs_number(self.cleaned_data["nhs_number"])

    def clean_upn(self) -> str:
        return validation.clean_upn(self.cleaned_data["upn"])

    def clean_date_of_birth(self) -> datetime.date | None:
        value: datetime.date | None = self.cleaned_data["date_of_birth"]
        if value is not None:
            validate_date_of_birth(value)
        return value

    def clean_expected_delivery_date(self) -> datetime.date | None:
        value: datetime.date | None = self.cleaned_data["expected_delivery_date"]
        if value is not None:
            validation.validate_expected_delivery_date(value)
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_of_birth") and data.get("expected_delivery_date"):
            self.add_error(
                "expected_delivery_date", _("Enter a date of birth or an expected date of delivery, not both.")
            )
        identified = any(
            data.get(k) for k in ("given_name", "family_name", "nhs_number", "upn", "expected_delivery_date")
        )
        if not identified and not self.has_error("nhs_number") and not self.has_error("upn"):
            self.add_error("given_name", _("Enter the child's name, or an NHS number or pupil number."))
        return data


class MemberForm(PersonForm):
    relationship = forms.CharField(
        label=_("Relationship to the child"),
        required=False,
        max_length=validation.MAX_SHORT_TEXT,
        help_text=_("For example, mother, stepfather, lodger."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("given_name") or data.get("family_name")):
            self.add_error("given_name", _("Enter the person's name."))
        return data


CHOOSE_PERSON_TO_REMOVE = _("Choose a person to remove from the list.")


class RemovePersonForm(forms.Form):
    """Which listed child or household member to take off the draft: their place in the list."""

    remove = forms.IntegerField(
        min_value=0,
        error_messages=dict.fromkeys(("required", "invalid", "min_value"), CHOOSE_PERSON_TO_REMOVE),
    )


class CategoriesForm(forms.Form):
    categories = forms.MultipleChoiceField(
        label=_("What is the concern about?"),
        choices=Category.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Select all that apply."),
        error_messages={
            "required": _("Select at least one category of concern."),
            "invalid_choice": _("Select categories from the list."),
        },
    )


class WhatHappenedForm(forms.Form):
    what_happened = _text(_("What happened?"), required=True, error_messages={"required": _("Enter what happened.")})
    happened_on = GovukDateField(
        label=_("When did it happen?"), subject=_("the date it happened"), past_only=True, required=False
    )
    how_known = _text(
        _("How do you know?"), help_text=_("For example, you saw it, the child told you, a parent told you.")
    )


class ChildWordsForm(forms.Form):
    child_words = _text(
        _("What has the child said, in their own words?"),
        help_text=_("Leave blank if the child has not said anything."),
    )


class FamilyForm(forms.Form):
    family_aware = forms.ChoiceField(
        label=_("Does the family know you are raising this concern?"),
        choices=FamilyAware.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select whether the family knows.")},
    )
    family_not_aware_reason = _text(_("If not, why not?"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("family_aware") == FamilyAware.NO and not data.get("family_not_aware_reason", "").strip():
            self.add_error("family_not_aware_reason", _("Explain why the family does not know about this concern."))
        return data


class RiskForm(forms.Form):
    immediate_risk = forms.ChoiceField(
        label=_("Is the child at immediate risk of harm?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select whether the child is at immediate risk.")},
    )
    immediate_risk_details = _text(_("If yes, what is the risk and where is the child now?"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("immediate_risk") == "yes" and not data.get("immediate_risk_details", "").strip():
            self.add_error("immediate_risk_details", _("Describe the immediate risk."))
        return data


class ReferrerForm(forms.Form):
    referrer_phone = forms.CharField(
        label=_("Phone number the front door can reach you on"),
        required=False,
        max_length=32,
        help_text=_("Leave blank to use the number on your account."),
    )


# --- the front door ---------------------------------------------------------------------------------------------


class NoteForm(forms.Form):
    text = _text(_("Screening note"), required=True, error_messages={"required": _("Enter the note.")})


class AgencyChoiceField(forms.ModelChoiceField[Agency]):
    """Agencies by name; those working with the child or household say so (they come first in the list)."""

    involved: frozenset[int] = frozenset()

    def label_from_instance(self, obj: Agency) -> str:
        name = localised_name(obj)
        return _("%(agency)s (works with the family)") % {"agency": name} if obj.pk in self.involved else name


class InformationRequestForm(forms.Form):
    """`involved`: the agencies working with the child or household (`agencies_involved_around`), listed first."""

    agency = AgencyChoiceField(
        label=_("Agency"), queryset=Agency.objects.order_by("name"), error_messages={"required": _("Select an agency.")}
    )

    def __init__(self, *args: Any, involved: set[int] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(AgencyChoiceField, self.fields["agency"])
        field.involved = frozenset(involved or ())
        first = Case(When(pk__in=field.involved, then=Value(0)), default=Value(1))
        field.queryset = Agency.objects.order_by(first, "name")

    question = _text(
        _("What do you need to know?"), required=True, error_messages={"required": _("Enter your question.")}
    )
    due_on = GovukDateField(label=_("Reply needed by"), subject=_("the date a reply is needed"), required=True)

    def clean_due_on(self) -> datetime.date:
        value: datetime.date = self.cleaned_data["due_on"]
        if value < timezone.localdate():
            raise ValidationError(_("The date a reply is needed must be today or in the future."))
        return value


class ResponseForm(forms.Form):
    response = _text(_("Response received"), required=True, error_messages={"required": _("Enter the response.")})


class AnswerForm(forms.Form):
    """The agency asked answering in Cylch (the front door records a reply by phone with `ResponseForm`)."""

    response = _text(
        _("Your answer"),
        required=True,
        help_text=_("What your agency knows that answers the question. The front door sees it with your name."),
        error_messages={"required": _("Enter your answer.")},
    )


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Threshold decision"),
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select a decision.")},
    )
    rationale = _text(
        _("Rationale"), required=True, error_messages={"required": _("Enter the rationale for the decision.")}
    )
    revision_reason = _text(_("Why is the decision being revised?"))
    below_statutory_reason = _text(
        _("If your decision is no further action, information and advice, or early help: why is that right here?"),
        help_text=_("Needed because of what the checks above show."),
    )

    def __init__(self, *args: Any, revising: bool = False, checked: bool = False, **kwargs: Any) -> None:
        """`checked`: the decision page showed checks (`decision_checks`), so going below the statutory level
        needs a reason."""
        super().__init__(*args, **kwargs)
        self.revising, self.checked = revising, checked
        if not revising:
            del self.fields["revision_reason"]
        if not checked:
            del self.fields["below_statutory_reason"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.revising and not data.get("revision_reason", "").strip():
            self.add_error("revision_reason", _("Enter why the decision is being revised."))
        below = data.get("outcome") in BELOW_STATUTORY
        if self.checked and below and not data.get("below_statutory_reason", "").strip():
            self.add_error(
                "below_statutory_reason",
                _("Enter why this decision is below the statutory level despite what the checks show."),
            )
        return data


class ColleagueChoiceField(forms.ModelChoiceField[Practitioner]):
    """Lists the practitioners of children's services by name and job title, but recognises any practitioner, so
    that one of another agency gets an error naming them and their agency rather than "not a valid choice"."""

    def label_from_instance(self, obj: Practitioner) -> str:
        name = obj.get_full_name() or obj.username
        return f"{name}, {obj.job_title_localised}" if obj.job_title else name

    def to_python(self, value: Any) -> Practitioner | None:
        if value in self.empty_values:
            return None
        try:
            return Practitioner.objects.select_related("agency").get(pk=int(value), is_active=True)
        except (ValueError, TypeError, Practitioner.DoesNotExist):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice") from None


class AllocationForm(forms.Form):
    """The front door allocating a decision's children to a social worker and/or a team of `council` (the local
    authority's children's services); `decision_allocate` opens each child's involvement."""

    practitioner = ColleagueChoiceField(
        label=_("Social worker"),
        queryset=Practitioner.objects.none(),
        required=False,
        empty_label=_("Not yet allocated"),
        error_messages={"invalid_choice": _("Select a social worker from the list.")},
    )
    team = forms.ModelChoiceField(
        label=_("Team"),
        queryset=Team.objects.none(),
        required=False,
        empty_label=_("No team"),
        error_messages={"invalid_choice": _("Select a team from the list.")},
    )
    role = forms.CharField(
        label=_("Role (optional)"),
        required=False,
        max_length=120,
        help_text=_("For example, allocated social worker."),
        error_messages={"max_length": _("Use %(limit_value)s characters or fewer (you used %(show_value)s).")},
    )

    def __init__(self, *args: Any, council: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.council = council
        cast(ColleagueChoiceField, self.fields["practitioner"]).queryset = Practitioner.objects.filter(
            agency=council, is_active=True, is_system_account=False
        ).order_by("last_name", "first_name")
        team = cast(forms.ModelChoiceField[Team], self.fields["team"])
        team.queryset = Team.objects.filter(agency=council).order_by("name")
        team.label_from_instance = lambda obj: obj.name_localised  # type: ignore[method-assign]

    def clean_practitioner(self) -> Practitioner | None:
        practitioner: Practitioner | None = self.cleaned_data.get("practitioner")
        if practitioner is not None and practitioner.agency_id != self.council.pk:
            raise ValidationError(
                _(
                    "%(name)s works for %(agency)s, not %(council)s: select a social worker of the local "
                    "authority's children's services."
                )
                % {
                    "name": practitioner.get_full_name() or practitioner.username,
                    "agency": localised_name(practitioner.agency) or _("no agency"),
                    "council": localised_name(self.council),
                }
            )
        return practitioner

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and data.get("practitioner") is None and data.get("team") is None:
            self.add_error("practitioner", _("Select the social worker or the team to allocate to."))
        return data


class ChallengeForm(forms.Form):
    grounds = _text(
        _("Why do you disagree with the decision?"),
        required=True,
        error_messages={"required": _("Enter why you disagree with the decision.")},
    )


class ResolveForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Outcome of the challenge"),
        choices=[
            (ChallengeStatus.UPHELD, ChallengeStatus.UPHELD.label),
            (ChallengeStatus.NOT_UPHELD, ChallengeStatus.NOT_UPHELD.label),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Select whether the challenge is upheld.")},
    )
    resolution = _text(
        _("Your response"), required=True, error_messages={"required": _("Enter your response to the challenge.")}
    )


class MetricsPeriodForm(forms.Form):
    """The period the front-door figures cover: concerns received from one date to another (both included)."""

    DEFAULT_DAYS = 90

    since = GovukDateField(
        label=_("From"), subject=_("start date"), required=False, help_text=_("For example, 1 4 2026")
    )
    until = GovukDateField(label=_("To"), subject=_("end date"), required=False, help_text=_("For example, 30 6 2026"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if isinstance(since, datetime.date) and isinstance(until, datetime.date) and until < since:
            self.add_error(
                "until",
                ValidationError(
                    _("The end date must be the same as or after the start date"),
                    code="order",
                    params={"parts": ("day", "month", "year")},
                ),
            )
        return cleaned

    def period(self) -> tuple[datetime.date, datetime.date]:
        """The dates asked for; the last 90 days to today for any part left out, or while the form has errors."""
        today = timezone.localdate()
        since, until = None, None
        if self.is_bound and self.is_valid():
            since, until = self.cleaned_data.get("since"), self.cleaned_data.get("until")
        until = until or today
        return since or until - datetime.timedelta(days=self.DEFAULT_DAYS), until
