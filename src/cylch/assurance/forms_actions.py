"""Forms for a C's action plan: the board's action (what, who, by when) and the owner's progress.

The owner, owning agency, action and due date are not required by the boxes: the service says what is missing, in
one place, so "an action without an owner" reads the same from the page as from anywhere else.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cylch.accounts.models import Agency, Practitioner
from cylch.assurance.forms import AgencyField, PractitionerField
from cylch.assurance.models import ActionStatus, Cycle
from cylch.assurance.services.actions import MAX_DESCRIPTION, MAX_EVIDENCE
from cylch.core.forms import GovukDateField

NUL_MESSAGE = "null_characters_not_allowed"


class _NoNul:
    """A choice holding a NUL byte is not on the list: say so by the box's name (Django's own message does not)."""

    error_messages: dict[str, Any]

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and "\x00" in value:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)  # type: ignore[misc]


class OwningAgencyField(_NoNul, AgencyField):
    pass


class OwnerField(_NoNul, PractitionerField):
    pass


class ActionForm(forms.Form):
    description = forms.CharField(
        label=_("Action"),
        required=False,
        max_length=MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "max_length": _("The action must be %(limit_value)s characters or fewer"),
            NUL_MESSAGE: _("The action must not contain control characters"),
        },
    )
    owner_agency = OwningAgencyField(
        label=_("Owning agency"),
        queryset=Agency.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("Choose the owning agency from the list")},
    )
    owner = OwnerField(
        label=_("Owner"),
        help_text=_("A practitioner of the owning agency, who answers for the action."),
        queryset=Practitioner.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("Choose the owner from the list")},
    )
    due_on = GovukDateField(label=_("Due"), subject=_("the due date"), required=False)

    def __init__(self, *args: Any, cycle: Cycle, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region = {"local_authority__region_id": cycle.region_id}
        self.fields["owner_agency"].queryset = Agency.objects.filter(**region).order_by("name")  # type: ignore[attr-defined]
        self.fields["owner"].queryset = (  # type: ignore[attr-defined]
            Practitioner.objects.filter(
                is_active=True, is_system_account=False, agency__local_authority__region_id=cycle.region_id
            )
            .select_related("agency")
            .order_by("agency__name", "last_name", "first_name")
        )


class ProgressForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=ActionStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the action's status"), "invalid_choice": _("Choose the action's status")},
    )
    evidence_of_completion = forms.CharField(
        label=_("Evidence of completion"),
        help_text=_("Needed to mark the action completed: what was done, and where the proof is."),
        required=False,
        max_length=MAX_EVIDENCE,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "max_length": _("The evidence must be %(limit_value)s characters or fewer"),
            NUL_MESSAGE: _("The evidence must not contain control characters"),
        },
    )
