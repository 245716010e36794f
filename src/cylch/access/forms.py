"""Asking for access and deciding: a reason every time, since the record's lead agency reads it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cylch.access.services import MINIMUM_REASON_LENGTH


class ReasonForm(forms.Form):
    """A reason, required and long enough to mean something: it is read by the record's lead agency."""

    reason = forms.CharField(
        label=_("Why do you need to see this record?"),
        max_length=500,
        min_length=MINIMUM_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Enter why you need to see this record"),
            "min_length": _("Explain why you need to see this record in at least %(limit_value)d characters"),
            "max_length": _("The reason must be %(limit_value)d characters or fewer"),
        },
    )


class AccessRequestForm(ReasonForm):
    prefix = "request"


class BreakGlassForm(ReasonForm):
    prefix = "glass"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = _("What is the emergency?")
        self.fields["reason"].help_text = _(
            "For example, the child is in the emergency department out of hours and you need to know if they are "
            "on the child protection register."
        )


class DecisionForm(forms.Form):
    """Yes or no, with a reason that is kept with the decision."""

    decision = forms.ChoiceField(
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose an answer")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Enter the reason for your decision"),
            "max_length": _("The reason must be %(limit_value)d characters or fewer"),
        },
    )

    def __init__(self, *args: Any, label: str, choices: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision"].label = label
        decision = self.fields["decision"]
        assert isinstance(decision, forms.ChoiceField)  # noqa: S101 - declared above
        decision.choices = choices

    def clean_reason(self) -> str:
        reason = str(self.cleaned_data["reason"]).strip()
        if not reason:
            raise forms.ValidationError(_("Enter the reason for your decision"), code="required")
        return reason
