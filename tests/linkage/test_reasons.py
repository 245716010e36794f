"""Why a pair waits for a person, in words: what agreed, partly agreed, disagreed and was missing, and the rule."""

from __future__ import annotations

from django.utils import translation

from cylch.linkage.reasons import review_reasons

EVIDENCE = [
    {"field": "nhs_number", "level": "exact", "weight": 12.0},
    {"field": "given_name", "level": "else", "weight": -6.0},
    {"field": "family_name", "level": "similar", "weight": 3.0},
    {"field": "date_of_birth", "level": "else", "weight": -8.0},
    {"field": "postcode", "level": None, "weight": 0.0},
    {"field": "sex", "level": "same", "weight": 0.5},
]


def test_the_reasons_say_what_agreed_partly_agreed_disagreed_and_was_missing():
    reasons = review_reasons(EVIDENCE, "nhs_number_only")
    assert reasons.sentences()[:4] == [
        "Agreed: NHS number; Sex.",
        "Partly agreed: Family name (spelt similarly).",
        "Disagreed: Given name; Date of birth.",
        "Missing on one side: Postcode.",
    ]


def test_the_reasons_end_with_the_rule_that_asked_for_a_person():
    assert (
        review_reasons(EVIDENCE, "nhs_number_only")
        .sentences()[-1]
        .startswith("The NHS number agrees, but two of given name, family name and date of birth disagree")
    )


def test_a_pair_held_by_no_rule_is_said_to_be_likely_but_not_certain():
    rule = review_reasons(EVIDENCE[:1]).rule
    assert rule == "The evidence makes them likely, but not certain, to be the same person."


def test_the_reasons_are_in_the_readers_language():
    with translation.override("cy"):
        assert "Agreed" not in str(review_reasons(EVIDENCE, "different_birth_date"))


def test_a_mistyped_nhs_number_and_a_middle_name_recorded_first_are_said_to_partly_agree():
    evidence = [{"field": "nhs_number", "level": "transposed"}, {"field": "given_name", "level": "middle_name"}]
    assert review_reasons(evidence).partly == [
        "NHS number (the same but for two neighbouring figures swapped)",
        "Given name (one given name is the other's middle name)",
    ]
