"""The thematic pages' forms: which reviews to analyse, coding one review, and the spreadsheet to import."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cylch.accounts.models import LocalAuthority
from cylch.core.forms import GovukDateField
from cylch.core.templatetags.govuk import localised_name
from cylch.thematic.analysis import ReviewFilter
from cylch.thematic.dates import date_order_problems
from cylch.thematic.frame import Code, Group, coding_frame
from cylch.thematic.importing import MAX_BYTES
from cylch.thematic.models import MAX_REVIEW_PERIOD_MONTHS, REVIEW_ID_PATTERN, CodedReview, ReviewType


def _local_authority_choices(empty: str) -> list[tuple[str, str]]:
    return [("", empty), *((la.code, localised_name(la)) for la in LocalAuthority.objects.order_by("name"))]


class AnalysisFilterForm(forms.Form):
    """All reviews, or one type, one local authority, and incidents in a period (GET: a chosen set is a link)."""

    review_type = forms.ChoiceField(label=_("Type of review"), required=False)
    local_authority = forms.ChoiceField(label=_("Local authority"), required=False)
    date_from = GovukDateField(
        subject=_("the start of the period"),
        label=_("Incidents from"),
        required=False,
        help_text=_("For example, 1 4 2021"),
    )
    date_to = GovukDateField(
        subject=_("the end of the period"),
        label=_("Incidents up to"),
        required=False,
        help_text=_("For example, 31 3 2024"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["review_type"]).choices = [("", _("All types")), *ReviewType.choices]
        cast(forms.ChoiceField, self.fields["local_authority"]).choices = _local_authority_choices(
            str(_("All local authorities"))
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end of the period must be the same as or after its start"))
        return cleaned

    def review_filter(self) -> ReviewFilter:
        data = self.cleaned_data
        code = data.get("local_authority")
        return ReviewFilter(
            review_type=data.get("review_type") or "",
            local_authority=LocalAuthority.objects.get(code=code) if code else None,
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )


class CodingForm(forms.Form):
    """One review: its ID (when new), type, local authority, key dates, and the codes found, by group."""

    review_id = forms.CharField(
        label=_("Review ID"),
        max_length=40,
        help_text=_("The board's code for the review, as in its spreadsheet: letters, digits, hyphens, underscores"),
        validators=[
            RegexValidator(
                f"^{REVIEW_ID_PATTERN}$",
                _("A review ID is up to 40 letters, digits, hyphens and underscores, starting with a letter or digit"),
            )
        ],
    )
    review_type = forms.ChoiceField(label=_("Type of review"), required=False)
    local_authority = forms.ChoiceField(label=_("Local authority"), required=False)
    incident_date = GovukDateField(
        subject=_("the date of the incident"), label=_("Date of the incident"), required=False, past_only=True
    )
    referral_date = GovukDateField(
        subject=_("the date of referral"),
        label=_("Date of referral to the review sub-group"),
        required=False,
        past_only=True,
    )
    learning_event_date = GovukDateField(
        subject=_("the date of the learning event"),
        label=_("Date of the practitioner learning event"),
        required=False,
        past_only=True,
    )
    completion_date = GovukDateField(
        subject=_("the date of completion"), label=_("Date the review was completed"), required=False, past_only=True
    )
    review_period_months = forms.IntegerField(
        label=_("Months of practice reviewed"), required=False, min_value=1, max_value=MAX_REVIEW_PERIOD_MONTHS
    )

    def __init__(self, *args: Any, review: CodedReview | None = None, **kwargs: Any) -> None:
        self.review = review
        if review is not None:
            kwargs.setdefault("initial", self._initial(review))
        super().__init__(*args, **kwargs)
        if review is not None:
            del self.fields["review_id"]  # a review's ID is its key: a new ID is a new review
        cast(forms.ChoiceField, self.fields["review_type"]).choices = [("", _("Not recorded")), *ReviewType.choices]
        cast(forms.ChoiceField, self.fields["local_authority"]).choices = _local_authority_choices(
            str(_("Not recorded"))
        )
        self.frame = coding_frame()
        for group in self.frame.groups:
            self.fields[f"codes_{group.key}"] = forms.MultipleChoiceField(
                label=group.label,
                required=False,
                choices=[(code.key, code.label) for code in self.frame.in_group(group.key)],
                widget=forms.CheckboxSelectMultiple,
            )

    @staticmethod
    def _initial(review: CodedReview) -> dict[str, Any]:
        codes = {coded.code for coded in review.codes.all()}
        frame = coding_frame()
        initial: dict[str, Any] = {
            "review_type": review.review_type,
            "local_authority": review.local_authority.code if review.local_authority else "",
            "incident_date": review.incident_date,
            "referral_date": review.referral_date,
            "learning_event_date": review.learning_event_date,
            "completion_date": review.completion_date,
            "review_period_months": review.review_period_months,
        }
        for group in frame.groups:
            initial[f"codes_{group.key}"] = [code.key for code in frame.in_group(group.key) if code.key in codes]
        return initial

    def code_groups(self) -> list[tuple[Group, forms.BoundField, list[tuple[Code, bool]]]]:
        """Each group's checkboxes with the codes' definitions, for the template's GOV.UK checkboxes with hints."""
        groups = []
        for group in self.frame.groups:
            bound = self[f"codes_{group.key}"]
            value = bound.value() or []
            chosen = {str(v) for v in value} if isinstance(value, list | tuple) else set()
            groups.append((group, bound, [(code, code.key in chosen) for code in self.frame.in_group(group.key)]))
        return groups

    def clean_review_id(self) -> str:
        review_id = str(self.cleaned_data["review_id"]).strip()
        if CodedReview.objects.filter(review_id=review_id).exists():
            raise forms.ValidationError(_("A review with this ID is already coded: open it from the list to change it"))
        return review_id

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        dates = {
            name: cleaned.get(name)
            for name in ("incident_date", "referral_date", "learning_event_date", "completion_date")
        }
        for column, message in date_order_problems(dates, today=timezone.localdate()):
            if column not in self.errors:
                self.add_error(column, message)
        return cleaned

    def review_fields(self) -> dict[str, Any]:
        """The cleaned answers as `services.coded_review_save` takes them."""
        data = self.cleaned_data
        code = data.get("local_authority")
        return {
            "review_id": self.review.review_id if self.review is not None else data["review_id"],
            "codes": [key for group in self.frame.groups for key in data.get(f"codes_{group.key}", [])],
            "review_type": data.get("review_type") or "",
            "local_authority": LocalAuthority.objects.get(code=code) if code else None,
            "incident_date": data.get("incident_date"),
            "referral_date": data.get("referral_date"),
            "learning_event_date": data.get("learning_event_date"),
            "completion_date": data.get("completion_date"),
            "review_period_months": data.get("review_period_months"),
        }


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet of coded reviews (CSV)"),
        help_text=_("One row per review, with a header row naming the columns: see the format below"),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB"))
        return upload
