"""The 12Cs template: every C, 3 to 5 prompts each, both scales of six, and both languages."""

from __future__ import annotations

import pytest
from django.utils import translation

from cylch.assurance.definitions import COMPONENTS, LEVELS, TEMPLATE, Scale, level, score_choices
from cylch.assurance.models import Component


def test_the_template_has_every_c_in_the_model_s_order():
    assert [definition.code for definition in TEMPLATE] == Component.values


@pytest.mark.parametrize("definition", TEMPLATE, ids=lambda d: d.code)
def test_each_c_has_three_to_five_prompts_in_both_languages(definition):
    assert 3 <= len(definition.prompts) <= 5
    for text in (definition.guidance, *definition.prompts):
        assert text.en
        assert text.cy
        assert text.en != text.cy


@pytest.mark.parametrize("scale", list(Scale))
def test_each_scale_has_six_levels_numbered_1_to_6(scale):
    assert [item.score for item in LEVELS[scale]] == [1, 2, 3, 4, 5, 6]


def test_the_descriptors_follow_the_reader_s_language():
    with translation.override("en"):
        assert str(level(Scale.CIW, 6)) == "6 Excellent: outstanding or sector leading"
        assert str(COMPONENTS["c1"].guidance).startswith("Clarity of roles and thresholds")
    with translation.override("cy"):
        assert str(level(Scale.CIW, 6)) == "6 Rhagorol: eithriadol neu'n arwain y sector"
        assert str(level(Scale.PROGRESS, 1)).startswith("1 Wedi'i nodi ond heb symud ymlaen")


@pytest.mark.parametrize("score", [None, 0, 7])
def test_no_descriptor_for_no_score_or_one_off_the_scale(score):
    assert level(Scale.PROGRESS, score) is None


def test_the_radio_choices_carry_each_descriptor():
    with translation.override("en"):
        assert score_choices(Scale.PROGRESS)[5] == (
            6,
            "6 Embedded and sustainable: embedded, functioning optimally and sustainable",
        )
