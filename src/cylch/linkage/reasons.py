"""Why a pair of records waits for a person, in words: what agreed, what only partly agreed, what disagreed, what
was missing, and the rule that held it back from linking.

A reviewer decides from this before opening the pair, so the queue, the comparison page and the batch review
file all say it the same way. Field and level codes are the model's (`cylch.linkage.scoring`); a code from an
older model version is shown as it was stored.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

FIELD_LABELS = {
    "nhs_number": _("NHS number"),
    "given_name": _("Given name"),
    "family_name": _("Family name"),
    "date_of_birth": _("Date of birth"),
    "postcode": _("Postcode"),
    "sex": _("Sex"),
}
LEVEL_LABELS = {
    "exact": _("The same"),
    "alternative_form": _("Another form of the name (e.g. Bill and William, Siôn and John)"),
    "reordered": _("The same names in another order"),
    "middle_name": _("One given name is the other's middle name"),
    "part": _("One part of the name is the same"),
    "similar": _("Spelt similarly"),
    "misspelt": _("Spelt similarly"),
    "phonetic": _("Sounds the same"),
    "day_month_swap": _("Day and month swapped"),
    "one_component": _("Day or month differs"),
    "year": _("Same day and month, a different year"),
    "unborn_window": _("Close to the expected date of delivery"),
    "transposed": _("The same but for two neighbouring figures swapped"),
    "sector": _("Same postcode sector"),
    "district": _("Same postcode district"),
    "same": _("The same"),
    "different": _("Different"),
    "else": _("Different"),
}
AGREED, DISAGREED = frozenset({"exact", "same"}), frozenset({"different", "else"})

# The rule that sent a pair to review although it may have scored as a link (`MatchReview.guard`).
GUARD_REASONS = {
    "nhs_number_only": _(
        "The NHS number agrees, but two of given name, family name and date of birth disagree: an NHS number can be "
        "mistyped or keyed on a relative's record."
    ),
    "different_birth_date": _(
        "The dates of birth are further apart than a day and month swap or one mistyped figure: a parent and a "
        "child can share a name and a home."
    ),
    "different_birth_year": _(
        "Born on the same day and month in different years: a mistyped year, or a brother, sister or cousin."
    ),
    "similar_name_same_birth_date": _(
        "Born on the same day with given names spelt alike: twins, or one child whose name was misspelt."
    ),
    "middle_name_same_birth_date": _(
        "Born on the same day, one's given name the other's middle name: one child with first and middle names "
        "recorded in another order, or twins with each other's names."
    ),
    "possible_twin": _("Born on the same day with different given names: possibly twins."),
    "namesakes_around": _(
        "Named without a date of birth, and more than one person around the child has this name: which one is it?"
    ),
    "contradicts_a_record": _(
        "The records score as a match, but another record already linked to the possible match contradicts the "
        "new one: joining them could put two people's histories on one record."
    ),
}
BETWEEN_THRESHOLDS = _("The evidence makes them likely, but not certain, to be the same person.")


def evidence_rows(evidence: Iterable[Mapping[str, object]]) -> list[tuple[str, str, object]]:
    """(field, agreement, weight) in words, for the comparison page's evidence table."""
    rows = []
    for item in evidence:
        field, level = str(item.get("field")), item.get("level")
        label = FIELD_LABELS.get(field)
        agreement = _("Missing on one side") if level is None else LEVEL_LABELS.get(str(level))
        rows.append((str(label or field), str(agreement or level), item.get("weight")))
    return rows


@dataclass(frozen=True)
class ReviewReasons:
    agreed: list[str]
    partly: list[str]  # each 'field (how)'
    disagreed: list[str]
    missing: list[str]
    rule: str  # why a person must decide

    def sentences(self) -> list[str]:
        """One sentence per group that has anything in it, then the rule."""
        groups = (
            (_("Agreed: {}."), self.agreed),
            (_("Partly agreed: {}."), self.partly),
            (_("Disagreed: {}."), self.disagreed),
            (_("Missing on one side: {}."), self.missing),
        )
        return [str(format_lazy(template, "; ".join(fields))) for template, fields in groups if fields] + [self.rule]

    def __str__(self) -> str:
        return " ".join(self.sentences())


def review_reasons(evidence: Iterable[Mapping[str, object]], guard: str = "") -> ReviewReasons:
    """What agreed, partly agreed, disagreed and was missing, field by field, and the rule that asked for a person."""
    agreed: list[str] = []
    partly: list[str] = []
    disagreed: list[str] = []
    missing: list[str] = []
    for item in evidence:
        field, level = str(item.get("field")), item.get("level")
        label = str(FIELD_LABELS.get(field, field))
        if level is None:
            missing.append(label)
        elif level in AGREED:
            agreed.append(label)
        elif level in DISAGREED:
            disagreed.append(label)
        else:
            how = str(LEVEL_LABELS.get(str(level), level))
            how = how[:1].lower() + how[1:]
            partly.append(gettext("%(field)s (%(how)s)") % {"field": label, "how": how})
    rule = str(GUARD_REASONS.get(guard, BETWEEN_THRESHOLDS))
    return ReviewReasons(agreed=agreed, partly=partly, disagreed=disagreed, missing=missing, rule=rule)
