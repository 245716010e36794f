"""Which risk factors an event shows, and the census codes each factor carries: plain data and one pure function.

The factors are DOMAIN.md's child vulnerabilities and parent/carer risk factors. Where England's children-in-need
census has an assessment factor for one (the 2024 schema's `assessmentfactorstype`, as shipped in `liiatools`'
spec/cin_census), it is given, so a region can report in the census's terms; the rest have no census code.

    >>> factors_shown("concern", adult=False, categories=["neglect", "parental_mental_health"])
    ['neglect', 'carer_mental_health']
    >>> factors_shown("domestic_abuse_incident", adult=True, categories=[])
    ['domestic_abuse_relationship']
    >>> factors_shown("threshold_decision", adult=False, categories=["neglect"], outcome="nfa")
    []
"""

from __future__ import annotations

from collections.abc import Iterable

from cylch.chronology.models import EventKind
from cylch.concerns.models import Category, Outcome
from cylch.risk.models import RiskFactorKind, RiskFactorSource

# A factor is current while its latest evidence is no older than this: a year, the windows of the default rules.
CURRENT_FOR_DAYS = 365

K = RiskFactorKind

CHILD_VULNERABILITIES = (
    K.NEGLECT,
    K.EMOTIONAL_ABUSE,
    K.PHYSICAL_ABUSE,
    K.SEXUAL_ABUSE,
    K.POOR_HOME_CONDITIONS,
    K.LIVING_WITH_DOMESTIC_ABUSE,
    K.SELF_HARM,
    K.CHILD_MENTAL_HEALTH,
    K.CHILD_SUBSTANCE_MISUSE,
    K.MISSING,
    K.CRIMINAL_EXPLOITATION,
    K.SEXUAL_EXPLOITATION,
    K.NOT_IN_SCHOOL,
    K.YOUNG_CARER,
    K.FGM,
)
CARER_FACTORS = (
    K.CARER_SUBSTANCE_MISUSE,
    K.CARER_MENTAL_HEALTH,
    K.DOMESTIC_ABUSE_RELATIONSHIP,
    K.CRIMINAL_HISTORY,
    K.NEW_ADULT_IN_HOUSEHOLD,
)

# Children-in-need census assessment factors (2024 schema) for the factors that have one.
CIN_ASSESSMENT_FACTORS: dict[str, tuple[str, ...]] = {
    K.NEGLECT: ("16A",),
    K.EMOTIONAL_ABUSE: ("17A",),
    K.PHYSICAL_ABUSE: ("18C",),
    K.SEXUAL_ABUSE: ("19C",),
    K.LIVING_WITH_DOMESTIC_ABUSE: ("3A",),
    K.SELF_HARM: ("15A",),
    K.CHILD_MENTAL_HEALTH: ("4A",),
    K.CHILD_SUBSTANCE_MISUSE: ("1A", "2A"),
    K.MISSING: ("10A",),
    K.SEXUAL_EXPLOITATION: ("11A",),
    K.CRIMINAL_EXPLOITATION: ("24A",),
    K.YOUNG_CARER: ("7A",),
    K.FGM: ("22A",),
    K.CARER_SUBSTANCE_MISUSE: ("1B", "2B"),
    K.CARER_MENTAL_HEALTH: ("4B",),
    K.DOMESTIC_ABUSE_RELATIONSHIP: ("3B",),
}

# A concern's category, read as a factor of the child it is about (parents' factors are recorded on the child too,
# as the census records 1B or 4B on the child's assessment).
FROM_CATEGORY: dict[str, str] = {
    Category.NEGLECT: K.NEGLECT,
    Category.EMOTIONAL_ABUSE: K.EMOTIONAL_ABUSE,
    Category.PHYSICAL_ABUSE: K.PHYSICAL_ABUSE,
    Category.SEXUAL_ABUSE: K.SEXUAL_ABUSE,
    Category.POOR_HOME_CONDITIONS: K.POOR_HOME_CONDITIONS,
    Category.DOMESTIC_ABUSE: K.LIVING_WITH_DOMESTIC_ABUSE,
    Category.SELF_HARM: K.SELF_HARM,
    Category.MISSING: K.MISSING,
    Category.CRIMINAL_EXPLOITATION: K.CRIMINAL_EXPLOITATION,
    Category.SEXUAL_EXPLOITATION: K.SEXUAL_EXPLOITATION,
    Category.NOT_IN_SCHOOL: K.NOT_IN_SCHOOL,
    Category.YOUNG_CARER: K.YOUNG_CARER,
    Category.FGM_HONOUR_BASED_ABUSE: K.FGM,
    Category.PARENTAL_SUBSTANCE_MISUSE: K.CARER_SUBSTANCE_MISUSE,
    Category.PARENTAL_MENTAL_HEALTH: K.CARER_MENTAL_HEALTH,
}

# An agency's own event, read as a factor of the person it is about: (as a child, as an adult); None shows nothing.
FROM_EVENT: dict[str, tuple[str | None, str | None]] = {
    EventKind.DOMESTIC_ABUSE_INCIDENT: (K.LIVING_WITH_DOMESTIC_ABUSE, K.DOMESTIC_ABUSE_RELATIONSHIP),
    EventKind.MISSING_EPISODE: (K.MISSING, None),
    EventKind.MENTAL_HEALTH_CONTACT: (K.CHILD_MENTAL_HEALTH, K.CARER_MENTAL_HEALTH),
    EventKind.SUBSTANCE_MISUSE_CONTACT: (K.CHILD_SUBSTANCE_MISUSE, K.CARER_SUBSTANCE_MISUSE),
    EventKind.ARREST: (None, K.CRIMINAL_HISTORY),
    EventKind.PROBATION_CONTACT: (None, K.CRIMINAL_HISTORY),
    EventKind.JOINED_HOUSEHOLD: (K.NEW_ADULT_IN_HOUSEHOLD, None),
}

CONCERN_KINDS = (EventKind.CONCERN, EventKind.INFORMATION_SHARING, EventKind.REFERRAL)
# The front door found a need: the concern's categories stand confirmed, recorded as the decision's.
DECISIONS_CONFIRMING = frozenset(Outcome.values) - {Outcome.NO_FURTHER_ACTION, Outcome.PASSED_ON}
KINDS_READ = (*CONCERN_KINDS, EventKind.THRESHOLD_DECISION, *FROM_EVENT)


def source_of(kind: str) -> str:
    if kind in CONCERN_KINDS:
        return RiskFactorSource.CONCERN
    if kind == EventKind.THRESHOLD_DECISION:
        return RiskFactorSource.DECISION
    return RiskFactorSource.AGENCY_EVENT


def factors_shown(kind: str, *, adult: bool, categories: Iterable[str], outcome: str | None = None) -> list[str]:
    """The factors an event of `kind` about a person (`adult` or not) shows, in order, without repeats. A
    concern shows its categories' factors; a decision its concern's, unless it found no need; an agency event its
    own (an adult's domestic-abuse call-out is a domestic-abuse relationship, a child's is living with it)."""
    found: list[str] = []
    if kind in CONCERN_KINDS or (kind == EventKind.THRESHOLD_DECISION and outcome in DECISIONS_CONFIRMING):
        found = [FROM_CATEGORY[c] for c in categories if c in FROM_CATEGORY]
        if adult:
            found = [f for f in found if f in CARER_FACTORS or f == K.LIVING_WITH_DOMESTIC_ABUSE]
            found = [K.DOMESTIC_ABUSE_RELATIONSHIP if f == K.LIVING_WITH_DOMESTIC_ABUSE else f for f in found]
    elif kind in FROM_EVENT:
        as_child, as_adult = FROM_EVENT[kind]
        factor = as_adult if adult else as_child
        found = [factor] if factor else []
    return list(dict.fromkeys(found))


def group_of(kind: str) -> str:
    """`child` for a child vulnerability, `carer` for a parent/carer risk factor."""
    return "carer" if kind in CARER_FACTORS else "child"
