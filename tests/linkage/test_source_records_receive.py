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
from tests.factories import AgencyFactory, PersonFactory
from tests.factories import test_nhs_number as nhs_number

pytestmark = pytest.mark.django_db

GIVEN = ["Cerys", "Ceris", "Dylan", "Ffion", "Osian", "Mia", "Seren", "Tomos"]
FAMILY = ["Jones", "Jonas", "Davies", "Pritchard", "Lewis"]
MORE_GIVEN = ["Alys", "Bethan", "Cai", "Deio", "Elin", "Gethin", "Heledd", "Iolo", "Llio", "Macsen", "Nel", "Rhodri"]
MORE_FAMILY = ["Beynon", "Griffiths", "Howells", "Jenkins", "Llywelyn", "Morgan", "Parry", "Rowlands", "Vaughan"]


def _nhs_number(rng: random.Random, share: float) -> str:
    """For `share` of descriptions an NHS number from a small pool (so some are held already or met again in the
    batch), a neighbouring pair of its figures swapped (a keying slip) or, rarely, not a number at all."""
    if not share or rng.random() >= share:
        return ""
    number = nhs_number(rng.randrange(12))
    slip = rng.random()
    if slip < 0.15:
        at = rng.randrange(9)
        return number[:at] + number[at + 1] + number[at] + number[at + 2 :]
    return "12345" if slip < 0.2 else number


def _described(
    rng: random.Random, count: int, prefix: str, spread: int = 0, nhs_share: float = 0.0
) -> list[tuple[str, PersonDetails]]:
    """Descriptions crowded onto few names and birth dates, so that some would join, some meet each other and some
    go to review; `spread` of them from more names and years, most of whom meet nobody; `nhs_share` of them with
    an NHS number (`_nhs_number`)."""
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
                nhs_number=_nhs_number(rng, nhs_share),
            ),
        )
        for n in range(count)
    ]


def _known_region(agency, rng, count=60, nhs_share=0.0):
    for local_id, details in _described(rng, count, "K", nhs_share=nhs_share):
        source_record_receive(agency=agency, local_id=local_id, details=details)


def _outcomes(agency, described, existing):
    """Per local id: the outcome, the person and the candidates queued for review (an existing person by pk, a
    new one by the first local id filed under them), the blocking keys, the probability and the person's NHS
    number."""
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
        found[local_id] = (
            entry.details["outcome"],
            who(record.person_id),
            reviews,
            keys,
            entry.details["probability"],
            record.person.nhs_number,
        )
    return found


@pytest.mark.parametrize(
    ("seed", "known", "nhs_share"),
    [(1, 60, 0.0), (2, 60, 0.0), (3, 60, 0.0), (4, 400, 0.0), (5, 60, 0.5), (6, 60, 0.3), (7, 400, 0.5)],
)
def test_a_batch_is_linked_exactly_as_one_by_one_in_order(seed, known, nhs_share):
    """With 400 known, most descriptions have more candidates on the blocking index than are read; with an NHS
    share, some numbers are held by known people or by earlier ones of the batch, some slipped, some invalid."""
    rng = random.Random(seed)
    agency, other = AgencyFactory(), AgencyFactory()
    _known_region(other, rng, known, nhs_share)
    existing = set(SourceRecord.objects.values_list("person_id", flat=True))
    described = _described(rng, 60, "B", spread=40, nhs_share=nhs_share)
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
    assert not nhs_share or any(receipt.source_record.nhs_number for receipt in linked.values())
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


def test_a_record_sent_before_or_with_an_nhs_number_someone_holds_is_left_to_one_by_one():
    agency = AgencyFactory()
    source_record_receive(agency=agency, local_id="old", details=_someone(nhs_number=nhs_number(4)))
    described = [("old", _someone()), ("held", _someone(given_name="Osian", nhs_number=nhs_number(4)))]
    assert source_records_receive(agency=agency, described=described) == {}


def test_a_new_person_with_an_nhs_number_nobody_holds_is_linked_by_the_set_and_holds_it():
    agency = AgencyFactory()
    number = nhs_number(5)
    linked = source_records_receive(agency=agency, described=[("new", _someone(nhs_number=number))])
    assert linked["new"].source_record.person.nhs_number == number
    held = source_record_receive(
        agency=agency, local_id="again", details=_someone(given_name="Osian", nhs_number=number)
    )
    assert held.source_record.person_id == linked["new"].source_record.person_id


def test_each_new_person_is_on_the_audit_chain_with_how_it_was_linked():
    agency = AgencyFactory()
    linked = source_records_receive(agency=agency, described=[("7", _someone())])
    assert linked["7"].outcome == LinkOutcome.NEW_PERSON
    entry = AccessLogEntry.objects.get(page="person-link", person=linked["7"].source_record.person)
    assert (entry.details["outcome"], entry.details["local_id"], entry.action) == ("new_person", "7", "create")
    assert chain_verify().intact
    assert source_record_receive(agency=agency, local_id="7", details=_someone()).outcome == LinkOutcome.NEW_PERSON


def test_a_record_left_aside_for_an_nhs_number_sets_aside_whoever_its_holder_is_a_candidate_of():
    """The holder of the number can lie beyond the candidates read (here: outside linkage, behind 20 namesakes on
    the blocking index); its joining them tells them its sex, which a later description is scored on."""
    agency = AgencyFactory()
    for n in range(20):
        details = PersonDetails(given_name="Gwen", family_name="Jones", date_of_birth=datetime.date(2010, 1, 1 + n))
        source_record_receive(agency=agency, local_id=f"namesake{n}", details=details)
    holder = PersonFactory(
        given_name="Gwen", family_name="Jones", date_of_birth=datetime.date(2017, 6, 9), sex="not_known"
    )
    described = [
        ("holder", PersonDetails(given_name="Gwen", family_name="Jones", sex="female", nhs_number=holder.nhs_number)),
        ("later", _someone(given_name="Gwen", family_name="Price", sex="female")),
    ]
    with transaction.atomic():
        for local_id, details in described:
            source_record_receive(agency=agency, local_id=local_id, details=details)
        one_by_one = _outcomes(agency, described, {holder.pk})
        transaction.set_rollback(True)
    assert one_by_one["holder"][1] == holder.pk
    source_records_receive(agency=agency, described=described)
    for local_id, details in described:
        source_record_receive(agency=agency, local_id=local_id, details=details)
    assert _outcomes(agency, described, {holder.pk}) == one_by_one
