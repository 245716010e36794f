"""The default rule set (issue #15), live from the start, each with the research behind it.

The definitions are written out here, not imported, so this migration keeps meaning what it meant when a
region first ran it; a board officer changes a rule by writing its next version (cylch.risk.services.rule_save).
"""

from django.db import migrations

RRR = (
    "McManus, Ball & Almond, 'Risk, Response and Review: a thematic analysis of Child Practice Reviews in Wales' "
    "(briefing report, August 2023)"
)
CONCERNS = ["concern", "information_sharing", "referral"]

RULES = [
    {
        "code": "wnb-young-or-registered",
        "name": "Was Not Brought twice in six months: a child under five or on the register",
        "rationale": (
            "A young child cannot take themselves to an appointment: a missed health appointment is the carer's, "
            "and repeated ones are a recurring sign of neglect in reviews. Each service usually sees only its own "
            "missed appointments, so no one sees the pattern."
        ),
        "research": RRR + ": many reviews raised missed health appointments and the absence of a single health record "
        "(Missed Appointments and Opportunities; recommendation: 'Was Not Brought' flags and policy). "
        "Peach & Gordon, regional thematic review of CPRs: 'a pattern of uncoordinated responses to missed "
        "appointments suggests the need for a unified health record system to flag potential risks'.",
        "definition": {
            "scope": "person",
            "window_days": 183,
            "subject": {"max_age_months": 60, "statuses": ["cp_register"]},
            "signals": [{"label": "Was Not Brought", "match": [{"kinds": ["was_not_brought"]}], "min_count": 2}],
        },
    },
    {
        "code": "wnb-domestic-abuse-home-conditions",
        "name": "Was Not Brought, domestic abuse and a home-conditions or neglect concern in the household within a year",
        "rationale": (
            "Missed appointments, domestic-abuse call-outs and poor home conditions were each known to some agency "
            "in the reviewed cases, but no one put them together. Together in one household they are the "
            "co-occurring harms the reviews describe."
        ),
        "research": RRR + ": the children's most common vulnerabilities were emotional abuse, neglect and poor home "
        "conditions; the parents' most common risk factors drug and alcohol misuse, mental health and domestic "
        "abuse, significantly correlated; neglect and home conditions were key interacting risk factors.",
        "definition": {
            "scope": "household",
            "window_days": 365,
            "subject": {},
            "signals": [
                {"label": "Was Not Brought", "match": [{"kinds": ["was_not_brought"]}]},
                {
                    "label": "Domestic abuse",
                    "match": [
                        {"kinds": ["domestic_abuse_incident"]},
                        {"kinds": CONCERNS, "categories": ["domestic_abuse"]},
                    ],
                },
                {
                    "label": "Home conditions or neglect",
                    "match": [{"kinds": CONCERNS, "categories": ["poor_home_conditions", "neglect"]}],
                },
            ],
        },
    },
    {
        "code": "below-threshold-accumulating",
        "name": "Three or more below-threshold concerns from two or more agencies within a year",
        "rationale": (
            "Concerns judged below the threshold for statutory action are 'soft intelligence': each alone is "
            "answered with advice or no further action, but several from different agencies are cumulative risk."
        ),
        "research": RRR + ": over half of the children had a referral judged below threshold before the incident; "
        "records should show 'the various, cumulative, and continuing concerns raised' (recommendation 3.2).",
        "definition": {
            "scope": "person",
            "window_days": 365,
            "subject": {},
            "signals": [
                {
                    "label": "Below-threshold concerns",
                    "match": [{"kinds": CONCERNS, "below_threshold": True}],
                    "min_count": 3,
                    "min_agencies": 2,
                }
            ],
        },
    },
    {
        "code": "violent-adult-joins-baby",
        "name": "An adult with a violence or domestic-abuse history joins a household with a baby or unborn child",
        "rationale": (
            "A new partner joining the household is a parental risk factor in the reviews; a baby cannot be seen "
            "or heard outside the home, and the adult's history is usually held by the police or probation, not "
            "by the health visitor or midwife who see the baby."
        ),
        "research": RRR + ": parent/carer risk factors coded include domestic abuse relationship, criminal history and "
        "a new partner joining the household; criminal history and domestic abuse correlated significantly. "
        "Child Safeguarding Practice Review Panel annual review 2021: non-accidental injury to infants under one "
        "is the most common incident reviewed.",
        "definition": {
            "scope": "household",
            "window_days": 365,
            "subject": {"max_age_months": 12, "unborn": True},
            "signals": [
                {
                    "label": "Adult with a violence or domestic-abuse history moved in",
                    "who": "adult",
                    "joined_within_days": 365,
                    "window_days": 1826,
                    "match": [
                        {"kinds": ["domestic_abuse_incident"]},
                        {"kinds": CONCERNS, "categories": ["domestic_abuse", "physical_abuse"]},
                    ],
                }
            ],
        },
    },
    {
        "code": "missing-and-exploitation",
        "name": "Missing episodes and an exploitation concern within a year",
        "rationale": (
            "Going missing repeatedly together with a criminal or sexual exploitation concern is the pattern in "
            "the reviews of adolescents harmed through exploitation; the police hold the missing episodes and "
            "schools or youth justice the exploitation concern."
        ),
        "research": RRR + ": child vulnerabilities coded include missing episodes and criminal or sexual "
        "exploitation. National panel briefing (2021): safeguarding adolescents at risk of criminal exploitation; "
        "known risk factors do not always act as predictors, so co-occurrence is what to watch.",
        "definition": {
            "scope": "person",
            "window_days": 365,
            "subject": {},
            "signals": [
                {
                    "label": "Missing episodes",
                    "match": [{"kinds": ["missing_episode"]}, {"kinds": CONCERNS, "categories": ["missing"]}],
                    "min_count": 2,
                },
                {
                    "label": "Exploitation concern",
                    "match": [
                        {"kinds": CONCERNS, "categories": ["criminal_exploitation", "sexual_exploitation"]}
                    ],
                },
            ],
        },
    },
    {
        "code": "weighted-accumulation",
        "name": "Weighted accumulation of concerns in the household over a year crosses the threshold",
        "rationale": (
            "No single event meets a threshold but many smaller ones across the household add up: the score "
            "weighs each kind of event by how strongly the reviews associate it with harm."
        ),
        "research": RRR + ": co-occurring harms and cumulative risk; 'the recognition of cumulative neglect and its "
        "impact continues to be a key challenge, with incidents of neglect too often treated in isolation' "
        "(national panel briefing, 2021).",
        "definition": {
            "scope": "household",
            "window_days": 365,
            "subject": {},
            "signals": [],
            "score": {
                "threshold": 12,
                "weights": [
                    {"match": {"kinds": ["domestic_abuse_incident"]}, "weight": 4},
                    {"match": {"kinds": ["missing_episode"]}, "weight": 3},
                    {"match": {"kinds": ["was_not_brought"]}, "weight": 2},
                    {"match": {"kinds": ["concern", "referral"]}, "weight": 2},
                    {"match": {"kinds": ["emergency_attendance", "police_incident"]}, "weight": 2},
                    {"match": {"kinds": ["information_sharing", "school_attendance", "school_welfare"]}, "weight": 1},
                    {"match": {"kinds": ["substance_misuse_contact", "mental_health_contact"]}, "weight": 1},
                ],
            },
        },
    },
]


def load(apps, schema_editor):
    RiskRule = apps.get_model("risk", "RiskRule")
    RiskRuleVersion = apps.get_model("risk", "RiskRuleVersion")
    for spec in RULES:
        rule = RiskRule.objects.create(code=spec["code"])
        version = RiskRuleVersion.objects.create(
            rule=rule,
            number=1,
            name=spec["name"],
            rationale=spec["rationale"],
            research=spec["research"],
            definition=spec["definition"],
            active=True,
            change_note="Default rule set (issue #15).",
        )
        rule.current = version
        rule.save(update_fields=["current"])


def unload(apps, schema_editor):
    rules = apps.get_model("risk", "RiskRule").objects.filter(code__in=[r["code"] for r in RULES])
    rules.update(current=None)
    rules.delete()


class Migration(migrations.Migration):
    dependencies = [("risk", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
