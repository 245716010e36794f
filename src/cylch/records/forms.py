"""Input to the people pages, validated before any selector is called."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cylch.accounts.models import Agency
from cylch.chronology.models import EVENT_KIND_LABELS, EventKind
from cylch.core.forms import GovukDateField
from cylch.core.templatetags.govuk import localised_name
from cylch.people.validators import normalise_nhs_number, validate_nhs_number
from cylch.records.selectors.chronology import ChronologyFilter

SEARCH_FIELDS = ("name", "date_of_birth_day", "date_of_birth_month", "date_of_birth_year", "nhs_number")
FILTER_FIELDS = (
    *("agency", "kind", "date_from_day", "date_from_month", "date_from_year"),
    *("date_to_day", "date_to_month", "date_to_year"),
)


class PersonSearchForm(forms.Form):
    """Name, date of birth and NHS number: any one is enough, more narrows the search."""

    name = forms.CharField(
        label=_("Name"),
        help_text=_("Full name or family name. Close spellings and previous names are found too."),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    date_of_birth = GovukDateField(
        label=_("Date of birth"),
        subject=_("date of birth"),
        past_only=True,
        required=False,
        help_text=_("For example, 27 3 2015"),
    )
    nhs_number = forms.CharField(
        label=_("NHS number"),
        help_text=_("10 digits, for example 943 476 5919"),
        required=False,
        max_length=20,
        validators=[validate_nhs_number],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false", "autocomplete": "off"}),
    )

    def clean_name(self) -> str:
        return " ".join(str(self.cleaned_data["name"]).split())

    def clean_nhs_number(self) -> str:
        return normalise_nhs_number(str(self.cleaned_data["nhs_number"]).strip())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        has_field_errors = bool(self.errors)
        if not has_field_errors and not any(cleaned.get(f) for f in ("name", "date_of_birth", "nhs_number")):
            raise forms.ValidationError(_("Enter a name, a date of birth or an NHS number"), code="empty")
        return cleaned


CHOOSE_AGENCY = _("Choose an agency from the list")


class ChronologyFilterForm(forms.Form):
    """Narrow a person's chronology to one agency and a date range."""

    # The choices are the agencies in this person's chronology, known only after the (audited) read, so the
    # value is validated as a number here and a number naming no listed agency simply matches nothing.
    agency = forms.IntegerField(
        label=_("Agency"),
        required=False,
        min_value=1,
        widget=forms.Select(),
        error_messages={"invalid": CHOOSE_AGENCY, "min_value": CHOOSE_AGENCY},
    )
    kind = forms.ChoiceField(
        label=_("Kind of event"),
        required=False,
        choices=[("", _("All kinds")), *EventKind.choices],
        error_messages={"invalid_choice": _("Choose a kind of event from the list")},
    )
    date_from = GovukDateField(
        label=_("Date from"), subject=_("date from"), required=False, help_text=_("For example, 1 4 2024")
    )
    date_to = GovukDateField(
        label=_("Date to"), subject=_("date to"), required=False, help_text=_("For example, 31 3 2025")
    )

    def __init__(self, *args: Any, agencies: list[Agency] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_agencies(agencies or [])

    def set_kinds(self, kinds: list[str]) -> None:
        """Offer only the kinds of event in this person's chronology (any kind is still accepted)."""
        widget = self.fields["kind"].widget
        assert isinstance(widget, forms.Select)  # noqa: S101 - a ChoiceField's widget
        # Translated once here, for sorting and showing alike (the form lives for one request).
        labels = [(k, str(EVENT_KIND_LABELS[k])) for k in kinds if k in EVENT_KIND_LABELS]
        offered = sorted(labels, key=lambda pair: pair[1])
        widget.choices = [("", _("All kinds")), *offered]

    def set_agencies(self, agencies: list[Agency]) -> None:
        """Offer only the agencies that recorded something about this person."""
        widget = self.fields["agency"].widget
        assert isinstance(widget, forms.Select)  # noqa: S101 - declared above
        widget.choices = [("", _("All agencies")), *((a.pk, localised_name(a)) for a in agencies)]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if isinstance(date_from, datetime.date) and isinstance(date_to, datetime.date) and date_to < date_from:
            self.add_error(
                "date_to",
                forms.ValidationError(
                    _("The date to must be the same as or after the date from"),
                    code="order",
                    params={"parts": ("day", "month", "year")},
                ),
            )
        return cleaned

    def chronology_filter(self) -> ChronologyFilter:
        """The filter to apply: none at all while the form is unbound or has errors."""
        if not self.is_bound or not self.is_valid():
            return ChronologyFilter()
        return ChronologyFilter(
            agency_id=self.cleaned_data.get("agency"),
            kind=self.cleaned_data.get("kind") or "",
            date_from=self.cleaned_data.get("date_from"),
            date_to=self.cleaned_data.get("date_to"),
        )
