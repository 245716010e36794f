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
from cylch.assurance.services.returns import COUNT_FIELDS, Counts, Training, count_label, level_label
from cylch.core.forms import GovukDateField

MAX_GAPS = 10_000
# Long enough for any real figure, short enough that a pasted essay is refused before it is read as a number.
MAX_FIGURE_CHARACTERS = 12
COUNT_PATTERN = re.compile(r"-?[0-9]+")
PERCENT_PATTERN = re.compile(r"-?[0-9]+(\.[0-9]+)?")

_count_label = lazy(count_label, str)
_level_label = lazy(level_label, str)


def _format_now(template: Any, **values: Any) -> str:
    return str(template) % values


# Lazy, so a label or message made at import is worded in the language active when the page is shown.
_formatted = lazy(_format_now, str)


class CountField(forms.Field):
    """A whole number typed in figures ('12'), or nothing; '-1' reaches the service, which says why not."""

    def __init__(self, name: str, **kwargs: Any) -> None:
        self.field_label = _count_label(name)
        super().__init__(label=self.field_label, required=False, **kwargs)

    def to_python(self, value: Any) -> int | None:
        text = str(value or "").strip().replace(",", "")
        if not text:
            return None
        if len(text) > MAX_FIGURE_CHARACTERS or not COUNT_PATTERN.fullmatch(text):
            raise ValidationError(
                _formatted(_("%(field)s must be a whole number written in figures, like 12"), field=self.field_label),
                code="invalid",
            )
        return int(text)


class PercentField(forms.Field):
    """A percentage typed in figures ('92' or '92.5', a '%' allowed), or nothing."""

    def __init__(self, label: Any, **kwargs: Any) -> None:
        super().__init__(label=label, required=False, **kwargs)

    def to_python(self, value: Any) -> Decimal | None:
        text = str(value or "").strip().removesuffix("%").strip()
        if not text:
            return None
        if len(text) > MAX_FIGURE_CHARACTERS or not PERCENT_PATTERN.fullmatch(text):
            raise ValidationError(
                _formatted(_("%(field)s must be a number written in figures, like 92.5"), field=self.label),
                code="invalid",
            )
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
            self.fields[f"compliance_{level}"] = PercentField(
                _formatted(_("%(level)s: staff trained (%%)"), level=_level_label(level))
            )
            self.fields[f"target_{level}"] = PercentField(
                _formatted(_("%(level)s: target (%%)"), level=_level_label(level))
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
