"""The demo region's coded practice reviews: a few dozen with the structure such reviews show, not real figures.

Each synthetic review has a child of some age, and from the age follow the likely incident and vulnerabilities:
babies and toddlers mostly harm inflicted on them (neglect, physical and emotional abuse, poor home conditions),
teenagers mostly harm experienced inside (self-esteem, suicidal thoughts, neurodiversity, learning difficulties),
so the clustering has two groups to find. Parent and carer factors share one latent "adversity" so they go
together; agencies aware follow the child's age; dates run late, as the research found, and some are missing.
"""

from __future__ import annotations

import datetime
import random

from cylch.accounts.models import LocalAuthority
from cylch.thematic.dates import add_months
from cylch.thematic.models import CodedReview, ReviewType
from cylch.thematic.services import coded_review_save

REVIEWS = 36
SEED = 2023
SUSR_START = datetime.date(2024, 10, 1)
COVID = (datetime.date(2020, 3, 23), datetime.date(2021, 12, 31))
INFLICTED = ("vuln_neglect", "vuln_physical_abuse", "vuln_emotional_abuse", "vuln_poor_home_conditions")
INTERNAL = ("vuln_self_esteem", "vuln_suicidal_thoughts", "vuln_neurodiversity", "vuln_learning_difficulties")
PARENT = (
    ("parent_drugs_alcohol", 0.55),
    ("parent_mental_health", 0.6),
    ("parent_domestic_abuse", 0.55),
    ("parent_criminal_history", 0.4),
    ("parent_aces", 0.4),
    ("parent_care_experienced", 0.25),
    ("parent_young", 0.25),
    ("parent_learning_disability", 0.1),
    ("parent_previous_children_removed", 0.15),
    ("parent_new_partner", 0.3),
)
THEMES = (
    ("theme_professional_curiosity", 0.6),
    ("theme_child_voice", 0.5),
    ("theme_whole_family", 0.55),
    ("theme_cumulative_risk", 0.4),
    ("theme_self_report_disguised_compliance", 0.3),
    ("theme_threshold_uncertainty", 0.45),
    ("theme_escalation_challenge", 0.3),
    ("theme_information_sharing", 0.6),
    ("theme_health_complexity", 0.35),
    ("theme_was_not_brought", 0.3),
    ("theme_recording_quality", 0.35),
    ("theme_workforce", 0.3),
    ("theme_culture_language", 0.1),
    ("theme_transitions", 0.2),
)


def _young_child(rng: random.Random) -> set[str]:
    codes = {rng.choice(("age_0_3_months", "age_3_12_months", "age_1_4"))}
    death = rng.random() < 0.65
    if death:
        codes |= {"incident_death", rng.choice(("incident_sudi", "incident_non_accidental_injury", "incident_medical"))}
    else:
        codes |= {"incident_serious_harm", rng.choice(("incident_physical_abuse", "incident_neglect"))}
    codes |= {code for code in INFLICTED if rng.random() < 0.75}
    codes |= {code for code in INTERNAL if rng.random() < 0.05}
    codes |= {code for code, chance in (("known_midwife_hv", 0.85), ("known_gp", 0.6)) if rng.random() < chance}
    return codes


def _older_child(rng: random.Random) -> set[str]:
    codes = {rng.choice(("age_11_12", "age_13_plus", "age_13_plus", "age_5_10"))}
    death = rng.random() < 0.6
    if death:
        codes |= {"incident_death", rng.choice(("incident_suicide", "incident_suicide", "incident_homicide"))}
    else:
        codes |= {
            "incident_serious_harm",
            rng.choice(("incident_self_harm", "incident_exploitation", "incident_sexual_abuse")),
        }
    codes |= {code for code in INTERNAL if rng.random() < 0.7}
    codes |= {code for code in INFLICTED if rng.random() < 0.15}
    codes |= {
        code
        for code, chance in (
            ("vuln_mental_health", 0.6),
            ("vuln_missing_episodes", 0.35),
            ("vuln_exploitation", 0.3),
            ("vuln_not_in_school", 0.3),
            ("known_education", 0.9),
            ("known_mental_health", 0.6),
            ("known_gp", 0.45),
        )
        if rng.random() < chance
    }
    return codes


def _review(rng: random.Random, incident: datetime.date) -> set[str]:
    codes = _young_child(rng) if rng.random() < 0.55 else _older_child(rng)
    adversity = rng.random()  # one latent "adversity": the parent factors rise and fall together
    codes |= {code for code, chance in PARENT if rng.random() < chance * (0.4 + 1.2 * adversity)}
    if ("parent_domestic_abuse" in codes and rng.random() < 0.7) or rng.random() < 0.3:
        codes.add("known_police")
    if rng.random() < 0.94:
        codes.add("known_childrens_services")
    if rng.random() < 0.75:
        codes.add("has_sibling")
        codes |= {
            code for code, chance in (("has_half_sibling", 0.35), ("youngest_child", 0.6)) if rng.random() < chance
        }
        if rng.random() < 0.3:
            codes.add("large_sibling_group")
    if rng.random() < 0.33:
        codes.add("prior_6m_register_or_lac")
    if rng.random() < 0.55:
        codes.add("below_threshold_referral")
    if COVID[0] <= incident <= COVID[1]:
        codes.add("covid_period")
        if rng.random() < 0.7:  # most reviews in the pandemic said how it changed practice; not all
            codes.add("theme_covid")
    codes |= {code for code, chance in THEMES if rng.random() < chance}
    return codes


def demo_load(*, reference_date: datetime.date) -> dict[str, int]:
    """Code REVIEWS synthetic reviews spread over the eight years before `reference_date` (idempotent by ID)."""
    rng = random.Random(SEED)  # noqa: S311 - synthetic data wants a seeded PRNG, not a CSPRNG
    authorities = list(LocalAuthority.objects.order_by("code"))
    first = reference_date - datetime.timedelta(days=8 * 365)
    for number in range(1, REVIEWS + 1):
        incident = first + datetime.timedelta(days=rng.randrange(0, 7 * 365))
        codes = _review(rng, incident)
        referral = incident + datetime.timedelta(days=rng.randrange(20, 240))
        completion: datetime.date | None = add_months(referral, rng.randrange(5, 40))
        learning_event: datetime.date | None = incident + datetime.timedelta(days=rng.randrange(150, 720))
        if completion is not None and completion > reference_date:
            completion = None  # still in progress
        if learning_event is not None and learning_event > reference_date:
            learning_event = None
        if rng.random() < 0.15:  # the research found many reviews did not record their key dates
            learning_event = None
        if incident >= SUSR_START:
            review_type = ReviewType.SUSR
        elif "prior_6m_register_or_lac" in codes:
            review_type = ReviewType.CPR_EXTENDED
        else:
            review_type = ReviewType.CPR_CONCISE
        coded_review_save(
            review_id=f"DEMO-{incident.year}-{number:02d}",
            user=None,
            codes=codes,
            review_type=review_type,
            local_authority=rng.choice(authorities) if authorities else None,
            incident_date=incident,
            referral_date=None if rng.random() < 0.1 else referral,
            learning_event_date=learning_event,
            completion_date=completion,
            review_period_months=rng.choice((12, 12, 12, 18, 24, 36)),
        )
    return {"coded practice reviews": CodedReview.objects.filter(review_id__startswith="DEMO-").count()}
