"""The coding frame: every code the issue and DOMAIN.md name, each in both languages with its group."""

from __future__ import annotations

import json

import pytest
from django.utils import translation

from cylch.thematic.frame import FRAMES, FrameError, coding_frame

ISSUE_KEYS = [
    "incident_death",
    "incident_serious_harm",
    "age_0_3_months",
    "age_3_12_months",
    "age_1_4",
    "age_5_10",
    "age_11_12",
    "age_13_plus",
    "has_sibling",
    "large_sibling_group",
    "prior_6m_register_or_lac",
    "known_childrens_services",
    "known_police",
    "known_midwife_hv",
    "known_gp",
    "known_education",
    "known_mental_health",
    "below_threshold_referral",
    "covid_period",
    "parent_drugs_alcohol",
    "parent_mental_health",
    "parent_domestic_abuse",
    "parent_criminal_history",
    "parent_aces",
    "parent_care_experienced",
    "parent_young",
    "vuln_neglect",
    "vuln_emotional_abuse",
    "vuln_physical_abuse",
    "vuln_sexual_abuse",
    "vuln_poor_home_conditions",
    "vuln_self_esteem",
    "vuln_suicidal_thoughts",
    "vuln_neurodiversity",
    "vuln_learning_difficulties",
    "theme_professional_curiosity",
    "theme_child_voice",
    "theme_whole_family",
]
# The other kinds DOMAIN.md lists for each group.
DOMAIN_KEYS = [
    "incident_suicide",
    "incident_medical",
    "incident_non_accidental_injury",
    "incident_sudi",
    "incident_homicide",
    "incident_physical_abuse",
    "incident_sexual_abuse",
    "incident_neglect",
    "incident_exploitation",
    "incident_self_harm",
    "has_half_sibling",
    "youngest_child",
    "parent_learning_disability",
    "parent_physical_illness",
    "parent_previous_children_removed",
    "parent_new_partner",
    "vuln_mental_health",
    "vuln_missing_episodes",
    "vuln_exploitation",
    "vuln_not_in_school",
    "vuln_young_carer",
    "theme_cumulative_risk",
    "theme_self_report_disguised_compliance",
    "theme_threshold_uncertainty",
    "theme_escalation_challenge",
    "theme_information_sharing",
    "theme_health_complexity",
    "theme_was_not_brought",
    "theme_recording_quality",
    "theme_workforce",
    "theme_covid",
    "theme_culture_language",
    "theme_transitions",
]


def test_the_frame_holds_every_key_the_issue_and_domain_name():
    missing = set(ISSUE_KEYS + DOMAIN_KEYS) - set(coding_frame().by_key)
    assert not missing


@pytest.mark.parametrize(
    ("prefix", "group"),
    [
        ("incident_", "incident"),
        ("age_", "child"),
        ("known_", "agencies"),
        ("parent_", "parent"),
        ("vuln_", "vulnerability"),
        ("theme_", "theme"),
    ],
)
def test_codes_are_grouped_as_domain_groups_them(prefix, group):
    assert {code.group for code in coding_frame().codes if code.key.startswith(prefix)} == {group}


def test_labels_and_definitions_follow_the_language():
    neglect = coding_frame().by_key["vuln_neglect"]
    with translation.override("cy"):
        assert (neglect.label, neglect.definition) == ("Esgeulustod", "Profodd y plentyn esgeulustod.")
    with translation.override("en"):
        assert neglect.label == "Neglect"


def test_a_frame_file_with_a_repeated_key_is_refused(tmp_path, monkeypatch):
    data = json.loads((FRAMES / "v1.json").read_text(encoding="utf-8"))
    data["version"] = 99
    data["codes"].append(dict(data["codes"][0]))
    (tmp_path / "v99.json").write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setattr("cylch.thematic.frame.FRAMES", tmp_path)
    with pytest.raises(FrameError, match="repeated"):
        coding_frame(99)
