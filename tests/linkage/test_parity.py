"""Incremental linkage and the batch engine run one model: the same pairs get the same decisions."""

from __future__ import annotations

import datetime

import pytest

from cylch.linkage.batch import link_rows, prepare_row
from cylch.linkage.matching import match_candidates
from cylch.linkage.scoring import Decision, link_decision, load_model, nhs_transpositions
from cylch.linkage.services import PersonDetails, person_link
from tests.factories import AgencyFactory
from tests.factories import test_nhs_number as nhs_number

pytestmark = pytest.mark.django_db

DOB = datetime.date(2017, 6, 9)


def _mistyped(number: str) -> str:
    """A valid NHS number with two neighbouring figures swapped (never itself valid)."""
    return min(nhs_transpositions(number))


def _child(given: str, family: str = "Evans", **fields: object) -> PersonDetails:
    values: dict[str, object] = {"date_of_birth": DOB, "postcode": "CF10 1AA", "sex": "male"} | fields
    return PersonDetails(given_name=given, family_name=family, **values)  # type: ignore[arg-type]


# (already known, arriving, the decision both engines must make)
PAIRS = [
    (_child("Dewi"), _child("Dai"), Decision.LINK),  # Welsh forms of David, via the Welsh index
    (_child("Ifan"), _child("Sion"), Decision.LINK),  # both forms of John
    (_child("Iwan"), _child("Ioan"), Decision.LINK),
    (_child("Lily", sex="female"), _child("Lila", sex="female"), Decision.REVIEW),  # similar name, same birthday
    (_child("Megan", "Pritchard"), _child("Bethan", "Pritchard"), Decision.NEW),  # twins
    (_child("Gareth"), _child("Gaerth"), Decision.LINK),  # a slip inside a name the model knows
    (_child("Lily", sex="female"), _child("Lilo", sex="female"), Decision.REVIEW),  # the last letter: maybe a twin
    (_child("Gareth"), _child("Gaz"), Decision.LINK),  # a Welsh short form the nicknames package lacks
    # A parent and a child sharing a (rare) name and a home: scored above the link threshold, but reviewed.
    (_child("Yusuf", "Osman"), _child("Yusuf", "Osman", date_of_birth=datetime.date(1988, 1, 21)), Decision.REVIEW),
    (_child("Osian", "Jones"), _child("Osian", "Jones", date_of_birth=datetime.date(2017, 9, 6)), Decision.LINK),  # 9/6
    # A common name alone, without a birth date or an address, is nobody in particular.
    (_child("Gethin"), _child("Gethin", "Evans", postcode="SA1 1AA", date_of_birth=None), Decision.NEW),
    (
        _child("Tomos", nhs_number=nhs_number(7)),
        _child("Zac", "Price", date_of_birth=datetime.date(2001, 1, 1), postcode="LL11 1AA", nhs_number=nhs_number(7)),
        Decision.REVIEW,  # an NHS number agrees, but name, surname and birth date all disagree: a person decides
    ),
    (
        _child("Tomos", nhs_number=nhs_number(8)),
        _child("Tomos", "Price", nhs_number=nhs_number(8)),
        Decision.LINK,  # one field out beside an agreeing NHS number: a surname changed
    ),
    (
        _child("Thomas", nhs_number=nhs_number(9)),
        _child("Tomos", postcode="LL57 2AB", nhs_number=_mistyped(nhs_number(9))),
        Decision.LINK,  # a move and the Welsh form, beside an NHS number with two figures swapped
    ),
    (
        _child("Osian", nhs_number=nhs_number(10)),
        _child("Gethin", nhs_number=_mistyped(nhs_number(10))),
        Decision.NEW,  # twins, whatever their numbers look like
    ),
    # The middle name recorded first on one birthday: one girl or twins (Sophie Lowri and Lowri)? A person decides,
    (_child("Lowri", sex="female"), _child("Sophie Lowri", sex="female"), Decision.REVIEW),
    # ... unless an NHS number agrees too.
    (
        _child("Lowri", sex="female", nhs_number=nhs_number(11)),
        _child("Sophie Lowri", sex="female", nhs_number=nhs_number(11)),
        Decision.LINK,
    ),
    (
        _child("William Macsen", nhs_number=nhs_number(12)),
        _child("Macsen William", nhs_number=nhs_number(12)),
        Decision.LINK,  # first and middle names swapped, beside an agreeing NHS number
    ),
    # Twins, one's middle name the other's first name: "Kevin" is no name of William Macsen's. Never linked.
    (_child("William Macsen", "Roberts"), _child("Kevin William", "Roberts"), Decision.NEW),
    (_child("Kevin William", "Roberts"), _child("William Macsen", "Roberts"), Decision.NEW),
    (_child("David"), _child("Davicl", "Evan5"), Decision.LINK),  # a scan's misreadings
    # First and middle names swapped on one birthday, every name the same: one girl (twins never share every name).
    (_child("Sophie Lowri", sex="female"), _child("Lowri Sophie", sex="female"), Decision.LINK),
    (_child("Huw", "Jones"), _child("Huw", "Jsnes", postcode="CF44 9AG"), Decision.LINK),  # a slip and a move
    (_child("Huw", "Thomas"), _child("Huw", "Thornas", postcode="CF44 9AG"), Decision.LINK),  # a misreading
    (_child("Chloe", sex="female"), _child("Chleo", sex="female"), Decision.LINK),  # two letters swapped
    (_child("Gwenno", sex="female"), _child("Gweenno", sex="female"), Decision.LINK),  # a letter doubled
    (_child("Mia", sex="female"), _child("Mai", sex="female"), Decision.REVIEW),  # two short names: maybe twins
    (_child("Ieuan"), _child("Evan", postcode="CF44 9AG"), Decision.LINK),  # a Welsh form the tables lacked
    (_child("Eleanor", sex="female"), _child("Nell", sex="female"), Decision.LINK),  # a short form they lacked
    (
        _child("Osian", nhs_number=nhs_number(31)),
        _child("Osian", date_of_birth=datetime.date(2016, 6, 9), nhs_number=_mistyped(nhs_number(31))),
        Decision.LINK,  # a year out beside an NHS number with two figures swapped: one child, slipped twice
    ),
    (_child("Osian"), _child("Osian", date_of_birth=datetime.date(2016, 6, 9)), Decision.REVIEW),  # no number
    (_child("Sophie Lowri", sex="female"), _child("Lowri", sex="female"), Decision.REVIEW),  # the reverse: maybe twins
]


def _row(record_id: str, details: PersonDetails) -> dict[str, object]:
    return prepare_row(
        {
            "record_id": record_id,
            "given_name": details.given_name,
            "family_name": details.family_name,
            "date_of_birth": details.date_of_birth.isoformat() if details.date_of_birth else "",
            "sex": details.sex,
            "postcode": details.postcode,
            "nhs_number": details.nhs_number,
        }
    )


def _incremental(known: PersonDetails, arriving: PersonDetails, n: int) -> Decision:
    person = person_link(details=known, agency=AgencyFactory(), local_id=f"known-{n}").person
    [candidate] = [c for c in match_candidates(details=arriving) if c.person == person]
    return link_decision(candidate.score, load_model())


def _batch(known: PersonDetails, arriving: PersonDetails) -> Decision:
    result = link_rows([_row("1", known), _row("2", arriving)])
    if ("1", "2") in {(a, b) for a, b, _ in result.pairs}:
        return Decision.LINK
    if ("1", "2") in {(a, b) for a, b, _ in result.reviews}:
        return Decision.REVIEW
    return Decision.NEW


def test_incremental_and_batch_linkage_decide_every_pair_alike():
    incremental = [_incremental(known, arriving, n) for n, (known, arriving, _) in enumerate(PAIRS)]
    batch = [_batch(known, arriving) for known, arriving, _ in PAIRS]
    expected = [decision for _, _, decision in PAIRS]
    assert incremental == expected
    assert batch == expected
