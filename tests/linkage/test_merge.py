import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from cylch.accounts.models import RoleCode
from cylch.audit.models import AccessLogEntry, AuditAction
from cylch.chronology.models import ChronologyEvent
from cylch.linkage.merging import match_review_accept, match_review_reject, person_merge, person_unmerge
from cylch.linkage.models import MatchReview, MergeDecision, ReviewStatus
from cylch.linkage.services import PersonDetails
from cylch.linkage.services import person_link as link
from cylch.people.models import Involvement, Person, SourceRecord
from cylch.records.selectors.person import person_record
from tests.factories import (
    AgencyFactory,
    ChronologyEventFactory,
    HouseholdMembershipFactory,
    InvolvementFactory,
    PersonFactory,
    PractitionerFactory,
    SourceRecordFactory,
)

pytestmark = pytest.mark.django_db


def snapshot(person):
    return {
        "records": set(SourceRecord.objects.filter(person=person).values_list("pk", "given_name", "family_name")),
        "events": set(ChronologyEvent.objects.filter(person=person).values_list("pk", flat=True)),
        "involvements": set(Involvement.objects.filter(person=person).values_list("pk", flat=True)),
    }


def test_merge_then_unmerge_restores_both_people_exactly():
    officer = PractitionerFactory(roles=["front_door_manager"])
    survivor, other = PersonFactory(), PersonFactory()
    for person in (survivor, other):
        SourceRecordFactory(person=person)
        ChronologyEventFactory(person=person)
        InvolvementFactory(person=person)
        HouseholdMembershipFactory(person=person)
    before = (snapshot(survivor), snapshot(other))
    records_before = set(SourceRecord.objects.values_list("pk", "given_name", "family_name", "date_of_birth"))

    decision = person_merge(survivor=survivor, merged=other, decided_by=officer, reason="Same child, confirmed by GP")
    other.refresh_from_db()
    assert other.merged_into == survivor
    assert snapshot(other) == {"records": set(), "events": set(), "involvements": set()}
    assert len(snapshot(survivor)["events"]) == 2
    # The merged ID still finds the surviving record.
    assert person_record(user=officer, cylch_id=other.cylch_id, page="test").person == survivor

    person_unmerge(decision=decision, decided_by=officer, reason="Merged in error")
    other.refresh_from_db()
    assert other.merged_into is None
    assert (snapshot(survivor), snapshot(other)) == before
    # Agencies' own copies were never edited, only re-pointed.
    assert set(SourceRecord.objects.values_list("pk", "given_name", "family_name", "date_of_birth")) == records_before
    actions = list(AccessLogEntry.objects.filter(person=other).values_list("action", "reason"))
    assert (AuditAction.MERGE, "Same child, confirmed by GP") in actions
    assert (AuditAction.UNMERGE, "Merged in error") in actions
    assert MergeDecision.objects.filter(decided_by=officer).count() == 2


def test_a_merge_needs_a_reason():
    officer = PractitionerFactory(roles=["front_door_manager"])
    with pytest.raises(ValidationError, match="Give a reason"):
        person_merge(survivor=PersonFactory(), merged=PersonFactory(), decided_by=officer, reason=" ")


def test_only_the_matcher_merges_without_a_practitioner():
    survivor, merged = PersonFactory(), PersonFactory()
    with pytest.raises(ValidationError, match="A practitioner must make this decision"):
        person_merge(survivor=survivor, merged=merged, decided_by=None, reason="Looks the same")
    assert not MergeDecision.objects.exists()
    decision = person_merge(survivor=survivor, merged=merged, decided_by=None, reason="Matcher", automatic=True)
    assert decision.automatic


def test_an_unmerge_needs_a_practitioner():
    survivor, merged = PersonFactory(), PersonFactory()
    decision = person_merge(survivor=survivor, merged=merged, decided_by=None, reason="x", automatic=True)
    with pytest.raises(ValidationError, match="A practitioner must make this decision"):
        person_unmerge(decision=decision, decided_by=None, reason="Merged in error")  # type: ignore[arg-type]
    assert Person.objects.get(pk=decision.merged_id).merged_into_id == decision.survivor_id


def test_a_merge_cannot_be_undone_twice():
    manager = PractitionerFactory(roles=["front_door_manager"])
    decision = person_merge(survivor=PersonFactory(), merged=PersonFactory(), decided_by=manager, reason="x")
    person_unmerge(decision=decision, decided_by=manager, reason="y")
    with pytest.raises(ValidationError, match="already been undone"):
        person_unmerge(decision=decision, decided_by=manager, reason="y")


def test_refusals_are_in_welsh_for_a_welsh_speaker():
    officer = PractitionerFactory(roles=["front_door_manager"])
    person = PersonFactory()
    with translation.override("cy"), pytest.raises(ValidationError) as refused:
        person_merge(survivor=person, merged=person, decided_by=officer, reason="Same child")
    assert refused.value.messages != ["A person cannot be merged with themselves."]


def test_accepting_a_review_merges_into_the_candidate_and_rejecting_keeps_both():
    import datetime

    officer = PractitionerFactory(roles=["front_door_manager"])
    agency = AgencyFactory()
    dob = datetime.date(2018, 3, 14)
    first = link(
        details=PersonDetails(given_name="Lily", family_name="Evans", date_of_birth=dob, postcode="CF10 1AA"),
        agency=agency,
        local_id="1",
    )
    second = link(
        details=PersonDetails(given_name="Lila", family_name="Evans", date_of_birth=dob, postcode="CF10 1AA"),
        agency=agency,
        local_id="2",
    )
    review = second.reviews[0]
    match_review_accept(review=review, decided_by=officer, reason="Same child: school confirmed spelling")
    assert Person.objects.get(pk=second.person.pk).merged_into == first.person
    assert MatchReview.objects.get(pk=review.pk).status == ReviewStatus.ACCEPTED
    assert SourceRecord.objects.get(pk=second.source_record.pk).person == first.person

    third = link(
        details=PersonDetails(given_name="Lilo", family_name="Evans", date_of_birth=dob, postcode="CF10 1AA"),
        agency=agency,
        local_id="3",
    )
    rejected = match_review_reject(review=third.reviews[0], decided_by=officer, reason="Twin sister")
    assert rejected.status == ReviewStatus.REJECTED
    assert Person.objects.get(pk=third.person.pk).merged_into is None


@pytest.mark.parametrize("role", [r for r in RoleCode if r != RoleCode.FRONT_DOOR_MANAGER])
def test_only_a_front_door_manager_merges_records(role):
    survivor, merged = PersonFactory(), PersonFactory()
    with pytest.raises(PermissionDenied):
        person_merge(survivor=survivor, merged=merged, decided_by=PractitionerFactory(roles=[role]), reason="Same")
    merged.refresh_from_db()
    assert merged.merged_into_id is None
