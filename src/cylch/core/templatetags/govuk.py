"""The bridge from Django forms to GOV.UK Design System markup, and small display filters.

Pages never write form-group, label, hint or error markup themselves: `{% govuk_field form.x %}`
renders any field the GOV.UK way (input, textarea with a character count when the field has a
`max_length`, date input, select, radios or checkboxes) and
`{% govuk_error_summary form %}` lists the errors linking to the box to fix, so every page
reports errors identically.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms, template
from django.core.paginator import Page
from django.forms.boundfield import BoundField
from django.forms.utils import flatatt
from django.template.loader import render_to_string
from django.utils.dates import MONTHS
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext, ngettext

from cylch.core.forms import DATE_PARTS, GovukDateWidget

register = template.Library()

NHS_NUMBER_LENGTH = 10

# The CLDR plural categories GOV.UK Frontend looks up (through Intl.PluralRules) and a number in each,
# so every category of the character count's messages can be filled from the gettext catalogue.
PLURAL_SAMPLES = {
    "en": {"one": 1, "other": 2},
    "cy": {"zero": 0, "one": 1, "two": 2, "few": 3, "many": 6, "other": 4},
}


def _error_parts(field: BoundField) -> tuple[str, ...]:
    """The date boxes an error is about (all three unless the error says otherwise)."""
    for error in field.form.errors.as_data().get(field.name, []):
        params = error.params or {}
        return tuple(params.get("parts", DATE_PARTS))
    return DATE_PARTS


def field_anchor(field: BoundField) -> str:
    """The id of the box an error summary link should move focus to."""
    if isinstance(field.field.widget, GovukDateWidget):
        parts = _error_parts(field) if field.errors else DATE_PARTS
        return f"{field.auto_id}_{parts[0]}"
    if isinstance(field.field.widget, forms.RadioSelect):
        return f"{field.auto_id}_0"
    return str(field.auto_id)


def _date_context(field: BoundField) -> dict[str, Any]:
    value = field.value()
    widget = field.field.widget
    assert isinstance(widget, GovukDateWidget)  # noqa: S101 - only called for date widgets
    values = value if isinstance(value, list | tuple) else widget.decompress(value)
    highlighted = _error_parts(field) if field.errors else ()
    return {
        "parts": [
            {
                "part": part,
                "id": f"{field.auto_id}_{part}",
                "name": f"{field.html_name}_{part}",
                "value": values[index] or "",
                "error": part in highlighted,
                "width": 4 if part == "year" else 2,
            }
            for index, part in enumerate(DATE_PARTS)
        ]
    }


def _choices_context(field: BoundField) -> dict[str, Any]:
    value = field.value()
    selected = {str(v) for v in value} if isinstance(value, list | tuple) else {"" if value is None else str(value)}
    return {
        "options": [
            {"value": str(choice_value), "label": label, "selected": str(choice_value) in selected, "index": index}
            for index, (choice_value, label) in enumerate(field.field.widget.choices)
        ]
    }


def _select_options(options: list[dict[str, Any]]) -> SafeString:
    """A select's <option>s, escaped as the template would: a template loop (or `format_html`) costs ~100
    calls an option, and the chronology filter offers one for each agency and kind of event (~90)."""
    return SafeString(
        "\n    ".join(
            f'<option value="{conditional_escape(option["value"])}"{" selected" if option["selected"] else ""}>'
            f"{conditional_escape(option['label'])}</option>"
            for option in options
        )
    )


def _character_count_context(field: BoundField, max_length: int) -> dict[str, Any]:
    """GOV.UK's character count: a plain textarea and a "you can enter up to" hint without JavaScript;
    with it, GOV.UK Frontend counts as you type, in the page's language (its `data-i18n.*` messages)."""
    count = {"count": "%{count}"}
    samples = PLURAL_SAMPLES.get((get_language() or "en").split("-")[0], PLURAL_SAMPLES["en"])
    attrs = {
        "data-module": "govuk-character-count",
        "data-maxlength": str(max_length),
        "data-i18n.characters-at-limit": gettext("You have 0 characters remaining"),
    }
    for category, number in samples.items():
        attrs[f"data-i18n.characters-under-limit.{category}"] = (
            ngettext("You have %(count)s character remaining", "You have %(count)s characters remaining", number)
            % count
        )
        attrs[f"data-i18n.characters-over-limit.{category}"] = (
            ngettext("You have %(count)s character too many", "You have %(count)s characters too many", number) % count
        )
    info = ngettext(
        "You can enter up to %(count)s character", "You can enter up to %(count)s characters", max_length
    ) % {"count": f"{max_length:,}"}
    return {
        "max_length": max_length,
        "count_attrs": flatatt(attrs),
        "count_info": info,
        "info_id": f"{field.auto_id}-info",
    }


@register.simple_tag
def govuk_field(
    field: BoundField,
    classes: str = "",
    label_classes: str = "",
    hint: str = "",
    heading: bool = False,
) -> SafeString:
    """Render one form field as the matching GOV.UK component, with its hint and error message.

    `classes` goes on the input (e.g. "govuk-input--width-10"), `label_classes` on the label or legend
    (e.g. "govuk-label--m"), and `heading` wraps the label or legend in an <h1> for one-question pages.
    """
    widget = field.field.widget
    error = field.errors[0] if field.errors else ""
    hint_text = hint or field.help_text
    context: dict[str, Any] = {
        "field": field,
        "id": field.auto_id,
        "name": field.html_name,
        "label": field.label,
        "hint": hint_text,
        "hint_id": f"{field.auto_id}-hint" if hint_text else "",
        "error": error,
        "error_id": f"{field.auto_id}-error" if error else "",
        "classes": classes,
        "label_classes": label_classes,
        "heading": heading,
    }
    context["described_by"] = " ".join(i for i in (context["hint_id"], context["error_id"]) if i)
    if isinstance(widget, GovukDateWidget):
        context.update(_date_context(field))
        template_name = "core/govuk/date_input.html"
    elif isinstance(widget, forms.CheckboxSelectMultiple):  # a RadioSelect subclass: test it first
        context.update(_choices_context(field))
        template_name = "core/govuk/checkboxes.html"
    elif isinstance(widget, forms.RadioSelect):
        context.update(_choices_context(field))
        template_name = "core/govuk/radios.html"
    elif isinstance(widget, forms.Select):
        context.update(_choices_context(field))
        context["options_html"] = _select_options(context["options"])
        template_name = "core/govuk/select.html"
    elif isinstance(widget, forms.Textarea):
        value = field.value()
        context.update({"value": "" if value is None else value, "rows": widget.attrs.get("rows", 5)})
        max_length = getattr(field.field, "max_length", None)
        if max_length:
            context.update(_character_count_context(field, max_length))
            context["described_by"] = " ".join(i for i in (context["info_id"], context["described_by"]) if i)
        template_name = "core/govuk/textarea.html"
    else:
        value = field.value()
        attrs = {k: v for k, v in widget.attrs.items() if k not in {"class", "id", "aria-describedby"}}
        if isinstance(widget, forms.PasswordInput):
            value = None
        context.update(
            {
                "type": getattr(widget, "input_type", "text"),
                "value": "" if value is None else value,
                "attrs": flatatt(attrs),
            }
        )
        template_name = "core/govuk/input.html"
    return render_to_string(template_name, context)


@register.simple_tag
def govuk_error_summary(*form_list: forms.BaseForm) -> SafeString:
    """One error summary for the page's forms: each message links to the box that needs changing."""
    errors: list[dict[str, object]] = []
    for form in form_list:
        if not form or not form.is_bound or not form.errors:
            continue
        first_field = next(iter(form), None)
        for message in form.non_field_errors():
            errors.append({"href": f"#{field_anchor(first_field)}" if first_field else "", "message": message})
        for bound in form:
            if bound.errors:
                errors.append({"href": f"#{field_anchor(bound)}", "message": bound.errors[0]})
    if not errors:
        return SafeString("")
    return render_to_string("core/govuk/error_summary.html", {"errors": errors})


@register.simple_tag(takes_context=True)
def page_has_errors(context: template.Context) -> bool:
    """True when any bound form on the page has errors (the <title> then starts with "Error:")."""
    for value in context.flatten().values():
        if isinstance(value, forms.BaseForm) and value.is_bound and value.errors:
            return True
    return False


@register.filter
def nhs_number(value: str) -> str:
    """'9434765919' -> '943 476 5919', the way NHS numbers are printed."""
    digits = (value or "").replace(" ", "")
    if len(digits) != NHS_NUMBER_LENGTH:
        return value
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"


# The two formats of a chronology row, for long tables: Django's general `date` and `time` filters cost
# ~50 µs a call (format lookup, a formatter object, a regular expression), these a few.


@register.filter(expects_localtime=True)
def day_month_year(value: datetime.date | None) -> str:
    """'3 April 2026' (the `date:"j F Y"` GOV.UK style), the month in the active language."""
    if not value:
        return ""
    return f"{value.day} {MONTHS[value.month]} {value.year}"


@register.filter(expects_localtime=True)
def hours_minutes(value: datetime.datetime | None) -> str:
    """'09:05' (the `time:"H:i"` 24-hour clock)."""
    if not value:
        return ""
    return f"{value:%H:%M}"


@register.filter
def localised_name(obj: Any) -> str:
    """An organisation's Welsh name when Welsh is active and one is recorded, otherwise its name."""
    if obj is None:
        return ""
    welsh = getattr(obj, "name_cy", "")
    if welsh and (get_language() or "").startswith("cy"):
        return str(welsh)
    return str(getattr(obj, "name", obj))


@register.filter
def elided_page_numbers(page: Page[Any]) -> list[int | str]:
    """The page numbers a GOV.UK pagination lists: the first and last, those around this one, '…' between."""
    return list(page.paginator.get_elided_page_range(page.number))
