"""Form fields shared by every page: the GOV.UK date input (day, month and year boxes) and its validation.

GOV.UK asks for dates as three boxes and words each error for the part that is wrong
("Date of birth must include a month"). A single Django DateField cannot say which part is
wrong, so this field parses the three parts itself and tells the template, through the
error's `parts` parameter, which boxes to highlight.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.http import HttpRequest
    from django_stubs_ext import StrOrPromise

DATE_PARTS = ("day", "month", "year")
EARLIEST_YEAR = 1900


class GovukDateWidget(forms.MultiWidget):
    """Three numeric text boxes named `<name>_day`, `<name>_month` and `<name>_year`."""

    def __init__(self) -> None:
        super().__init__(widgets={part: forms.TextInput(attrs={"inputmode": "numeric"}) for part in DATE_PARTS})

    def decompress(self, value: Any) -> list[str]:
        if isinstance(value, datetime.date):
            return [str(value.day), str(value.month), str(value.year)]
        return ["", "", ""]


class GovukDateField(forms.Field):
    """A date typed into GOV.UK's three boxes; errors name the missing or impossible part.

    `subject` is how the date is named inside a sentence ("date of birth"); each message puts it
    where its language needs it ("Date of birth must include a month", "Rhaid i'r dyddiad geni
    gynnwys mis") and starts with a capital letter.
    """

    widget = GovukDateWidget

    def __init__(self, *, subject: StrOrPromise, past_only: bool = False, **kwargs: Any) -> None:
        self.subject = subject
        self.past_only = past_only
        super().__init__(**kwargs)

    def _error(self, message: StrOrPromise, code: str, parts: tuple[str, ...] = DATE_PARTS) -> ValidationError:
        return ValidationError(_sentence(message, self.subject), code=code, params={"parts": parts})

    def to_python(self, value: Any) -> datetime.date | None:
        if isinstance(value, datetime.date):
            return value
        raw = [str(v or "").strip() for v in (value or ["", "", ""])]
        if not any(raw):
            return None
        missing = tuple(part for part, text in zip(DATE_PARTS, raw, strict=True) if not text)
        if missing:
            raise self._error(_missing_message(missing), "incomplete", missing)
        not_numbers = tuple(part for part, text in zip(DATE_PARTS, raw, strict=True) if not _is_number(text))
        if not_numbers:
            raise self._error(_("%(subject)s must be a real date"), "invalid", not_numbers)
        if len(raw[2]) != 4:  # a year is written in full
            raise self._error(_("Year must include 4 numbers"), "year_digits", ("year",))
        too_long = tuple(part for part, text in zip(("day", "month"), raw[:2], strict=True) if len(text) > 2)
        if too_long:  # checked before int(): a 20-digit day would overflow datetime.date
            raise self._error(_("%(subject)s must be a real date"), "invalid", too_long)
        day, month, year = (int(text) for text in raw)
        try:
            date = datetime.date(year, month, day)
        except ValueError:
            wrong = tuple(p for p, ok in (("day", 1 <= day <= 31), ("month", 1 <= month <= 12)) if not ok)
            raise self._error(_("%(subject)s must be a real date"), "invalid", wrong or DATE_PARTS) from None
        if year < EARLIEST_YEAR:
            raise self._error(_("%(subject)s must be a real date"), "invalid", ("year",))
        if self.past_only and date > timezone.localdate():
            raise self._error(_("%(subject)s must be today or in the past"), "future")
        return date

    def validate(self, value: Any) -> None:
        if value is None and self.required:
            raise self._error(_("Enter %(subject)s"), "required")


def _is_number(text: str) -> bool:
    """ASCII digits only: str.isdigit() also accepts '²' and other digits that int() refuses or reads oddly."""
    return text.isascii() and text.isdigit()


def _sentence_now(message: StrOrPromise, subject: StrOrPromise) -> str:
    """The message in the active language with the subject put in and a capital letter at the start."""
    return str(capfirst(str(message) % {"subject": subject}))


# Lazy, so a message built while one language is active is worded in the language active when shown.
_sentence = lazy(_sentence_now, str)


def _missing_message(missing: tuple[str, ...]) -> StrOrPromise:
    """GOV.UK wording: '<Subject> must include a day and month'."""
    messages = {
        ("day",): _("%(subject)s must include a day"),
        ("month",): _("%(subject)s must include a month"),
        ("year",): _("%(subject)s must include a year"),
        ("day", "month"): _("%(subject)s must include a day and month"),
        ("day", "year"): _("%(subject)s must include a day and year"),
        ("month", "year"): _("%(subject)s must include a month and year"),
    }
    return messages[missing]


def service_errors_add(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal onto the form: on the box it names when the form has that box, else at the top, so the
    error summary links each reason to its box as GOV.UK asks."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def form_perform(request: HttpRequest, form: forms.Form, done: StrOrPromise, perform: Callable[[], object]) -> bool:
    """A valid form's change through its service: True, with the success banner `done`, when the service took it;
    otherwise False and the form carries the reasons (its own, or the service's on the box they name)."""
    if not form.is_valid():
        return False
    try:
        perform()
    except ValidationError as error:
        service_errors_add(form, error)
        return False
    messages.success(request, done)
    return True
