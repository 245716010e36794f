"""Forms for cycles, each C's agreed assessment, contributions and evidence: they turn boxes into values; the
services hold the rules (a score 1–6, the moderation note, who may do what) and their errors land on these boxes."""

from __future__ import annotations

from functools import partial
from typing import Any

from django import forms
from django.utils.functional import lazy
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from cylch.accounts.models import Agency, LocalAuthority, Practitioner
from cylch.assurance.definitions import Scale, score_choices
from cylch.assurance.models import Cycle, PartnershipLevel, Timeframe
from cylch.assurance.services.cycles import MAX_TEXT
from cylch.core.forms import GovukDateField
from cylch.core.templatetags.govuk import localised_name


def _interpolate(message: Any, values: dict[str, Any]) -> str:
    return capfirst(str(message) % {key: str(value) for key, value in values.items()})


# Worded when the error is shown, in the reader's language (the forms are built once, at import).
_interpolate_lazy = lazy(_interpolate, str)


def _messages(name: Any, max_length: int, required: Any = None) -> dict[str, Any]:
    """Errors that name the box (`name`: 'Title must be 200 characters or fewer'), in place of Django's, which name
    nothing ('Null characters are not allowed.')."""
    limit = f"{max_length:,}"
    messages = {
        "max_length": _interpolate_lazy(
            _("%(name)s must be %(limit)s characters or fewer"), {"name": name, "limit": limit}
        ),
        "null_characters_not_allowed": _interpolate_lazy(
            _("%(name)s must not contain null characters"), {"name": name}
        ),
    }
    return messages | ({"required": required} if required else {})


def _text(
    label: Any,
    *,
    name: Any,
    message: Any = None,
    required: bool = True,
    max_length: int = MAX_TEXT,
    rows: int = 6,
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages=_messages(name, max_length, message),
    )


def _score(label: Any, scale: Scale) -> forms.TypedChoiceField:
    """A 1–6 score as radios, each choice with its descriptor ('4 Good: important strengths, ...'), worded when the
    form is shown (the class is built once, at import, in whatever language was active then)."""
    return forms.TypedChoiceField(
        label=label,
        choices=partial(score_choices, scale),
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose a score from 1 to 6")},
    )


class AgencyField(forms.ModelChoiceField[Agency]):
    def label_from_instance(self, obj: Agency) -> str:
        return localised_name(obj)


class AgenciesField(forms.ModelMultipleChoiceField[Agency]):
    def label_from_instance(self, obj: Agency) -> str:
        return localised_name(obj)


class PractitionerField(forms.ModelChoiceField[Practitioner]):
    def label_from_instance(self, obj: Practitioner) -> str:
        agency = localised_name(obj.agency) if obj.agency else ""
        return f"{obj.get_full_name() or obj.username} ({agency})"


class CycleForm(forms.Form):
    level = forms.ChoiceField(
        label=_("Partnership"),
        choices=PartnershipLevel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the partnership")},
    )
    local_authority = forms.ModelChoiceField(
        label=_("Local authority (for a local authority's cycle)"),
        queryset=LocalAuthority.objects.none(),
        required=False,
    )
    agency = AgencyField(label=_("Agency (for one agency's cycle)"), queryset=Agency.objects.none(), required=False)
    title = forms.CharField(
        label=_("Title"), max_length=200, error_messages=_messages(_("title"), 200, _("Enter a title"))
    )
    period_start = GovukDateField(label=_("Period from"), subject=_("start of the period"))
    period_end = GovukDateField(label=_("Period to"), subject=_("end of the period"))
    contributions_due = GovukDateField(
        label=_("Contributions and returns due"), subject=_("date contributions are due")
    )
    partner_agencies = AgenciesField(
        label=_("Partner agencies"),
        help_text=_("Leave all unticked to ask every agency of the partnership."),
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, region_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        authorities = LocalAuthority.objects.filter(region_id=region_id).order_by("name")
        agencies = Agency.objects.filter(local_authority__region_id=region_id).order_by("name")
        self.fields["local_authority"].queryset = authorities  # type: ignore[attr-defined]
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]
        self.fields["partner_agencies"].queryset = agencies  # type: ignore[attr-defined]


class AssessmentForm(forms.Form):
    ciw_score = _score(_("Agreed score on the Care Inspectorate Wales scale"), Scale.CIW)
    progress_score = _score(_("Agreed score on the 12Cs progress scale"), Scale.PROGRESS)
    evidence = _text(_("Evidence for the agreed score"), name=_("the evidence for the agreed score"), required=False)
    moderation_note = _text(
        _("Why the agreed score differs from the agencies' proposals"),
        name=_("why the agreed score differs"),
        required=False,
        rows=4,
    )
    accountable_lead = PractitionerField(
        label=_("Accountable lead"), queryset=Practitioner.objects.none(), required=False
    )
    timeframe = forms.ChoiceField(
        label=_("Implementation timeframe"),
        choices=[("", _("Not yet set")), *Timeframe.choices],
        required=False,
    )

    def __init__(self, *args: Any, cycle: Cycle, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["accountable_lead"].queryset = (  # type: ignore[attr-defined]
            Practitioner.objects.filter(is_active=True, agency__local_authority__region_id=cycle.region_id)
            .select_related("agency")
            .order_by("last_name", "first_name")
        )


class ContributionForm(forms.Form):
    evidence = _text(
        _("Your agency's evidence"), name=_("your agency's evidence"), message=_("Enter your agency's evidence")
    )
    proposed_ciw_score = _score(_("Proposed score on the Care Inspectorate Wales scale"), Scale.CIW)
    proposed_progress_score = _score(_("Proposed score on the 12Cs progress scale"), Scale.PROGRESS)


class PromptForm(forms.Form):
    text = _text(_("Prompt"), name=_("the prompt"), message=_("Enter the prompt"), max_length=2000, rows=3)
    text_cy = _text(_("Prompt in Welsh"), name=_("the prompt in Welsh"), required=False, max_length=2000, rows=3)


class StakeholderForm(forms.Form):
    agency = AgencyField(
        label=_("Stakeholder agency"),
        queryset=Agency.objects.none(),
        error_messages={"required": _("Choose the stakeholder agency")},
    )
    role = forms.CharField(
        label=_("Its role"),
        max_length=300,
        error_messages=_messages(_("the stakeholder's role"), 300, _("Enter the stakeholder's role")),
    )

    def __init__(self, *args: Any, cycle: Cycle, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(  # type: ignore[attr-defined]
            local_authority__region_id=cycle.region_id
        ).order_by("name")


class ReviewPointForm(forms.Form):
    due_on = GovukDateField(label=_("Review by"), subject=_("review date"))
    description = forms.CharField(
        label=_("What is reviewed"),
        max_length=300,
        error_messages=_messages(_("what is reviewed"), 300, _("Enter what is reviewed")),
    )


class AttachmentForm(forms.Form):
    upload = forms.FileField(
        label=_("Evidence file (PDF, Word, Excel, PNG, JPEG, text or CSV, up to 5 MB)"),
        error_messages={"required": _("Choose a file"), "empty": _("The file is empty")},
    )
