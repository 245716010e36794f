"""The assurance return form: counts, training shares by group, named gaps and the period.

The boxes only check that a figure is written in figures (a count as a whole number, a share as a number with at
most a decimal point); the ranges and the sums (filled posts not above posts, shares 0–100) are the service's rules,
whose errors come back onto these boxes. Every message names its box.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from cylch.assurance.models import AssuranceReturn, TrainingLevel
from cylch.assurance.services.returns import (
    COUNT_FIELDS,
    MAX_REASON,
    Counts,
    Training,
    count_label,
    count_name,
    level_label,
    level_letter,
)
from cylch.core.forms import GovukDateField

MAX_GAPS = 10_000
# Long enough for any real figure, short enough that a pasted essay is refused before it is read as a number.
MAX_FIGURE_CHARACTERS = 12
COUNT_PATTERN = re.compile(r"-?[0-9]+")
PERCENT_PATTERN = re.compile(r"-?[0-9]+(\.[0-9]+)?")

_count_label = lazy(count_label, str)
_count_name = lazy(count_name, str)
_level_label = lazy(level_label, str)


def _format_now(template: Any, **values: Any) -> str:
    return str(template) % values


# Lazy, so a label or message made at import is worded in the language active when the page is shown.
_formatted = lazy(_format_now, str)


class CountField(forms.Field):
    """A whole number typed in figures ('12'), or nothing; '-1' reaches the service, which says why not."""

    def __init__(self, name: str, **kwargs: Any) -> None:
        self.field_name = _count_name(name)
        super().__init__(label=_count_label(name), required=False, **kwargs)

    def to_python(self, value: Any) -> int | None:
        text = str(value or "").strip().replace(",", "")
        if not text:
            return None
        if len(text) > MAX_FIGURE_CHARACTERS or not COUNT_PATTERN.fullmatch(text):
            raise ValidationError(
                _formatted(
                    _("The figure for %(field)s must be a whole number written in figures, like 12"),
                    field=self.field_name,
                ),
                code="invalid",
            )
        return int(text)


class PercentField(forms.Field):
    """A percentage typed in figures ('92' or '92.5', a '%' allowed), or nothing; `invalid` is the whole message
    for anything else (it names the box mid-sentence, as each language needs)."""

    def __init__(self, label: Any, invalid: Any, **kwargs: Any) -> None:
        self.invalid = invalid
        super().__init__(label=label, required=False, **kwargs)

    def to_python(self, value: Any) -> Decimal | None:
        text = str(value or "").strip().removesuffix("%").strip()
        if not text:
            return None
        if len(text) > MAX_FIGURE_CHARACTERS or not PERCENT_PATTERN.fullmatch(text):
            raise ValidationError(self.invalid, code="invalid")
        return Decimal(text)


class ReturnForm(forms.Form):
    period_start = GovukDateField(label=_("Period from"), subject=_("the start of the period"), required=False)
    period_end = GovukDateField(label=_("Period to"), subject=_("the end of the period"), required=False)
    gaps = forms.CharField(
        label=_("Named gaps"),
        help_text=_("Say where your agency falls short (posts, training, supervision) and what it is doing about it."),
        required=False,
        max_length=MAX_GAPS,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "max_length": _("Named gaps must be %(limit_value)s characters or fewer"),
            "null_characters_not_allowed": _("Named gaps must not contain control characters"),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in COUNT_FIELDS:
            self.fields[name] = CountField(name)
        for level in TrainingLevel.values:
            group = level_letter(level)
            self.fields[f"compliance_{level}"] = PercentField(
                _formatted(_("%(level)s: staff trained (%%)"), level=_level_label(level)),
                _formatted(
                    _(
                        "The share of staff in Group %(group)s who are trained must be a number written in figures, "
                        "like 92.5"
                    ),
                    group=group,
                ),
            )
            self.fields[f"target_{level}"] = PercentField(
                _formatted(_("%(level)s: target (%%)"), level=_level_label(level)),
                _formatted(
                    _("The target for Group %(group)s must be a number written in figures, like 92.5"), group=group
                ),
            )

    def counts(self) -> Counts:
        return {name: self.cleaned_data.get(name) for name in COUNT_FIELDS}

    def training(self) -> Training:
        return {
            level: (self.cleaned_data.get(f"compliance_{level}"), self.cleaned_data.get(f"target_{level}"))
            for level in TrainingLevel.values
        }

    def count_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in COUNT_FIELDS]

    def training_rows(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        """(the group's full name, its trained box, its target box) for each training group."""
        return [
            (str(label), self[f"compliance_{level}"], self[f"target_{level}"]) for level, label in TrainingLevel.choices
        ]


def return_initial(assurance_return: AssuranceReturn) -> dict[str, Any]:
    """The form's boxes filled from a saved return."""
    initial: dict[str, Any] = {name: getattr(assurance_return, name) for name in COUNT_FIELDS}
    initial |= {
        "period_start": assurance_return.period_start,
        "period_end": assurance_return.period_end,
        "gaps": assurance_return.gaps,
    }
    for line in assurance_return.training.all():
        initial[f"compliance_{line.level}"] = line.compliance_percent
        initial[f"target_{line.level}"] = line.target_percent
    return initial


class ExtendForm(forms.Form):
    """The board's extension of one return's due date: the new date and why (the history keeps both). The service
    checks the date against the current one and the reason's length."""

    due_on = GovukDateField(label=_("New due date"), subject=_("the new due date"))
    reason = forms.CharField(
        label=_("Reason for the extension"),
        help_text=_("Kept in the cycle's history, for example: the agency's lead is on leave until June."),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_REASON}),
        error_messages={
            "required": _("Enter the reason for the extension"),
            "null_characters_not_allowed": _("The reason must not contain control characters"),
        },
    )
