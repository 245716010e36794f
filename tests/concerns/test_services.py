from __future__ import annotations

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.utils import timezone

from cylch.audit.models import AccessLogEntry, AccessOutcome
from cylch.chronology.models import ChronologyEvent, EventKind
from cylch.concerns.models import Challenge, Concern, Stage, SubmissionKey, ThresholdDecision
from cylch.concerns.references import reference_new, reference_normalise
from cylch.concerns.services import ConcernInput, IdempotencyConflictError, SubjectInput, concern_submit
from cylch.concerns.triage import (
    challenge_raise,
    challenge_resolve,
    concern_screening_start,
    decision_record,
    information_request_create,
    information_request_respond,
    screening_note_add,
)
from cylch.linkage.models import MatchReview
from cylch.linkage.scoring import NAMESAKES_AROUND
from cylch.notifications.models import Notification
from cylch.people.models import Person
from tests.concerns.conftest import make_input
from tests.factories import (
    AgencyFactory,
    HouseholdFactory,
    HouseholdMembershipFactory,
    InvolvementFactory,
    PersonFactory,
    PractitionerFactory,
)
from tests.factories import test_nhs_number as nhs

pytestmark = pytest.mark.django_db


def test_submit_issues_a_checkable_reference(school_lead):
    concern = concern_submit(submitter=school_lead, data=make_input()).concern
    assert re.fullmatch(r"\d{4}-[0-9A-HJKMNPQRTWXY]{7}", concern.reference)
    assert reference_normalise(concern.reference.lower().replace("-", " ")) == concern.reference


def test_submit_links_a_known_child_by_nhs_number(school_lead):
    # Another birth date on record: beside an agreeing NHS number and name, one field out still links.
    child = PersonFactory(
        nhs_number=nhs(7), given_name="Cerys", family_name="Jones", date_of_birth=datetime.date(2015, 2, 9)
    )
    concern = concern_submit(submitter=school_lead, data=make_input()).concern
    assert concern.subjects.get().person == child


def test_submit_creates_a_person_for_an_unknown_child(school_lead):
    concern = concern_submit(submitter=school_lead, data=make_input()).concern
    assert Person.objects.get(nhs_number=nhs(7)) == concern.subjects.get().person


def test_submit_writes_a_chronology_event_for_each_child(school_lead):
    second = SubjectInput(given_name="Osian", family_name="Jones", nhs_number=nhs(8))
    adult = SubjectInput(role="household_member", given_name="Rhys", family_name="Jones", relationship="father")
    data = make_input(subjects=(*make_input().subjects, second, adult))
    concern = concern_submit(submitter=school_lead, data=data).concern
    events = ChronologyEvent.objects.filter(kind=EventKind.CONCERN, details__concern=concern.reference)
    assert events.count() == 2


def test_was_not_brought_is_recorded_as_such_in_the_chronology(school_lead):
    concern_submit(submitter=school_lead, data=make_input(kind="was_not_brought"))
    assert ChronologyEvent.objects.filter(kind=EventKind.WAS_NOT_BROUGHT).count() == 1


def test_submit_queues_the_acknowledgement(school_lead):
    concern = concern_submit(submitter=school_lead, data=make_input()).concern
    note = Notification.objects.get(template="concern_acknowledgement")
    assert note.email == school_lead.email
    assert concern.reference in note.subject


def test_a_concern_without_a_child_is_refused(school_lead):
    adult = SubjectInput(role="household_member", given_name="Rhys")
    with pytest.raises(ValidationError):
        concern_submit(submitter=school_lead, data=make_input(subjects=(adult,)))
    assert Concern.objects.count() == 0


def test_a_retry_with_the_same_key_returns_the_same_concern(school_lead):
    first = concern_submit(submitter=school_lead, data=make_input(), idempotency_key="abc")
    second = concern_submit(submitter=school_lead, data=make_input(), idempotency_key="abc")
    assert (first.created, second.created) == (True, False)
    assert second.concern == first.concern
    assert Concern.objects.count() == 1


def test_the_same_key_from_another_submitter_is_a_different_concern(school_lead):
    other = PractitionerFactory(agency=school_lead.agency)
    concern_submit(submitter=school_lead, data=make_input(), idempotency_key="abc")
    concern_submit(submitter=other, data=make_input(), idempotency_key="abc")
    assert SubmissionKey.objects.count() == 2


def test_a_key_reused_for_different_content_is_refused(school_lead):
    concern_submit(submitter=school_lead, data=make_input(), idempotency_key="abc")
    with pytest.raises(IdempotencyConflictError):
        concern_submit(submitter=school_lead, data=make_input(what_happened="Something else"), idempotency_key="abc")


def test_a_taken_reference_is_drawn_again_and_the_retry_stores_everything_once(school_lead, monkeypatch):
    taken = concern_submit(submitter=school_lead, data=make_input(), idempotency_key="first").concern
    fresh = reference_new(2026)
    draws = iter([taken.reference, fresh])
    monkeypatch.setattr("cylch.concerns.services.reference_new", lambda year: next(draws))
    concern = concern_submit(submitter=school_lead, data=make_input(), idempotency_key="second").concern
    assert concern.reference == fresh
    assert Concern.objects.count() == 2
    assert concern.subjects.count() == 1
    assert Notification.objects.filter(template="concern_acknowledgement").count() == 2


def test_a_failure_other_than_a_taken_reference_is_raised_not_retried(school_lead, monkeypatch):
    def broken(**kwargs):
        raise IntegrityError("a constraint the submission broke")

    monkeypatch.setattr("cylch.concerns.services._store", broken)
    with pytest.raises(IntegrityError, match="a constraint the submission broke"):
        concern_submit(submitter=school_lead, data=make_input(), idempotency_key="k")


def test_raising_a_concern_is_on_the_audit_chain_with_the_referrer(school_lead):
    second = SubjectInput(role="household_member", given_name="Rhys", family_name="Jones", relationship="father")
    concern = concern_submit(submitter=school_lead, data=make_input(subjects=(*make_input().subjects, second))).concern
    raised = AccessLogEntry.objects.filter(page="concern-raise")
    named = {s.person_id for s in concern.subjects.all()}
    assert {(e.person_id, e.practitioner_id, e.outcome) for e in raised} == {
        (person_id, school_lead.pk, AccessOutcome.CHANGED) for person_id in named
    }
    assert set(AccessLogEntry.objects.filter(page="person-link").values_list("practitioner_id", flat=True)) == {
        school_lead.pk
    }


def test_a_threshold_decision_is_on_the_audit_chain_with_who_decided(school_lead, front_door):
    concern = concern_submit(submitter=school_lead, data=make_input()).concern
    decision_record(concern=concern, user=front_door, outcome="iaa", rationale="Advice given to the school.")
    [entry] = AccessLogEntry.objects.filter(page="threshold-decision")
    assert (entry.person_id, entry.practitioner_id) == (concern.subjects.get().person_id, front_door.pk)
    assert entry.details == {"concern": concern.reference, "outcome": "iaa", "revised": False}


def test_a_decision_moves_the_concern_to_decided_and_sends_feedback(school_lead, front_door):
    concern = concern_submit(submitter=school_lead, data=make_input()).concern
    decision_record(concern=concern, user=front_door, outcome="early_help", rationale="Needs support, not statutory.")
    concern.refresh_from_db()
    assert concern.stage == Stage.DECIDED
    assert concern.feedback_sent_at is not None
    assert Notification.objects.filter(template="concern_feedback", email=school_lead.email).exists()


def test_a_revision_keeps_the_history(school_lead, front_door):
    concern = concern_submit(submitter=school_lead, data=make_input()).concern
    first = decision_record(concern=concern, user=front_door, outcome="iaa", rationale="Advice given.")
    second = decision_record(
        concern=concern, user=front_door, outcome="assessment", rationale="New info.", revision_reason="Police update"
    )
    assert list(ThresholdDecision.objects.filter(concern=concern)) == [first, second]
    assert second.replaces == first


def test_a_revision_needs_a_reason(school_lead, front_door):
    concern = concern_submit(submitter=school_lead, data=make_input()).concern
    decision_record(concern=concern, user=front_door, outcome="iaa", rationale="Advice given.")
    with pytest.raises(ValidationError):
        decision_record(concern=concern, user=front_door, outcome="nfa", rationale="Changed mind.")


def test_a_decision_cannot_be_overwritten(school_lead, front_door):
    concern = concern_submit(submitter=school_lead, data=make_input()).concern
    decision = decision_record(concern=concern, user=front_door, outcome="iaa", rationale="Advice given.")
    decision.outcome = "nfa"
    with pytest.raises(ValueError, match="never changed"):
        decision.save()


def test_a_practitioner_cannot_record_a_decision(school_lead):
    concern = concern_submit(submitter=school_lead, data=make_input()).concern
    with pytest.raises(PermissionDenied):
        decision_record(concern=concern, user=school_lead, outcome="nfa", rationale="No.")


def test_a_challenge_goes_to_the_manager_and_is_resolved(school_lead, front_door, manager):
    concern = concern_submit(submitter=school_lead, data=make_input()).concern
    decision_record(concern=concern, user=front_door, outcome="nfa", rationale="Below threshold.")
    challenge = challenge_raise(concern=concern, user=school_lead, grounds="Third time this term.")
    assert Notification.objects.filter(template="challenge_raised", email=manager.email).exists()
    challenge_resolve(challenge=challenge, manager=manager, status="upheld", resolution="Agreed: assessment.")
    challenge.refresh_from_db()
    assert challenge.status == "upheld"


def test_only_a_manager_resolves_a_challenge(school_lead, front_door):
    concern = concern_submit(submitter=school_lead, data=make_input()).concern
    decision_record(concern=concern, user=front_door, outcome="nfa", rationale="Below threshold.")
    challenge = challenge_raise(concern=concern, user=school_lead, grounds="Third time this term.")
    with pytest.raises(PermissionDenied):
        challenge_resolve(challenge=challenge, manager=front_door, status="upheld", resolution="Yes.")


def test_a_second_challenge_is_refused_while_one_is_open(school_lead, front_door):
    concern = concern_submit(submitter=school_lead, data=make_input()).concern
    decision_record(concern=concern, user=front_door, outcome="nfa", rationale="Below threshold.")
    challenge_raise(concern=concern, user=school_lead, grounds="Third time this term.")
    with pytest.raises(ValidationError):
        challenge_raise(concern=concern, user=school_lead, grounds="And again.")
    assert Challenge.objects.count() == 1


def test_a_practitioner_not_involved_with_the_child_cannot_challenge(school_lead, front_door):
    concern = concern_submit(submitter=school_lead, data=make_input()).concern
    decision_record(concern=concern, user=front_door, outcome="nfa", rationale="Below threshold.")
    with pytest.raises(PermissionDenied):
        challenge_raise(concern=concern, user=PractitionerFactory(), grounds="I disagree.")
    assert Challenge.objects.count() == 0


def test_a_practitioner_involved_with_the_child_may_challenge(school_lead, front_door):
    concern = concern_submit(submitter=school_lead, data=make_input()).concern
    decision_record(concern=concern, user=front_door, outcome="nfa", rationale="Below threshold.")
    involvement = InvolvementFactory(person=concern.subjects.get().person)
    challenge = challenge_raise(
        concern=concern, user=PractitionerFactory(agency=involvement.agency), grounds="Missed appointments."
    )
    assert challenge.raised_by.agency == involvement.agency


def test_starting_screening_records_when_once(school_lead, front_door):
    concern = concern_submit(submitter=school_lead, data=make_input()).concern
    before = timezone.now()
    first = concern_screening_start(concern=concern, user=front_door)
    assert first.stage == Stage.SCREENING
    assert first.screening_started_at is not None
    assert before <= first.screening_started_at <= timezone.now()
    again = concern_screening_start(concern=concern, user=front_door)
    assert again.screening_started_at == first.screening_started_at


def test_a_screening_note_starts_screening(school_lead, front_door):
    concern = concern_submit(submitter=school_lead, data=make_input()).concern
    screening_note_add(concern=concern, author=front_door, text="Called the school.")
    concern.refresh_from_db()
    assert (concern.stage, concern.screening_started_at is not None) == (Stage.SCREENING, True)


def test_a_decision_without_screening_records_screening_as_started_at_the_decision(school_lead, front_door):
    concern = concern_submit(submitter=school_lead, data=make_input()).concern
    decision = decision_record(concern=concern, user=front_door, outcome="iaa", rationale="Advice given.")
    concern.refresh_from_db()
    assert concern.screening_started_at == concern.decided_at == decision.decided_at


def test_a_decision_keeps_the_earlier_screening_start(school_lead, front_door):
    concern = concern_submit(submitter=school_lead, data=make_input()).concern
    started = concern_screening_start(concern=concern, user=front_door).screening_started_at
    decision_record(concern=concern, user=front_door, outcome="iaa", rationale="Advice given.")
    concern.refresh_from_db()
    assert concern.screening_started_at == started


def test_a_practitioner_cannot_start_screening(school_lead):
    concern = concern_submit(submitter=school_lead, data=make_input()).concern
    with pytest.raises(PermissionDenied):
        concern_screening_start(concern=concern, user=school_lead)
    concern.refresh_from_db()
    assert concern.screening_started_at is None


def _request_to_involved_agency(school_lead, front_door):
    concern = concern_submit(submitter=school_lead, data=make_input()).concern
    involvement = InvolvementFactory(person=concern.subjects.get().person)
    return information_request_create(
        concern=concern,
        agency=involvement.agency,
        question="When was the child last seen?",
        due_on=timezone.localdate(),
        requested_by=front_door,
    )


def test_the_asked_agency_may_record_its_reply(school_lead, front_door):
    request = _request_to_involved_agency(school_lead, front_door)
    colleague = PractitionerFactory(agency=request.agency)
    information_request_respond(request=request, response="Seen at clinic.", user=colleague)
    request.refresh_from_db()
    assert request.response == "Seen at clinic."


def test_the_asked_agency_records_its_reply_without_access_to_the_concern(school_lead, front_door):
    concern = concern_submit(submitter=school_lead, data=make_input()).concern
    agency = AgencyFactory()
    request = information_request_create(
        concern=concern, agency=agency, question="Known?", due_on=timezone.localdate(), requested_by=front_door
    )
    answerer = PractitionerFactory(agency=agency)
    information_request_respond(request=request, response="Yes.", user=answerer)
    request.refresh_from_db()
    assert request.responded_by == answerer
    assert request.responded_at is not None


def test_an_agency_not_asked_cannot_record_a_reply(school_lead, front_door):
    request = _request_to_involved_agency(school_lead, front_door)
    with pytest.raises(PermissionDenied):
        information_request_respond(request=request, response="Yes.", user=PractitionerFactory())


def test_a_reply_is_recorded_once(school_lead, front_door):
    request = _request_to_involved_agency(school_lead, front_door)
    information_request_respond(request=request, response="Seen at clinic.", user=front_door)
    with pytest.raises(ValidationError):
        information_request_respond(request=request, response="Changed my mind.", user=front_door)
    request.refresh_from_db()
    assert request.response == "Seen at clinic."


def test_a_subjects_identity_is_kept_on_the_concern_and_fills_the_person(school_lead):
    child = SubjectInput(
        given_name="Amal", family_name="Hassan", ethnicity="BAFR", first_language="som", interpreter_needed=True
    )
    concern = concern_submit(submitter=school_lead, data=make_input(subjects=(child,))).concern
    subject = concern.subjects.select_related("person").get()
    assert (subject.ethnicity, subject.first_language, subject.interpreter_needed) == ("BAFR", "som", True)
    assert (subject.person.ethnicity, subject.person.first_language, subject.person.interpreter_needed) == (
        "BAFR",
        "som",
        True,
    )


def test_an_unknown_ethnicity_code_is_refused(school_lead):
    child = SubjectInput(given_name="Amal", ethnicity="XXXX")
    with pytest.raises(ValidationError):
        concern_submit(submitter=school_lead, data=make_input(subjects=(child,)))


def _with_adult(adult: SubjectInput) -> ConcernInput:
    return make_input(subjects=(make_input().subjects[0], adult))


def test_a_household_adult_named_twice_without_a_birth_date_is_one_person(school_lead):
    father = SubjectInput(role="household_member", given_name="Rhys", family_name="Jones", relationship="father")
    first = concern_submit(submitter=school_lead, data=_with_adult(father)).concern
    second = concern_submit(submitter=school_lead, data=_with_adult(father)).concern
    named = [c.subjects.get(role="household_member").person for c in (first, second)]
    assert named[0] == named[1]


def test_an_adult_named_without_a_birth_date_with_two_namesakes_in_the_childs_home_goes_to_review(school_lead):
    child = PersonFactory(nhs_number=nhs(7), given_name="Cerys", family_name="Jones")
    home = HouseholdFactory()
    namesakes = [PersonFactory(given_name="Rhys", family_name="Jones", nhs_number="") for _ in range(2)]
    for person in (child, *namesakes):
        HouseholdMembershipFactory(household=home, person=person)
    adult = SubjectInput(role="household_member", given_name="Rhys", family_name="Jones")
    named = concern_submit(submitter=school_lead, data=_with_adult(adult)).concern.subjects.get(role="household_member")
    assert named.person not in namesakes
    reviews = MatchReview.objects.filter(person=named.person)
    assert {(r.candidate, r.guard) for r in reviews} == {(n, NAMESAKES_AROUND) for n in namesakes}
