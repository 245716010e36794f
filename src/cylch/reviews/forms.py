"""Forms for the register, its stages, findings, recommendations, actions, uploads and the library's search.

Forms check the shape of what was typed; the rules (dates in order, names refused, files checked by content) are
in `services`, whose errors are put back on the form's boxes by `service_errors_add`.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from cylch.accounts.models import Agency, LocalAuthority
from cylch.core.forms import GovukDateField
from cylch.core.templatetags.govuk import localised_name
from cylch.people.models import Ethnicity
from cylch.reviews.definitions import review_types
from cylch.reviews.models import (
    AgeBand,
    Characteristic,
    DocumentKind,
    Finding,
    IncidentKind,
    RecommendationLevel,
    Review,
    ReviewStage,
    Theme,
)
from cylch.reviews.services import AGENCY_STATUSES
from cylch.reviews.validators import MAX_UPLOAD_BYTES

LANGUAGES = [("en", "English"), ("cy", "Cymraeg")]


def review_type_choices() -> list[tuple[str, str]]:
    welsh = translation.get_language() == "cy"
    return [(t.code, t.name_cy if welsh else t.name) for t in review_types().values()]


def _text(label: Any, *, required: bool = True, rows: int = 4, max_length: int = 10000, message: Any = None) -> Any:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": message} if message else None,
    )


class AgencyField(forms.ModelChoiceField[Agency]):
    """Agencies named in the reader's language, as the tables beside the field name them."""

    def label_from_instance(self, obj: Agency) -> str:
        return localised_name(obj)


class RegisterForm(forms.Form):
    code = forms.CharField(
        label=_("Review code"),
        help_text=_("For example CTM-2024-03. Never a name."),
        max_length=30,
        error_messages={"required": _("Enter the review code")},
    )
    title = forms.CharField(
        label=_("Short description"),
        help_text=_("What happened, without anyone's name, for example: serious neglect of an infant"),
        max_length=200,
        error_messages={"required": _("Enter a short description")},
    )
    review_type = forms.ChoiceField(
        label=_("Type of review"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the type of review"), "invalid_choice": _("Select the type of review")},
    )
    local_authority = forms.ModelChoiceField(
        label=_("Local authority"),
        queryset=LocalAuthority.objects.order_by("name"),
        error_messages={
            "required": _("Select the local authority"),
            "invalid_choice": _("Select the local authority"),
        },
    )
    incident_kind = forms.ChoiceField(
        label=_("Kind of incident"),
        choices=[("", ""), *list(IncidentKind.choices)],
        error_messages={
            "required": _("Select the kind of incident"),
            "invalid_choice": _("Select the kind of incident"),
        },
    )
    incident_date = GovukDateField(label=_("Date of the incident"), subject=_("date of the incident"), past_only=True)
    age_band = forms.ChoiceField(
        label=_("Child's age band"),
        choices=AgeBand.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select the child's age band"),
            "invalid_choice": _("Select the child's age band"),
        },
    )
    characteristics = forms.MultipleChoiceField(
        label=_("Child's characteristics"),
        choices=Characteristic.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": _("Select characteristics from the list")},
    )
    referral_on = GovukDateField(
        label=_("Date of the referral (if made)"), subject=_("date of the referral"), required=False, past_only=True
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["review_type"].choices = review_type_choices()  # type: ignore[attr-defined]


class ReviewForm(forms.Form):
    title = forms.CharField(
        label=_("Short description"), max_length=200, error_messages={"required": _("Enter a short description")}
    )
    ethnicity = forms.ChoiceField(
        label=_("Child's ethnicity"),
        choices=[("", _("Not recorded")), *list(Ethnicity.choices)],
        required=False,
        error_messages={"invalid_choice": _("Select the child's ethnicity from the list")},
    )
    family_details = _text(_("Family details (relationships, siblings; no names)"), required=False)
    review_period_start = GovukDateField(
        label=_("Review period from"), subject=_("start of the review period"), required=False
    )
    review_period_end = GovukDateField(
        label=_("Review period to"), subject=_("end of the review period"), required=False
    )
    review_period_rationale = _text(_("Why the review period is longer than 12 months"), required=False, rows=3)
    family_views = _text(_("The family's views"), required=False)
    family_not_involved_reason = _text(_("Why the family's views are not included"), required=False, rows=3)
    practitioner_involvement = _text(_("How practitioners were involved"), required=False, rows=3)
    child_story = _text(_("The child's story and voice"), required=False, rows=6)
    analysis = _text(_("Analysis of why"), required=False, rows=6)
    child_cylch_id = forms.CharField(
        label=_("Child's Cylch ID (seen by the board only)"), max_length=10, required=False
    )


class StagesForm(forms.Form):
    """A planned and an actual date for each of the review's stages (`planned_<code>`, `actual_<code>`)."""

    def __init__(self, *args: Any, stages: list[ReviewStage], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.stages = stages
        for stage in stages:
            name = stage.label()
            self.fields[f"planned_{stage.code}"] = GovukDateField(
                label=_("Planned"), subject=_("planned date of %(stage)s") % {"stage": name}, required=False
            )
            self.fields[f"actual_{stage.code}"] = GovukDateField(
                label=_("Happened"), subject=_("date of %(stage)s") % {"stage": name}, required=False
            )
            self.initial.setdefault(f"planned_{stage.code}", stage.planned_on)
            self.initial.setdefault(f"actual_{stage.code}", stage.actual_on)

    def rows(self) -> list[tuple[ReviewStage, forms.BoundField, forms.BoundField]]:
        return [(s, self[f"planned_{s.code}"], self[f"actual_{s.code}"]) for s in self.stages]

    def dates(self) -> dict[str, tuple[Any, Any]]:
        data = self.cleaned_data
        return {s.code: (data.get(f"planned_{s.code}"), data.get(f"actual_{s.code}")) for s in self.stages}


class FindingForm(forms.Form):
    text = _text(_("Finding"), message=_("Enter the finding"))
    theme = forms.ChoiceField(
        label=_("Theme"),
        choices=[("", ""), *list(Theme.choices)],
        error_messages={"required": _("Select the finding's theme"), "invalid_choice": _("Select the finding's theme")},
    )


class RecommendationForm(forms.Form):
    finding = forms.ModelChoiceField(
        label=_("The finding it answers"),
        queryset=Finding.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("Select the finding the recommendation answers")},
    )
    text = _text(_("Recommendation"), message=_("Enter the recommendation"))
    level = forms.ChoiceField(
        label=_("Level"),
        choices=RecommendationLevel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the level"), "invalid_choice": _("Select the level")},
    )
    owner_agency = AgencyField(
        label=_("Owning agency"),
        queryset=Agency.objects.order_by("name"),
        required=False,
        error_messages={"invalid_choice": _("Select the agency that owns the recommendation")},
    )
    intended_outcome = _text(_("Intended outcome"), required=False, rows=3)
    measure = _text(_("How it will be measured"), required=False, rows=3)

    def __init__(self, *args: Any, review: Review, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["finding"].queryset = review.findings.order_by("number")  # type: ignore[attr-defined]
        self.fields["finding"].label_from_instance = lambda f: f"{f.number}. {f.text[:80]}"  # type: ignore[attr-defined]


class ActionForm(forms.Form):
    description = _text(_("Action"), message=_("Enter the action"), rows=3)
    owner_agency = AgencyField(
        label=_("Owning agency (the recommendation's unless you choose another)"),
        queryset=Agency.objects.order_by("name"),
        required=False,
        error_messages={"invalid_choice": _("Select an agency from the list")},
    )
    owner_name = forms.CharField(
        label=_("Named owner (name or post)"),
        max_length=200,
        error_messages={"required": _("Enter the name or post of the person who owns the action")},
    )
    due_on = GovukDateField(label=_("Due"), subject=_("due date"))


class ActionUpdateForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(s.value, s.label) for s in AGENCY_STATUSES],
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the status"), "invalid_choice": _("Select the status")},
    )
    evidence_of_completion = _text(_("Evidence of completion"), required=False)
    evidence_of_impact = _text(_("Evidence of impact"), required=False)


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of document"),
        choices=DocumentKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select the kind of document"),
            "invalid_choice": _("Select the kind of document"),
        },
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=LANGUAGES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the language"), "invalid_choice": _("Select the language")},
    )
    file = forms.FileField(
        label=_("File (PDF or Word document)"),
        error_messages={"required": _("Select a file"), "empty": _("The selected file is empty")},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(_("The file must be smaller than 20 MB"))
        return upload


class LibraryForm(forms.Form):
    q = forms.CharField(label=_("Search reports, findings and recommendations"), max_length=200, required=False)
    review_type = forms.ChoiceField(label=_("Type of review"), required=False)
    year = forms.IntegerField(label=_("Year published"), min_value=1990, max_value=2100, required=False)
    theme = forms.ChoiceField(label=_("Theme"), choices=[("", _("Any")), *list(Theme.choices)], required=False)
    local_authority = forms.ModelChoiceField(
        label=_("Local authority"),
        queryset=LocalAuthority.objects.order_by("name"),
        required=False,
        empty_label=_("Any"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["review_type"].choices = [("", _("Any")), *review_type_choices()]  # type: ignore[attr-defined]


class RecommendationFilterForm(forms.Form):
    theme = forms.ChoiceField(label=_("Theme"), choices=[("", _("Any")), *list(Theme.choices)], required=False)
    owner = AgencyField(
        label=_("Owning agency"), queryset=Agency.objects.order_by("name"), required=False, empty_label=_("Any")
    )
