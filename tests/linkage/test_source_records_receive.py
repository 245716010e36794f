"""A bulk file's new records linked as a set (`source_records_receive`): the same links as one by one, in order."""

import datetime
import random

import pytest
from django.db import transaction

from cylch.audit.chain import chain_verify
from cylch.audit.models import AccessLogEntry
from cylch.linkage.matching import candidate_ids, candidate_ids_each
from cylch.linkage.models import BlockingKey, MatchReview
from cylch.linkage.services import LinkOutcome, PersonDetails, source_record_receive, source_records_receive
from cylch.people.models import SourceRecord
from tests.factories import AgencyFactory
from tests.factories import test_nhs_number as nhs_number

pytestmark = pytest.mark.django_db

GIVEN = ["Cerys", "Ceris", "Dylan", "Ffion", "Osian", "Mia", "Seren", "Tomos"]
FAMILY = ["Jones", "Jonas", "Davies", "Pritchard", "Lewis"]
MORE_GIVEN = ["Alys", "Bethan", "Cai", "Deio", "Elin", "Gethin", "Heledd", "Iolo", "Llio", "Macsen", "Nel", "Rhodri"]
MORE_FAMILY = ["Beynon", "Griffiths", "Howells", "Jenkins", "Llywelyn", "Morgan", "Parry", "Rowlands", "Vaughan"]


def _described(rng: random.Random, count: int, prefix: str, spread: int = 0) -> list[tuple[str, PersonDetails]]:
    """Descriptions crowded onto few names and birth dates, so that some would join, some meet each other and some
    go to review; `spread` of them from more names and years, most of whom meet nobody."""
    return [
        (
            f"{prefix}{n}",
            PersonDetails(
                given_name=rng.choice(MORE_GIVEN if n < spread else GIVEN),
                family_name=rng.choice(MORE_FAMILY + FAMILY if n < spread else FAMILY),
                date_of_birth=datetime.date(2015, 1, 1)
                + datetime.timedelta(days=rng.randrange(3000 if n < spread else 40)),
                postcode=rng.choice(["CF10 1AA", "SA1 1AA", ""]),
                sex=rng.choice(["female", "male", "not_known"]),
            ),
        )
        for n in range(count)
    ]


def _known_region(agency, rng, count=60):
    for local_id, details in _described(rng, count, "K"):
        source_record_receive(agency=agency, local_id=local_id, details=details)


def _outcomes(agency, described, existing):
    """Per local id: the outcome, the person and the candidates queued for review (an existing person by pk, a
    new one by the first local id filed under them), the blocking keys and the probability."""
    firsts: dict[int, str] = {}
    for local_id, _details in described:
        firsts.setdefault(SourceRecord.objects.get(agency=agency, local_id=local_id).person_id, local_id)

    def who(person_id):
        return person_id if person_id in existing else f"new:{firsts[person_id]}"

    found = {}
    for local_id, _details in described:
        record = SourceRecord.objects.get(agency=agency, local_id=local_id)
        entry = AccessLogEntry.objects.get(page="person-link", details__local_id=local_id, details__agency=agency.pk)
        reviews = sorted(
            map(who, MatchReview.objects.filter(source_record=record).values_list("candidate_id", flat=True)), key=str
        )
        keys = sorted(BlockingKey.objects.filter(source_record=record).values_list("key", flat=True))
        found[local_id] = (entry.details["outcome"], who(record.person_id), reviews, keys, entry.details["probability"])
    return found


@pytest.mark.parametrize(("seed", "known"), [(1, 60), (2, 60), (3, 60), (4, 400)])
def test_a_batch_is_linked_exactly_as_one_by_one_in_order(seed, known):
    """With 400 known, most descriptions have more candidates on the blocking index than are read."""
    rng = random.Random(seed)
    agency, other = AgencyFactory(), AgencyFactory()
    _known_region(other, rng, known)
    existing = set(SourceRecord.objects.values_list("person_id", flat=True))
    described = _described(rng, 60, "B", spread=40)
    with transaction.atomic():
        for local_id, details in described:
            source_record_receive(agency=agency, local_id=local_id, details=details)
        one_by_one = _outcomes(agency, described, existing)
        transaction.set_rollback(True)
    linked = source_records_receive(agency=agency, described=described)
    for local_id, details in described:
        source_record_receive(agency=agency, local_id=local_id, details=details)
    assert _outcomes(agency, described, existing) == one_by_one
    assert linked  # the set linked some itself
    assert len(linked) < len(described)  # and left some for one by one
    assert chain_verify().intact


def test_candidates_read_together_are_each_descriptions_own():
    rng = random.Random(5)
    _known_region(AgencyFactory(), rng)
    described = [details for _local_id, details in _described(rng, 30, "C")]
    assert [lists.ids for lists in candidate_ids_each(described)] == [candidate_ids(d) for d in described]


def _someone(**fields):
    return PersonDetails(
        **{"given_name": "Gwenllian", "family_name": "Pritchard", "date_of_birth": datetime.date(2017, 6, 9)} | fields
    )


def test_descriptions_that_would_meet_an_earlier_one_are_left_to_be_linked_in_order():
    agency = AgencyFactory()
    described = [("1", _someone()), ("2", _someone(postcode="CF10 1AA")), ("3", _someone(given_name="Osian"))]
    linked = source_records_receive(agency=agency, described=described)
    assert set(linked) == {"1"}  # 2 would join 1; 3 shares 1's birth date and surname
    apart = [
        ("4", _someone()),
        ("5", _someone(given_name="Tomos", family_name="Lewis", date_of_birth=datetime.date(2019, 1, 2))),
    ]
    assert set(source_records_receive(agency=agency, described=apart)) == {"5"}  # 4 would join 1, now filed


def test_a_record_with_an_nhs_number_or_sent_before_is_left_to_one_by_one():
    agency = AgencyFactory()
    source_record_receive(agency=agency, local_id="old", details=_someone())
    described = [("old", _someone()), ("nhs", _someone(given_name="Osian", nhs_number=nhs_number(4)))]
    assert source_records_receive(agency=agency, described=described) == {}


def test_each_new_person_is_on_the_audit_chain_with_how_it_was_linked():
    agency = AgencyFactory()
    linked = source_records_receive(agency=agency, described=[("7", _someone())])
    assert linked["7"].outcome == LinkOutcome.NEW_PERSON
    entry = AccessLogEntry.objects.get(page="person-link", person=linked["7"].source_record.person)
    assert (entry.details["outcome"], entry.details["local_id"], entry.action) == ("new_person", "7", "create")
    assert chain_verify().intact
    assert source_record_receive(agency=agency, local_id="7", details=_someone()).outcome == LinkOutcome.NEW_PERSON
