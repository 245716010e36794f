"""The GOV.UK date field and the form-to-GOV.UK bridge."""

from __future__ import annotations

import datetime

import pytest
from django import forms
from django.template import Context, Template
from django.utils import timezone, translation

from cylch.core.forms import GovukDateField
from cylch.core.templatetags.govuk import nhs_number


class WhenForm(forms.Form):
    when = GovukDateField(label="When", subject="the date it happened", past_only=True, required=True)
    colour = forms.ChoiceField(label="Colour", choices=[("r", "Red"), ("g", "Green")], widget=forms.RadioSelect)


def _form(day="", month="", year="", colour="r"):
    return WhenForm({"when_day": day, "when_month": month, "when_year": year, "colour": colour})


def test_a_real_date_is_cleaned():
    form = _form("29", "2", "2024")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["when"] == datetime.date(2024, 2, 29)


@pytest.mark.parametrize(
    ("parts", "message", "highlighted"),
    [
        (("", "", ""), "Enter the date it happened", ("day", "month", "year")),
        (("1", "", ""), "The date it happened must include a month and year", ("month", "year")),
        (("29", "2", "2023"), "The date it happened must be a real date", ("day", "month", "year")),
        (("1", "1", "1850"), "The date it happened must be a real date", ("year",)),
        (("1", "1", "99"), "Year must include 4 numbers", ("year",)),
    ],
)
def test_errors_name_the_part_to_fix(parts, message, highlighted):
    form = _form(*parts)
    assert not form.is_valid()
    assert form.errors["when"] == [message]
    assert form.errors.as_data()["when"][0].params["parts"] == highlighted


@pytest.mark.parametrize(
    ("parts", "highlighted"),
    [
        (("1" * 20, "1", "2020"), ("day",)),  # once an OverflowError in datetime.date
        (("1", "1" * 20, "2020"), ("month",)),
        (("001", "1", "2020"), ("day",)),
        (("²", "1", "2020"), ("day",)),  # str.isdigit() is True, int() refuses it
        (("1", "\u0661", "2020"), ("month",)),  # Arabic-Indic one: ASCII digits only
        (("1", "1", "２０２０"), ("year",)),  # full-width digits
    ],
)
def test_a_part_that_is_not_one_or_two_ascii_digits_is_not_a_real_date(parts, highlighted):
    form = _form(*parts)
    assert form.errors["when"] == ["The date it happened must be a real date"]
    assert form.errors.as_data()["when"][0].params["parts"] == highlighted


def test_the_future_is_refused_when_the_date_must_be_past():
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    form = _form(str(tomorrow.day), str(tomorrow.month), str(tomorrow.year))
    assert form.errors["when"] == ["The date it happened must be today or in the past"]


def test_messages_are_worded_in_the_language_active_when_shown():
    form = WhenForm({"when_day": "1", "when_month": "", "when_year": "2020", "colour": "r"})
    form.is_valid()
    with translation.override("cy"):
        # The subject here is not in the catalogue, so only the sentence around it is Welsh.
        assert str(form.errors["when"][0]) == "Rhaid i’r the date it happened gynnwys mis"


def test_the_bridge_renders_govuk_markup_with_errors():
    form = _form("1", "", "2020", colour="x")
    form.is_valid()
    html = Template(
        "{% load govuk %}{% govuk_error_summary form %}{% govuk_field form.when %}{% govuk_field form.colour %}"
    )
    page = html.render(Context({"form": form}))
    assert '<a href="#id_when_month">The date it happened must include a month</a>' in page
    assert '<a href="#id_colour_0">' in page
    assert 'class="govuk-fieldset" role="group" aria-describedby="id_when-error"' in page
    assert 'class="govuk-radios"' in page
    assert '<span class="govuk-visually-hidden">Error:</span>' in page


def test_nhs_numbers_are_printed_three_three_four():
    assert nhs_number("9434765919") == "943 476 5919"
    assert nhs_number("12") == "12"


@pytest.mark.parametrize("language", ["en", "cy"])
def test_chronology_date_and_time_filters_read_as_djangos_formats(language):
    moments = [
        datetime.datetime(2026, 7, 3, 23, 30, tzinfo=datetime.UTC),  # the next day in London (BST)
        datetime.datetime(2026, 1, 9, 8, 5, tzinfo=datetime.UTC),
    ]
    ours = Template("{% load govuk %}{% for m in moments %}{{ m|day_month_year }} {{ m|hours_minutes }};{% endfor %}")
    django = Template('{% for m in moments %}{{ m|date:"j F Y" }} {{ m|time:"H:i" }};{% endfor %}')
    with translation.override(language):
        context = Context({"moments": moments})
        assert ours.render(context) == django.render(context)
        assert ours.render(context).startswith("4 ")
    assert Template("{% load govuk %}{{ none|day_month_year }}{{ none|hours_minutes }}").render(Context({})) == ""


class PickForm(forms.Form):
    agency = forms.ChoiceField(label="Agency", choices=[("", "All"), ("1", "Ysgol <Gymraeg> & Co"), ("2", "Police")])


def test_a_select_offers_every_choice_escaped_with_the_chosen_one_selected():
    html = Template("{% load govuk %}{% govuk_field form.agency %}").render(
        Context({"form": PickForm({"agency": "2"})})
    )
    assert '<option value="">All</option>' in html
    assert '<option value="1">Ysgol &lt;Gymraeg&gt; &amp; Co</option>' in html
    assert '<option value="2" selected>Police</option>' in html
