"""Forms for rules (the board officer's), closing an alert (its owner's) and trying a rule on history."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cylch.accounts.models import Agency
from cylch.core.forms import GovukDateField
from cylch.risk.definitions import definition_parse
from cylch.risk.models import AlertOutcome, FollowUp

TRIAL_MONTHS = [("3", _("3 months")), ("6", _("6 months")), ("12", _("12 months")), ("24", _("24 months"))]


class RuleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, error_messages={"required": _("Enter the rule's name")})
    rationale = forms.CharField(
        label=_("Why the rule exists"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        error_messages={"required": _("Enter why the rule exists")},
    )
    research = forms.CharField(
        label=_("Research behind it"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        error_messages={"required": _("Enter the research behind the rule")},
    )
    name_cy = forms.CharField(label=_("Name in Welsh"), max_length=200, required=False)
    rationale_cy = forms.CharField(
        label=_("Why the rule exists, in Welsh"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        required=False,
    )
    research_cy = forms.CharField(
        label=_("Research behind it, in Welsh"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
    )
    definition = forms.CharField(
        label=_("Definition (JSON)"),
        widget=forms.Textarea(attrs={"rows": 16, "spellcheck": "false"}),
        max_length=20000,
        error_messages={"required": _("Enter the rule's definition")},
    )
    lead_agency = forms.ModelChoiceField(
        label=_("Lead agency (owns the alerts)"),
        queryset=Agency.objects.order_by("name"),
        required=False,
        empty_label=_("The front door"),
        error_messages={"invalid_choice": _("Select an agency from the list")},
    )
    active = forms.BooleanField(label=_("Live: raise alerts"), required=False)
    change_note = forms.CharField(
        label=_("What changed and why"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Say what changed and why")},
    )

    def clean_definition(self) -> Any:
        try:
            value = json.loads(self.cleaned_data["definition"])
        except ValueError:
            raise forms.ValidationError(_("The definition must be valid JSON")) from None
        try:
            definition_parse(value)
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from None
        return value


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("What was done"),
        choices=AlertOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select what was done"), "invalid_choice": _("Select what was done")},
    )
    reason = forms.CharField(
        label=_("Why the alert can be closed"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Enter why the alert can be closed")},
    )


class TrialForm(forms.Form):
    months = forms.ChoiceField(
        label=_("How far back"),
        choices=TRIAL_MONTHS,
        initial="12",
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Select how far back to try the rule")},
    )


class WasNotBroughtForm(forms.Form):
    occurred_on = GovukDateField(
        label=_("Date of the appointment"), subject=_("date of the appointment"), past_only=True
    )
    service = forms.CharField(
        label=_("Service or clinic"),
        max_length=200,
        error_messages={"required": _("Enter the service the appointment was with")},
    )
    follow_up = forms.ChoiceField(
        label=_("What did you do?"),
        choices=FollowUp.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select what you did"), "invalid_choice": _("Select what you did")},
    )


class FollowUpForm(forms.Form):
    """What the booking service did after the child was not brought twice (answers its open follow-up)."""

    follow_up = forms.ChoiceField(
        label=_("What did your service do?"),
        choices=FollowUp.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select what you did"), "invalid_choice": _("Select what you did")},
    )
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=2000, widget=forms.Textarea)
