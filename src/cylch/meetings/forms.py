"""Forms for the meeting pages: each checks the shape of what was typed; the services check the rules."""

from __future__ import annotations

import datetime
import re
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from cylch.accounts.models import Agency, AgencyKind, Practitioner
from cylch.core.forms import GovukDateField
from cylch.meetings.models import ActionStatus, Attendance, CirculationKind, DecisionKind, Meeting, MeetingKind
from cylch.people.models import RegisterCategory

MAX_TEXT = 20000
PK = re.compile(r"[0-9]{1,9}")
TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")
FAMILY = [("family", _("The family")), ("child", _("The child")), ("advocate", _("An advocate"))]


def _text(label: Any, *, required: bool = False, rows: int = 5, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": rows}), **kwargs
    )


class PractitionerChoice(forms.ModelChoiceField[Practitioner]):
    def label_from_instance(self, obj: Practitioner) -> str:
        return f"{obj.get_full_name()} ({obj.agency or '-'})"


class PractitionersChoice(forms.ModelMultipleChoiceField[Practitioner]):
    def label_from_instance(self, obj: Practitioner) -> str:
        return f"{obj.get_full_name()} ({obj.agency or '-'})"

    def clean(self, value: Any) -> Any:
        """A value that cannot be a practitioner's number is not on the list (nor sent to the database)."""
        for pk in value or []:
            if not PK.fullmatch(str(pk)):
                raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().clean(value)


class MeetingChoice(forms.ModelChoiceField[Meeting]):
    def label_from_instance(self, obj: Meeting) -> str:
        day = date_format(timezone.localtime(obj.held_at), "j F Y")
        return f"{obj.get_kind_display()}, {day}"


def _choices(field: forms.Field) -> forms.ModelChoiceField[Any]:
    """A model choice field, to set its choices per request."""
    return cast("forms.ModelChoiceField[Any]", field)


def childrens_services(authority_id: int | None) -> Any:
    return Practitioner.objects.filter(
        is_active=True, agency__kind=AgencyKind.CHILDRENS_SERVICES, agency__local_authority_id=authority_id
    ).order_by("last_name", "first_name")


class ConveneForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of meeting"),
        choices=MeetingKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the kind of meeting"), "invalid_choice": _("Select the kind of meeting")},
    )
    children = forms.CharField(
        label=_("Children (Cylch IDs)"),
        max_length=500,
        help_text=_("Siblings are considered together: separate their Cylch IDs with commas."),
        error_messages={"required": _("Enter the Cylch ID of at least one child")},
    )
    held_on = GovukDateField(label=_("Date"), subject=_("the date of the meeting"), required=True)
    time = forms.CharField(
        label=_("Time"),
        max_length=5,
        help_text=_("For example, 14:30"),
        error_messages={"required": _("Enter the time of the meeting")},
    )
    chair = PractitionerChoice(
        label=_("Chair"),
        queryset=Practitioner.objects.none(),
        error_messages={"required": _("Select the chair"), "invalid_choice": _("Select the chair from the list")},
    )
    lead_practitioner = PractitionerChoice(
        label=_("Lead practitioner"),
        queryset=Practitioner.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("Select the lead practitioner from the list")},
    )
    invitees = PractitionersChoice(
        label=_("Invite"),
        queryset=Practitioner.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Practitioners of the agencies working with the children. You can invite others afterwards."),
        error_messages={"invalid_choice": _("Select invitees from the list")},
    )
    family = forms.MultipleChoiceField(
        label=_("Also invited"), choices=FAMILY, required=False, widget=forms.CheckboxSelectMultiple
    )
    strategy_discussion = MeetingChoice(
        label=_("Strategy discussion that started the enquiry"),
        queryset=Meeting.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("Select a strategy discussion from the list")},
    )
    no_strategy_reason = _text(_("If there was none, why"), rows=3)
    concern = forms.CharField(widget=forms.HiddenInput, required=False, max_length=16)

    def __init__(self, *args: Any, authority_id: int | None, candidates: Any, discussions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff = childrens_services(authority_id)
        self.fields["chair"].queryset = staff  # type: ignore[attr-defined]
        self.fields["lead_practitioner"].queryset = staff  # type: ignore[attr-defined]
        self.fields["invitees"].queryset = candidates  # type: ignore[attr-defined]
        self.fields["strategy_discussion"].queryset = discussions  # type: ignore[attr-defined]

    def asks_for_strategy_discussion(self) -> bool:
        """Whether to ask which strategy discussion started the enquiry: not when booking a strategy discussion."""
        kind = self.data.get("kind") if self.is_bound else self.initial.get("kind")
        return kind != MeetingKind.STRATEGY_DISCUSSION

    def clean_children(self) -> list[str]:
        ids = [part.strip().upper() for part in self.cleaned_data["children"].split(",") if part.strip()]
        if not ids:
            raise forms.ValidationError(_("Enter the Cylch ID of at least one child"))
        return ids

    def clean_time(self) -> datetime.time:
        match = TIME.match(self.cleaned_data["time"].strip())
        if match is None:
            raise forms.ValidationError(_("Enter the time as hours and minutes, for example 14:30"))
        return datetime.time(int(match[1]), int(match[2]))

    def held_at(self) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(self.cleaned_data["held_on"], self.cleaned_data["time"]))


class InviteeForm(forms.Form):
    practitioner = PractitionerChoice(
        label=_("Practitioner"),
        queryset=Practitioner.objects.none(),
        error_messages={
            "required": _("Select a practitioner"),
            "invalid_choice": _("Select a practitioner from the list"),
        },
    )
    role = forms.CharField(label=_("Role"), max_length=120, error_messages={"required": _("Enter their role")})

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self.fields["practitioner"]).queryset = candidates


class ReportForm(forms.Form):
    text = _text(
        _("Your agency's report"), required=True, rows=10, error_messages={"required": _("Enter your agency's report")}
    )
    attachment = forms.FileField(label=_("Attachment (optional)"), required=False)


class SharedForm(forms.Form):
    shared_on = GovukDateField(
        label=_("Shared with the family on"), subject=_("the date it was shared"), required=True, past_only=True
    )


class HoldForm(forms.Form):
    child_views = _text(
        _("The child's views and wishes"),
        rows=6,
        help_text=_("In the child's own words where possible. Recorded first."),
    )
    attended = forms.MultipleChoiceField(
        label=_("Who from the family attended"), choices=FAMILY, required=False, widget=forms.CheckboxSelectMultiple
    )
    minutes = _text(_("Minutes"), required=True, rows=12, error_messages={"required": _("Enter the minutes")})

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.invitee_fields: list[str] = []
        choices = [(a.value, a.label) for a in Attendance if a != Attendance.INVITED]
        for invitee in meeting.invitees.select_related("practitioner", "agency"):
            name = f"attendance_{invitee.pk}"
            self.fields[name] = forms.ChoiceField(
                label=f"{invitee.practitioner.get_full_name()} ({invitee.agency})",
                choices=choices,
                widget=forms.RadioSelect,
                initial=Attendance.ATTENDED,
                error_messages={
                    "required": _("Say whether they attended"),
                    "invalid_choice": _("Say whether they attended"),
                },
            )
            self.invitee_fields.append(name)

    def attendance(self) -> dict[int, str]:
        return {int(name.removeprefix("attendance_")): self.cleaned_data[name] for name in self.invitee_fields}


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Decision"),
        choices=DecisionKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the decision"), "invalid_choice": _("Select the decision")},
    )
    person = forms.ChoiceField(label=_("About"), required=False)
    category = forms.ChoiceField(
        label=_("Category of registration"),
        required=False,
        choices=[("", ""), *RegisterCategory.choices],
        error_messages={"invalid_choice": _("Select a category")},
    )
    rationale = _text(_("Rationale"), required=True, error_messages={"required": _("Enter the rationale")})
    dissent = _text(_("Dissent (who disagreed, and why)"), rows=3)

    def __init__(self, *args: Any, meeting: Meeting, children: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from cylch.meetings.models import DECISIONS_BY_KIND

        allowed = DECISIONS_BY_KIND[meeting.kind]
        if DecisionKind.REGISTER not in allowed:
            del self.fields["category"]  # nothing to register at this meeting
        self.fields["kind"].choices = [c for c in DecisionKind.choices if c[0] in allowed]  # type: ignore[attr-defined]
        self.fields["person"].choices = [("", _("All the children"))] + [  # type: ignore[attr-defined]
            (str(child.pk), str(child)) for child in children
        ]


class CirculateForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[
            (CirculationKind.MINUTES, CirculationKind.MINUTES.label),
            (CirculationKind.PLAN, CirculationKind.PLAN.label),
        ]
    )


class AssessmentForm(forms.Form):
    on = GovukDateField(
        label=_("Assessment completed on"),
        subject=_("the date the assessment was completed"),
        required=True,
        past_only=True,
    )


class PlanVersionForm(forms.Form):
    outcomes = _text(
        _("Outcomes for the child"),
        required=True,
        rows=6,
        error_messages={"required": _("Enter the outcomes for the child")},
    )
    contingency = _text(
        _("Contingency plan"), required=True, rows=4, error_messages={"required": _("Enter the contingency plan")}
    )
    change_note = _text(_("What changed"), rows=3)


class ActionForm(forms.Form):
    description = _text(_("Action"), required=True, rows=3, error_messages={"required": _("Enter what will be done")})
    owner = PractitionerChoice(
        label=_("Owner"),
        queryset=Practitioner.objects.none(),
        required=False,
        help_text=_("The practitioner who will do it; their agency owns the action."),
        error_messages={"invalid_choice": _("Select the owner from the list")},
    )
    due_on = GovukDateField(label=_("Due"), subject=_("the due date"), required=False)

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self.fields["owner"]).queryset = candidates

    def owner_agency(self) -> Agency | None:
        owner = self.cleaned_data.get("owner")
        return owner.agency if owner is not None else None


class ActionUpdateForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=ActionStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the status"), "invalid_choice": _("Select the status")},
    )
    evidence = _text(_("Evidence of completion"), rows=3)
