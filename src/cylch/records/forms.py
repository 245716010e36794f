"""Input to the people pages, validated before any selector is called."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cylch.accounts.models import Agency, Team
from cylch.chronology.models import EVENT_KIND_LABELS, EventKind, Sensitivity
from cylch.core.codes import normalise
from cylch.core.forms import GovukDateField
from cylch.core.templatetags.govuk import localised_name
from cylch.people.models import Person, RegisterCategory, RelationshipKind, StatusKind
from cylch.people.selectors import person_resolve
from cylch.people.validators import normalise_nhs_number, validate_nhs_number
from cylch.records.selectors.caseload import Ages, CaseloadFilter
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


# --- changing a record on the web (#14): each form validates input; the feeds services hold the rules ---

# Kinds other services write with their own facts (a concern, a decision, a status, a move): not typed by hand.
WRITTEN_ELSEWHERE = frozenset(
    {
        EventKind.CONCERN,
        EventKind.INFORMATION_SHARING,
        EventKind.THRESHOLD_DECISION,
        EventKind.REGISTERED,
        EventKind.DEREGISTERED,
        EventKind.BECAME_LOOKED_AFTER,
        EventKind.CEASED_LOOKED_AFTER,
    }
)
NO_CHOICE = [("", _("Select one"))]


def _person_field(label: Any, help_text: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=20,
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
        error_messages={"required": _("Enter the person's Cylch ID.")},
    )


def resolve_person(value: str) -> Person:
    """The person a typed Cylch ID names (a merged-away ID gives the survivor), or a field error."""
    try:
        return person_resolve(cylch_id=normalise(value))
    except Person.DoesNotExist:
        raise ValidationError(_("No one has this Cylch ID. Check it on the person's record.")) from None


class ChronologyEventForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What kind of event was it?"),
        choices=NO_CHOICE + [(k.value, k.label) for k in EventKind if k not in WRITTEN_ELSEWHERE],
        error_messages={
            "required": _("Select what kind of event it was."),
            "invalid_choice": _("Select what kind of event it was."),
        },
    )
    occurred_on = GovukDateField(
        label=_("When did it happen?"),
        subject=_("the date it happened"),
        past_only=True,
        help_text=_("For example, 27 3 2026"),
    )
    occurred_time = forms.TimeField(
        label=_("Time (if known)"),
        required=False,
        help_text=_("For example, 14:30"),
        error_messages={"invalid": _("Enter a time like 14:30.")},
    )
    summary = forms.CharField(
        label=_("Summary"),
        max_length=500,
        error_messages={"required": _("Enter a summary of what happened.")},
    )
    details = forms.CharField(
        label=_("Details (optional)"), required=False, max_length=10_000, widget=forms.Textarea(attrs={"rows": 5})
    )
    sensitivity = forms.ChoiceField(
        label=_("How sensitive is it?"),
        choices=Sensitivity.choices,
        initial=Sensitivity.STANDARD,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select how sensitive it is.")},
    )
    child_words = forms.CharField(
        label=_("What did the child say, in their own words? (optional)"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def occurred_at(self) -> datetime.datetime:
        """The moment it happened (midday when no time is given, never later than now)."""
        day: datetime.date = self.cleaned_data["occurred_on"]
        time = self.cleaned_data.get("occurred_time") or datetime.time(12, 0)
        return min(timezone.make_aware(datetime.datetime.combine(day, time)), timezone.now())


class AddressForm(forms.Form):
    address_line_1 = forms.CharField(
        label=_("Address line 1"),
        max_length=200,
        error_messages={"required": _("Enter the first line of the address.")},
    )
    address_line_2 = forms.CharField(label=_("Address line 2 (optional)"), max_length=200, required=False)
    town = forms.CharField(
        label=_("Town or city"), max_length=100, error_messages={"required": _("Enter the town or city.")}
    )
    postcode = forms.CharField(
        label=_("Postcode"), max_length=10, error_messages={"required": _("Enter the postcode.")}
    )
    start_date = GovukDateField(label=_("Date they moved in"), subject=_("the date they moved in"), past_only=True)


class MemberForm(forms.Form):
    member = _person_field(_("Cylch ID of the person moving in"), _("It is on their record, for example 7KQ2 MX4P 9T."))
    start_date = GovukDateField(label=_("Date they moved in"), subject=_("the date they moved in"), past_only=True)

    def clean_member(self) -> Person:
        return resolve_person(self.cleaned_data["member"])


class EndDateForm(forms.Form):
    end_date = GovukDateField(label=_("Date it ended"), subject=_("the end date"), past_only=True)

    def __init__(self, *args: Any, label: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if label is not None:
            self.fields["end_date"].label = label


class RelationshipForm(forms.Form):
    relative = _person_field(_("Cylch ID of the relative"), _("It is on their record, for example 7KQ2 MX4P 9T."))
    kind = forms.ChoiceField(
        label=_("What are they to this person?"),
        choices=NO_CHOICE + RelationshipKind.choices,
        error_messages={"required": _("Select the relationship."), "invalid_choice": _("Select the relationship.")},
    )
    start_date = GovukDateField(label=_("From (if known)"), subject=_("the start date"), past_only=True, required=False)

    def clean_relative(self) -> Person:
        return resolve_person(self.cleaned_data["relative"])


class StatusForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What is being recorded?"),
        choices=StatusKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the register or looked after.")},
    )
    category = forms.ChoiceField(
        label=_("Category of abuse (registration only)"),
        choices=NO_CHOICE + RegisterCategory.choices,
        required=False,
    )
    start_date = GovukDateField(label=_("Start date"), subject=_("the start date"), past_only=True)


class AllocationForm(forms.Form):
    agency = forms.ModelChoiceField(
        label=_("Agency"),
        queryset=Agency.objects.order_by("name"),
        error_messages={"required": _("Select an agency."), "invalid_choice": _("Select an agency.")},
    )
    team = forms.ModelChoiceField(label=_("Team (optional)"), queryset=Team.objects.order_by("name"), required=False)
    role = forms.CharField(
        label=_("Their role with the child (optional)"),
        max_length=120,
        required=False,
        help_text=_("For example, named health visitor, allocated social worker."),
    )
    start_date = GovukDateField(label=_("From"), subject=_("the start date"), past_only=True)


class CaseloadFilterForm(forms.Form):
    """Narrow the caseload: children (the default), adults or everyone; only those flagged; only my own."""

    ages = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            (Ages.CHILDREN.value, _("Children")),
            (Ages.ADULTS.value, _("Adults")),
            (Ages.EVERYONE.value, _("Everyone")),
        ],
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose children, adults or everyone")},
    )
    only = forms.MultipleChoiceField(
        label=_("Only"),
        required=False,
        choices=[
            ("flagged", _("Those on the child protection register or looked after")),
            ("mine", _("Those allocated to me")),
        ],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose from the list")},
    )

    def caseload_filter(self) -> CaseloadFilter:
        """The filter to apply: children, unnarrowed, while the form is unbound or has errors."""
        if not self.is_bound or not self.is_valid():
            return CaseloadFilter()
        return CaseloadFilter(
            ages=Ages(self.cleaned_data.get("ages") or Ages.CHILDREN),
            flagged_only="flagged" in self.cleaned_data["only"],
            mine_only="mine" in self.cleaned_data["only"],
        )


CASELOAD_FIELDS = ("ages", "only")
