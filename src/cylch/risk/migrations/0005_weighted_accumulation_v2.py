"""Version 2 of the weighted-accumulation rule, measured on the synthetic region (bench/risk/detect.py).

Version 1 counted every adult mental-health and substance-misuse service contact and every emergency attendance:
a parent in regular treatment, or a family with a few accident-and-emergency visits, crossed the threshold by
routine alone (727 alerts no planted trajectory explained over four years, 103 per 1,000 children). Version 2
stops counting treatment contacts (they are a parent's engagement with help, and show as risk factors instead),
counts an emergency attendance as 1, and raises the threshold to 14 so that one call-out alone does not fire.
Written out, not imported, as migration 0002 is.
"""

from django.db import migrations

CODE = "weighted-accumulation"
NOTE = (
    "Measured on the synthetic region: version 1 fired on routine adult mental-health and substance-misuse service "
    "contacts and emergency attendances (103 unexplained alerts per 1,000 children over four years). Treatment "
    "contacts no longer count, an emergency attendance counts 1, and the threshold is 14 so that one call-out "
    "alone does not fire."
)
WEIGHTS = [
    {"match": {"kinds": ["domestic_abuse_incident"]}, "weight": 4},
    {"match": {"kinds": ["missing_episode"]}, "weight": 3},
    {"match": {"kinds": ["was_not_brought"]}, "weight": 2},
    {"match": {"kinds": ["concern", "referral"]}, "weight": 2},
    {"match": {"kinds": ["police_incident"]}, "weight": 2},
    {"match": {"kinds": ["emergency_attendance"]}, "weight": 1},
    {"match": {"kinds": ["information_sharing", "school_attendance", "school_welfare"]}, "weight": 1},
]


def load(apps, schema_editor):
    """Write version 2 over the default version 1 (a rule a board officer has already changed is left alone)."""
    RiskRule = apps.get_model("risk", "RiskRule")
    RiskRuleVersion = apps.get_model("risk", "RiskRuleVersion")
    rule = RiskRule.objects.filter(code=CODE).first()
    if rule is None or rule.current_id is None:
        return
    current = RiskRuleVersion.objects.get(pk=rule.current_id)
    if current.number != 1:
        return
    definition = dict(current.definition)
    definition["score"] = {"threshold": 14, "weights": WEIGHTS}
    version = RiskRuleVersion.objects.create(
        rule=rule,
        number=2,
        name=current.name,
        rationale=current.rationale
        + " Treatment contacts are not counted: a parent's engagement with help is not a harm.",
        research=current.research,
        definition=definition,
        lead_agency_id=current.lead_agency_id,
        active=current.active,
        change_note=NOTE,
    )
    rule.current = version
    rule.save(update_fields=["current"])


def unload(apps, schema_editor):
    RiskRule = apps.get_model("risk", "RiskRule")
    RiskRuleVersion = apps.get_model("risk", "RiskRuleVersion")
    rule = RiskRule.objects.filter(code=CODE).first()
    second = RiskRuleVersion.objects.filter(rule=rule, number=2, change_note=NOTE).first()
    if rule is None or second is None or second.alerts.exists():
        return
    rule.current = RiskRuleVersion.objects.get(rule=rule, number=1)
    rule.save(update_fields=["current"])
    second.delete()


class Migration(migrations.Migration):
    dependencies = [("risk", "0004_risk_factors_and_follow_ups")]
    operations = [migrations.RunPython(load, unload)]
