"""Fellegi–Sunter scoring of one description of a person against one candidate, in pure Python.

Each field is compared into a *level* (exact, alternative form, similar, ..., else); each level
has an m probability (how often true matches land there) and a u probability (how often
non-matches do), read from the versioned model file. The match weight is the prior weight plus
log2(m/u) for every field that is present on both sides; exact name agreements use the name's
term frequency instead of the average u, so 'Jones' counts for less than 'Gwenllian'.

The same levels are written as SQL in `cylch.linkage.batch` so the batch engine (Splink) and
this incremental matcher share one model.

Over 400 lines because the comparison levels, their m/u parameters and the decision rule are one model,
read together and mirrored as a whole in `batch`.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import math
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any

from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler, Levenshtein

from cylch.linkage.names import (
    WELSH_GIVEN_NAMES,
    are_alternative_forms,
    clean_given_name,
    fold_recorded_name,
    middle_given_names,
    name_forms,
    ocr_reading,
    undoubled,
)
from cylch.people.text import normalise_postcode, phonetic_key
from cylch.people.validators import is_valid_nhs_number, normalise_nhs_number

MODEL_DIR = Path(__file__).resolve().parent / "model"
CURRENT_MODEL = os.environ.get("CYLCH_LINKAGE_MODEL", "v7")
JARO_WINKLER_THRESHOLD = 0.9
UNBORN_WINDOW_DAYS = 60
FIELDS = ("nhs_number", "given_name", "family_name", "date_of_birth", "postcode", "sex")
KNOWN_SEXES = frozenset({"female", "male"})


@dataclass(frozen=True)
class MatchRecord:
    """One side of a comparison. Sets hold every value known (a person's records may disagree)."""

    given_names: frozenset[str] = frozenset()
    family_names: frozenset[str] = frozenset()
    dates_of_birth: frozenset[datetime.date] = frozenset()
    expected_delivery_dates: frozenset[datetime.date] = frozenset()
    sexes: frozenset[str] = frozenset()
    nhs_numbers: frozenset[str] = frozenset()  # valid numbers only
    postcodes: frozenset[str] = frozenset()
    # Ten figures that fail the NHS number's check: no identifier, but a slip of one the other side may hold.
    mistyped_nhs_numbers: frozenset[str] = frozenset()
    middle_names: frozenset[str] = frozenset()  # given names after the first, as recorded


def clean_family_name(value: str) -> str:
    return fold_recorded_name(value).replace("'", "").strip()


def clean_nhs_number(value: str) -> str:
    digits = normalise_nhs_number(value or "")
    return digits if is_valid_nhs_number(digits) else ""


def mistyped_nhs_number(value: str) -> str:
    """Ten figures failing the check digit, as recorded ('' for a valid number or anything else)."""
    digits = normalise_nhs_number(value or "")
    return digits if len(digits) == 10 and digits.isdigit() and not is_valid_nhs_number(digits) else ""


@lru_cache(maxsize=65536)
def nhs_transpositions(number: str) -> frozenset[str]:
    """`number` with two neighbouring figures swapped, each way it can be: the commonest slip in keying a number.

    The check digit catches every such swap (modulus 11 with weights 10 to 2), so none of these is a valid number:
    a record holding one keeps it as a mistyped number rather than dropping it.
    """
    return frozenset(
        number[:i] + number[i + 1] + number[i] + number[i + 2 :]
        for i in range(len(number) - 1)
        if number[i] != number[i + 1]
    )


def clean_postcode(value: str) -> str:
    return normalise_postcode(value) if value and value.strip() else ""


def match_record(
    *,
    given_names: list[str] | tuple[str, ...] = (),
    family_names: list[str] | tuple[str, ...] = (),
    dates_of_birth: list[datetime.date | None] | tuple[datetime.date | None, ...] = (),
    expected_delivery_dates: list[datetime.date | None] | tuple[datetime.date | None, ...] = (),
    sexes: list[str] | tuple[str, ...] = (),
    nhs_numbers: list[str] | tuple[str, ...] = (),
    postcodes: list[str] | tuple[str, ...] = (),
    middle_names: list[str] | tuple[str, ...] = (),
) -> MatchRecord:
    """Normalise raw values into a MatchRecord (blank and placeholder values dropped). A given name's later
    parts ('Sophie Lowri') are middle names, as are `middle_names` (a space-separated field)."""
    return MatchRecord(
        given_names=frozenset(g for g in map(clean_given_name, given_names) if g),
        family_names=frozenset(f for f in map(clean_family_name, family_names) if f),
        dates_of_birth=frozenset(d for d in dates_of_birth if d),
        expected_delivery_dates=frozenset(d for d in expected_delivery_dates if d),
        sexes=frozenset(s for s in sexes if s in KNOWN_SEXES),
        nhs_numbers=frozenset(n for n in map(clean_nhs_number, nhs_numbers) if n),
        postcodes=frozenset(p for p in map(clean_postcode, postcodes) if p),
        mistyped_nhs_numbers=frozenset(n for n in map(mistyped_nhs_number, nhs_numbers) if n),
        middle_names=frozenset(name for value in given_names for name in middle_given_names(value))
        | frozenset(name for value in middle_names for name in fold_recorded_name(value).replace("'", "").split()),
    )


# --- comparison levels: each returns the level name, or None when either side is missing ---


def _transposed(a: MatchRecord, b: MatchRecord) -> bool:
    """A valid number of `a`, two neighbouring figures swapped, is the mistyped number `b` holds."""
    return any(nhs_transpositions(number) & b.mistyped_nhs_numbers for number in a.nhs_numbers)


def compare_nhs_number(a: MatchRecord, b: MatchRecord) -> str | None:
    if a.nhs_numbers & b.nhs_numbers:
        return "exact"
    if _transposed(a, b) or _transposed(b, a):
        return "transposed"
    if not a.nhs_numbers or not b.nhs_numbers:
        return None
    return "different"


def _name_similarity(a: frozenset[str], b: frozenset[str]) -> float:
    return max((JaroWinkler.similarity(x, y) for x in a for y in b), default=0.0)


def _phonetic_overlap(a: frozenset[str], b: frozenset[str]) -> bool:
    keys_a = {phonetic_key(x) for x in a} - {""}
    return bool(keys_a & ({phonetic_key(y) for y in b} - {""}))


# The shortest name a keying slip is read in: Mia and Mai, Ana and Anna may be two children.
KEYING_SLIP_MIN_LENGTH = 4


def is_keying_slip(x: str, y: str) -> bool:
    """Two neighbouring letters swapped (Chloe, Chleo) or a letter doubled (Gwenno, Gweenno): slips of the fingers
    that make no new name, wherever in the name they fall."""
    if x == y or min(len(x), len(y)) < KEYING_SLIP_MIN_LENGTH:
        return False
    if undoubled(x) == undoubled(y):
        return True
    # A swap keeps the length; the first test is the cheap one.
    return (
        len(x) == len(y)
        and DamerauLevenshtein.distance(x, y, score_cutoff=1) == 1
        and Levenshtein.distance(x, y, score_cutoff=2) == 2
    )


def is_misspelling(x: str, y: str, known: Callable[[str], bool]) -> bool:
    """A slip, not a sibling: a keying slip (`is_keying_slip`) unless both are names the model knows, or one edit
    inside the name and only one of the two a name the model knows.

    Twins are given two real names (Lily and Lila, Ava and Eva both stay as they are); 'Tudyr' is nobody's
    name. Real names the model has not seen mostly differ from their neighbours at the ends (Lily, Lilo,
    Lilah), so any other edit to the first or last letter is never counted as a slip. Nor is one inside a name
    between two names it does not know (Elin and Elan may be sisters), unless it is a keying slip: no parent
    names one twin Alaw and the other Alaaw.
    """
    known_x, known_y = known(x), known(y)
    if known_x and known_y:
        return False
    if is_keying_slip(x, y):
        return True
    return (
        known_x != known_y
        and x[0] == y[0]
        and x[-1] == y[-1]
        and DamerauLevenshtein.distance(x, y, score_cutoff=1) <= 1
    )


def is_misreading(x: str, y: str, known: Callable[[str], bool]) -> bool:
    """`x` is no name the model knows, and read as a scan misreads letters ('cl' for 'd') it is `y`."""
    return not known(x) and x != y and ocr_reading(x) == y


def compare_given_name(a: MatchRecord, b: MatchRecord, known: Callable[[str], bool] | None = None) -> str | None:
    """`known` says which names are real names; without it (an older model) no name counts as misspelt."""
    if not a.given_names or not b.given_names:
        return None
    if a.given_names & b.given_names:
        return "exact"
    if _same_names(a, b):
        # Sophie Lowri and Lowri Sophie: first and middle names swapped. Twins never share every name.
        return "reordered"
    if any(are_alternative_forms(x, y) for x in a.given_names for y in b.given_names):
        return "alternative_form"
    if (a.given_names & b.middle_names or b.given_names & a.middle_names) and _names_within(a, b):
        # One given name recorded as the other's first: first and middle names swapped, or one of them left out.
        return "middle_name"
    if known is not None and _slipped(a.given_names, b.given_names, known):
        return "misspelt"
    if _name_similarity(a.given_names, b.given_names) >= JARO_WINKLER_THRESHOLD:
        return "similar"
    if _phonetic_overlap(a.given_names, b.given_names):
        return "phonetic"
    return "else"


def _same_names(a: MatchRecord, b: MatchRecord) -> bool:
    """Whether both records hold the same given and middle names, more than one, whatever their order."""
    if not (a.middle_names and b.middle_names):
        return False  # a first name differs, so each record must hold the other's as a middle name
    names_a = a.given_names | a.middle_names
    return names_a == b.given_names | b.middle_names


def _names_within(a: MatchRecord, b: MatchRecord) -> bool:
    """Whether every given and middle name of one record is among the other's: William Macsen and Macsen William
    (or plain Macsen) may be one person, William Macsen and Kevin William (twins, one named after the other) may not.
    """
    names_a, names_b = a.given_names | a.middle_names, b.given_names | b.middle_names
    return names_a <= names_b or names_b <= names_a


def _parts(names: frozenset[str]) -> set[str]:
    return {part for name in names for part in name.replace("-", " ").split() if len(part) > 1}


def _slipped(a: frozenset[str], b: frozenset[str], known: Callable[[str], bool]) -> bool:
    """One name of `a` is one of `b`'s written with a slip of the hand (`is_misspelling`) or a scan's misreading."""
    return any(
        is_misspelling(x, y, known) or is_misreading(x, y, known) or is_misreading(y, x, known) for x in a for y in b
    )


def compare_family_name(a: MatchRecord, b: MatchRecord, known: Callable[[str], bool] | None = None) -> str | None:
    """`known` says which family names are real names; with it, a slip in a name is `similar` even where the
    Jaro-Winkler similarity of a short name falls under its threshold (Jsnes and Jones, Thornas and Thomas: one
    letter of five or seven is more than a tenth of the name). Twins share a family name, so no twin rides on it."""
    if not a.family_names or not b.family_names:
        return None
    if a.family_names & b.family_names:
        return "exact"
    if _parts(a.family_names) & _parts(b.family_names):
        return "part"
    if _name_similarity(a.family_names, b.family_names) >= JARO_WINKLER_THRESHOLD or (
        known is not None and _slipped(a.family_names, b.family_names, known)
    ):
        return "similar"
    if _phonetic_overlap(a.family_names, b.family_names):
        return "phonetic"
    return "else"


def day_month_swap(day: datetime.date) -> datetime.date | None:
    if day.day > 12 or day.day == day.month:
        return None
    with contextlib.suppress(ValueError):
        return day.replace(month=day.day, day=day.month)
    return None


def _one_component_differs(x: datetime.date, y: datetime.date) -> bool:
    return sum((x.year == y.year, x.month == y.month, x.day == y.day)) == 2


def compare_date_of_birth(a: MatchRecord, b: MatchRecord) -> str | None:
    window = datetime.timedelta(days=UNBORN_WINDOW_DAYS)
    # An unborn child's expected date against a born child's date of birth (or another expected date).
    for edds, dobs in ((a.expected_delivery_dates, b.dates_of_birth), (b.expected_delivery_dates, a.dates_of_birth)):
        if edds and dobs and any(abs(e - d) <= window for e in edds for d in dobs):
            return "unborn_window"
    if a.expected_delivery_dates and b.expected_delivery_dates and not (a.dates_of_birth or b.dates_of_birth):
        if any(abs(x - y) <= window for x in a.expected_delivery_dates for y in b.expected_delivery_dates):
            return "unborn_window"
        return "else"
    if not a.dates_of_birth or not b.dates_of_birth:
        return None
    if a.dates_of_birth & b.dates_of_birth:
        return "exact"
    if any(day_month_swap(x) in b.dates_of_birth for x in a.dates_of_birth):
        return "day_month_swap"
    pairs = [(x, y) for x in a.dates_of_birth for y in b.dates_of_birth if _one_component_differs(x, y)]
    if any(x.year == y.year for x, y in pairs):
        return "one_component"  # the day or the month
    return "year" if pairs else "else"


def postcode_sector(postcode: str) -> str:
    return postcode[:-2] if " " in postcode else ""


def postcode_district(postcode: str) -> str:
    return postcode.split(" ")[0] if " " in postcode else ""


def compare_postcode(a: MatchRecord, b: MatchRecord) -> str | None:
    if not a.postcodes or not b.postcodes:
        return None
    if a.postcodes & b.postcodes:
        return "exact"
    if ({postcode_sector(p) for p in a.postcodes} - {""}) & {postcode_sector(p) for p in b.postcodes}:
        return "sector"
    if ({postcode_district(p) for p in a.postcodes} - {""}) & {postcode_district(p) for p in b.postcodes}:
        return "district"
    return "else"


def compare_sex(a: MatchRecord, b: MatchRecord) -> str | None:
    if not a.sexes or not b.sexes:
        return None
    return "same" if a.sexes & b.sexes else "different"


COMPARATORS: dict[str, Callable[[MatchRecord, MatchRecord], str | None]] = {
    "nhs_number": compare_nhs_number,
    "given_name": compare_given_name,
    "family_name": compare_family_name,
    "date_of_birth": compare_date_of_birth,
    "postcode": compare_postcode,
    "sex": compare_sex,
}

# Every level each comparator can give, in order (a model file holds m and u for each).
LEVELS: dict[str, tuple[str, ...]] = {
    "nhs_number": ("exact", "transposed", "different"),
    "given_name": ("exact", "reordered", "alternative_form", "middle_name", "misspelt", "similar", "phonetic", "else"),
    "family_name": ("exact", "part", "similar", "phonetic", "else"),
    "date_of_birth": ("unborn_window", "exact", "day_month_swap", "one_component", "year", "else"),
    "postcode": ("exact", "sector", "district", "else"),
    "sex": ("same", "different"),
}


def compare(field_name: str, a: MatchRecord, b: MatchRecord, model: Model) -> str | None:
    """The level of one field under `model` (which given names it knows decides the misspelt level)."""
    if field_name == "given_name" and model.has_misspelt_level:
        return compare_given_name(a, b, known=model.knows_given_name)
    if field_name == "family_name" and model.knows_family_names:
        return compare_family_name(a, b, known=model.knows_family_name)
    return COMPARATORS[field_name](a, b)


# --- the model ---


@dataclass(frozen=True)
class LevelParameters:
    m: float
    u: float

    @property
    def weight(self) -> float:
        return math.log2(self.m / self.u)


@dataclass(frozen=True)
class Model:
    """Parameters from `model/<version>.json`: prior, thresholds, m/u per field level, name frequencies."""

    version: str
    prior_weight: float
    link_threshold: float
    review_threshold: float
    levels: dict[str, dict[str, LevelParameters]]
    term_frequencies: dict[str, dict[str, float]]
    tf_minimum: float
    raw: dict[str, Any] = field(repr=False, compare=False, default_factory=dict)

    def level(self, field_name: str, level: str) -> LevelParameters:
        return self.levels[field_name][level]

    def knows_given_name(self, folded: str) -> bool:
        """A real given name: common in the model's records, one the name-form tables list, or a Welsh name."""
        return (
            folded in self.term_frequencies.get("given_name", {})
            or folded in WELSH_GIVEN_NAMES
            or len(name_forms(folded)) > 1
        )

    def knows_family_name(self, folded: str) -> bool:
        """A real family name: common in the model's records."""
        return folded in self.term_frequencies.get("family_name", {})

    @property
    def knows_family_names(self) -> bool:
        return bool(self.term_frequencies.get("family_name"))

    @property
    def has_misspelt_level(self) -> bool:
        return "misspelt" in self.levels.get("given_name", {})

    def level_weight(self, field_name: str, level: str, values: frozenset[str] = frozenset()) -> float:
        """log2(m/u), with u replaced by the value's frequency for an exact name agreement."""
        params = self.level(field_name, level)
        frequencies = self.term_frequencies.get(field_name)
        if level == "exact" and frequencies is not None and values:
            known = [frequencies[v] for v in values if v in frequencies]
            if known:  # a name missing from the table takes the level's average u
                return math.log2(params.m / max(min(known), self.tf_minimum))
        return params.weight


# The floor of m (`cylch.linkage.estimation.M_FLOOR`): a level never seen among true matches is not ruled out.
M_FLOOR = 0.005


def transposed_prior(exact: LevelParameters) -> LevelParameters:
    """An NHS number a swap of neighbouring figures away, for a model file that predates the level: m at the floor
    (a slip seen in few true matches), u nine times the chance two people share a number (a number has at most
    nine such neighbours)."""
    return LevelParameters(m=M_FLOOR, u=exact.u * 9)


def model_from_dict(data: dict[str, Any]) -> Model:
    """A model from its file. Files before v5 have no 'year' level for birth dates: to them a mistyped year was
    one component out like any other, so it takes their 'one_component' parameters. A file without the
    'transposed' NHS number level takes `transposed_prior`; one without 'reordered' given names, the 'exact'
    level's parameters."""
    prior = float(data["probability_two_random_records_match"])
    levels = {
        name: {level: LevelParameters(m=float(p["m"]), u=float(p["u"])) for level, p in spec["levels"].items()}
        for name, spec in data["fields"].items()
    }
    born = levels.get("date_of_birth", {})
    if "year" not in born and "one_component" in born:
        born["year"] = born["one_component"]
    nhs = levels.get("nhs_number", {})
    if "transposed" not in nhs and "exact" in nhs:
        nhs["transposed"] = transposed_prior(nhs["exact"])
    given = levels.get("given_name", {})
    if "reordered" not in given and "exact" in given:
        # Every name the same, in another order: as strong as an agreeing first name (its average, no frequency).
        given["reordered"] = given["exact"]
    if "middle_name" not in given and "exact" in given:
        given["middle_name"] = LevelParameters(m=M_FLOOR, u=M_FLOOR)  # no evidence either way until estimated
    return Model(
        version=str(data["version"]),
        prior_weight=math.log2(prior / (1 - prior)),
        link_threshold=float(data["thresholds"]["link"]),
        review_threshold=float(data["thresholds"]["review"]),
        levels=levels,
        term_frequencies={k: {n: float(f) for n, f in v.items()} for k, v in data.get("term_frequencies", {}).items()},
        tf_minimum=float(data.get("tf_minimum", 1e-5)),
        raw=data,
    )


def model_path(version: str = CURRENT_MODEL) -> Path:
    return MODEL_DIR / f"{version}.json"


@lru_cache(maxsize=4)
def load_model(version: str = CURRENT_MODEL) -> Model:
    return model_from_dict(json.loads(model_path(version).read_text(encoding="utf-8")))


# --- scoring ---


@dataclass(frozen=True)
class FieldEvidence:
    field: str
    level: str | None  # None: missing on one side, so it neither helps nor hurts
    weight: float


@dataclass(frozen=True)
class Score:
    match_weight: float
    probability: float
    evidence: tuple[FieldEvidence, ...]
    guard: str = ""  # a rule that overrides the score, e.g. 'possible_twin'

    def level(self, field_name: str) -> str | None:
        return next((e.level for e in self.evidence if e.field == field_name), None)

    @property
    def levels(self) -> dict[str, str | None]:
        return {e.field: e.level for e in self.evidence}


def weight_to_probability(weight: float) -> float:
    if weight > 60:
        return 1.0
    bayes: float = 2.0**weight
    return bayes / (1 + bayes)


def _values_for_tf(field_name: str, a: MatchRecord, b: MatchRecord) -> frozenset[str]:
    if field_name == "given_name":
        return a.given_names & b.given_names
    if field_name == "family_name":
        return a.family_names & b.family_names
    return frozenset()


def score(a: MatchRecord, b: MatchRecord, model: Model | None = None) -> Score:
    """The Fellegi–Sunter match weight and probability that `a` and `b` are one person, with evidence."""
    model = model or load_model()
    evidence = []
    total = model.prior_weight
    for name in FIELDS:
        level = compare(name, a, b, model)
        weight = 0.0 if level is None else model.level_weight(name, level, _values_for_tf(name, a, b))
        evidence.append(FieldEvidence(field=name, level=level, weight=round(weight, 3)))
        total += weight
    guard = pair_guard({e.field: e.level for e in evidence})
    return Score(
        match_weight=round(total, 3), probability=weight_to_probability(total), evidence=tuple(evidence), guard=guard
    )


# Whether a record holds anything for a field to compare (a comparator gives None, weight 0, when it does not).
_HOLDS: dict[str, Callable[[MatchRecord], bool]] = {
    "nhs_number": lambda r: bool(r.nhs_numbers or r.mistyped_nhs_numbers),  # a mistyped one can be 'transposed'
    "given_name": lambda r: bool(r.given_names),
    "family_name": lambda r: bool(r.family_names),
    "date_of_birth": lambda r: bool(r.dates_of_birth or r.expected_delivery_dates),
    "postcode": lambda r: bool(r.postcodes),
    "sex": lambda r: bool(r.sexes),
}
_NAMES: dict[str, Callable[[MatchRecord], frozenset[str]]] = {
    "given_name": lambda r: r.given_names,
    "family_name": lambda r: r.family_names,
}


def best_possible_weight(a: MatchRecord, model: Model) -> float:
    """The highest match weight any record at all could score against `a`: each field `a` holds at its best
    level (an exact name at its rarest frequency), each field it lacks at 0."""
    total = model.prior_weight
    for name in FIELDS:
        if not _HOLDS[name](a):
            continue
        weights = [model.level_weight(name, level) for level in model.levels[name]]
        if "exact" in model.levels[name] and name in _NAMES:
            weights += [model.level_weight(name, "exact", frozenset({value})) for value in _NAMES[name](a)]
        total += max(0.0, *weights)
    return total


def could_be_anyone_known(a: MatchRecord, model: Model) -> bool:
    """False when no record could be linked to `a` or reviewed against it: a description this thin (say, an
    adult's common name and nothing else) makes a new person whoever is on the index, so it need not be scored.
    An NHS number always could: one that agrees links outright."""
    if a.nhs_numbers:
        return True
    return weight_to_probability(best_possible_weight(a, model)) >= model.review_threshold


IDENTITY_FIELDS = ("given_name", "family_name", "date_of_birth")


def pair_guard(levels: Mapping[str, str | None]) -> str:
    """A rule that overrides the score, from the level of each field ('' when none applies)."""
    born = levels.get("date_of_birth")
    if levels.get("nhs_number") == "exact":
        if sum(levels.get(f) == "else" for f in IDENTITY_FIELDS) >= 2:
            # An NHS number is very strong evidence, not proof: a mistyped or borrowed one agrees by accident,
            # and two of name, surname and birth date disagreeing outright say it did. A person decides.
            return "nhs_number_only"
        # One field out (a first and middle name swapped, a married surname, a slipped birth date) beside an
        # agreeing NHS number is one person recorded differently; twins have numbers of their own.
        return ""
    if born == "exact" and levels.get("given_name") == "else":
        # Twins share a birth date, an address and a surname but never a first name: never one person. (Names that
        # each hold one the other lacks are never the 'middle_name' level: see `compare_given_name`.)
        return "possible_twin"
    if born == "exact" and levels.get("given_name") == "middle_name":
        # The same names in another order on one birthday: one child with first and middle names swapped, or twins
        # named William and Macsen William. Linked only beside an agreeing NHS number (above); else a person decides.
        return "middle_name_same_birth_date"
    if (
        born in {"else", "year"}
        and levels.get("nhs_number") == "transposed"
        and sum(levels.get(f) == "else" for f in IDENTITY_FIELDS) < 2
    ):
        # A mistyped birth date beside a mistyped NHS number: a parent, a sibling or a cousin of one name has a
        # number of their own, never one a keying slip away. (Twins, born the same day, are guarded above.)
        return ""
    if born == "else":
        # Birth dates apart by more than a swap or one slipped figure: a parent and a child who share a name and
        # a home look like one person on every other field. A person decides.
        return "different_birth_date"
    if born == "year":
        # The same day and month a year or more apart: a mistyped year, or a sibling or cousin given the family
        # name. Never linked on the rest alone; a person decides.
        return "different_birth_year"
    if born == "exact" and levels.get("given_name") in {"similar", "phonetic"} and levels.get("family_name") == "exact":
        # Lily and Lila Evans born the same day may be twins or one misspelt child: a person decides.
        # (A record misspelling both names is a careless recording, not a twin.)
        return "similar_name_same_birth_date"
    return ""


# The review's rule when a pair scored as a link but a record already linked to one side contradicts the other.
CONTRADICTS_A_RECORD = "contradicts_a_record"
# ... and when someone named without a birth date has more than one namesake among the people around the child.
NAMESAKES_AROUND = "namesakes_around"

# Guards under which even a high score is only ever a possible match.
REVIEW_GUARDS = frozenset(
    {
        "similar_name_same_birth_date",
        "middle_name_same_birth_date",
        "different_birth_date",
        "different_birth_year",
        "nhs_number_only",
    }
)


class Decision(StrEnum):
    """What the matcher does with a scored pair: the incremental matcher and the batch engines decide alike."""

    LINK = "link"
    REVIEW = "review"
    NEW = "new"


def decide(*, probability: float, levels: Mapping[str, str | None], model: Model) -> Decision:
    """An agreeing NHS number links unless two of name, surname and birth date disagree (then a person decides);
    likely twins never link; a similar name on one birthday, or two different birth dates, is reviewed."""
    guard = pair_guard(levels)
    if guard == "possible_twin":
        return Decision.NEW
    if guard == "nhs_number_only":
        return Decision.REVIEW
    if guard in REVIEW_GUARDS:
        return Decision.REVIEW if probability >= model.review_threshold else Decision.NEW
    if levels.get("nhs_number") == "exact" or probability >= model.link_threshold:
        return Decision.LINK
    if probability >= model.review_threshold:
        return Decision.REVIEW
    return Decision.NEW


def contradicts(levels: Mapping[str, str | None], decision: Decision) -> bool:
    """Whether two records must never share a person, whatever links them through others (no chaining).

    Only evidence that they are two people counts: birth dates apart, two valid NHS numbers that differ, or two
    of name, surname and birth date disagreeing outright (an agreeing NHS number included). Doubt is not enough:
    a likely twin or a similar name on one birthday is a first name recorded two ways as often as two children,
    and a record that links to both of them decides it. Nor is an NHS number and a birth date both agreeing
    beside two different names: a number keyed wrongly seldom lands on someone born the same day, and a woman
    who married and is known by her middle name differs in both names. That pair is still reviewed
    (`nhs_number_only`), but may join through a record linked to both. A pair decided as a link never contradicts.
    """
    if decision == Decision.LINK:
        return False
    if levels.get("nhs_number") == "exact" and levels.get("date_of_birth") == "exact":
        return False
    if pair_guard(levels) in {"different_birth_date", "nhs_number_only"}:
        return True
    if levels.get("nhs_number") == "different":
        return True
    return sum(levels.get(f) == "else" for f in IDENTITY_FIELDS) >= 2


def link_decision(match: Score, model: Model) -> Decision:
    return decide(probability=match.probability, levels=match.levels, model=model)


def contradicted(incoming: MatchRecord, records: list[MatchRecord], model: Model) -> bool:
    """Whether any of one person's `records`, taken on its own, contradicts `incoming` (see `contradicts`)."""
    for record in records:
        match = score(incoming, record, model)
        if contradicts(match.levels, link_decision(match, model)):
            return True
    return False
