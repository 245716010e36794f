"""Front-door messages end to end: queued by a concern service, sent by the task, in the recipient's language.

A message is worded in the recipient's preferred language (set by the English/Cymraeg switch); for someone who
has not chosen, in the language active when it is queued (the page they were using).
"""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone, translation

from cylch.accounts.models import AgencyKind, RoleCode
from cylch.concerns.services import concern_submit
from cylch.concerns.sweep import timescale_sweep
from cylch.concerns.triage import challenge_raise, challenge_resolve, decision_record, information_request_create
from cylch.notifications.models import Notification
from cylch.notifications.services import notification_send
from tests.concerns.conftest import make_input
from tests.factories import AgencyFactory, PractitionerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def referrer():
    school = AgencyFactory(kind=AgencyKind.SCHOOL)
    return PractitionerFactory(agency=school, email="lead@school.example")


@pytest.fixture
def front_door(referrer):
    council = AgencyFactory(kind=AgencyKind.CHILDRENS_SERVICES, local_authority=referrer.agency.local_authority)
    return PractitionerFactory(agency=council, roles=[RoleCode.FRONT_DOOR], email="mash@council.example")


def send_all() -> None:
    for pk in Notification.objects.order_by("pk").values_list("pk", flat=True):
        notification_send(notification_id=pk)


def test_the_acknowledgement_goes_to_the_referrer_in_english(referrer):
    concern = concern_submit(submitter=referrer, data=make_input()).concern
    send_all()
    [message] = mail.outbox
    assert message.to == ["lead@school.example"]
    assert message.subject == f"Concern received: reference {concern.reference}"
    assert message.body.startswith("The front door has received your concern.")


def test_a_concern_raised_in_welsh_is_acknowledged_in_welsh(referrer):
    with translation.override("cy"):
        concern = concern_submit(submitter=referrer, data=make_input()).concern
    send_all()
    [message] = mail.outbox
    assert message.to == ["lead@school.example"]
    assert message.subject == f"Pryder wedi dod i law: cyfeirnod {concern.reference}"


def test_immediate_risk_is_sent_to_the_front_door_as_well_as_the_referrer(referrer, front_door):
    data = make_input(immediate_risk=True, immediate_risk_details="Locked out of the house tonight.")
    concern = concern_submit(submitter=referrer, data=data).concern
    send_all()
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects == {
        "lead@school.example": f"Concern received: reference {concern.reference}",
        "mash@council.example": f"Immediate risk: concern {concern.reference}",
    }


def test_the_decision_is_sent_to_the_referrer_not_the_decision_maker(referrer, front_door):
    concern = concern_submit(submitter=referrer, data=make_input()).concern
    decision_record(concern=concern, user=front_door, outcome="nfa", rationale="Needs met by the school.")
    notification_send(notification_id=Notification.objects.get(template="concern_feedback").pk)
    [message] = mail.outbox
    assert message.to == ["lead@school.example"]
    assert message.subject == f"Outcome of your concern {concern.reference}"
    assert "Needs met by the school." in message.body


def _welsh(english: str) -> str:
    with translation.override("cy"):
        welsh = translation.gettext(english)
    assert welsh != english
    return welsh


def test_a_welsh_speaker_is_acknowledged_in_welsh_from_an_english_page(referrer):
    referrer.language = "cy"
    referrer.save()
    concern = concern_submit(submitter=referrer, data=make_input()).concern
    send_all()
    [message] = mail.outbox
    assert message.subject == _welsh("Concern received: reference %(reference)s") % {"reference": concern.reference}


def test_an_english_speaker_is_acknowledged_in_english_from_a_welsh_page(referrer):
    referrer.language = "en"
    referrer.save()
    with translation.override("cy"):
        concern = concern_submit(submitter=referrer, data=make_input()).concern
    send_all()
    assert mail.outbox[0].subject == f"Concern received: reference {concern.reference}"


def test_the_feedback_outcome_and_wording_are_in_the_referrers_language(referrer, front_door):
    referrer.language = "cy"
    referrer.save()
    concern = concern_submit(submitter=referrer, data=make_input()).concern
    decision_record(concern=concern, user=front_door, outcome="early_help", rationale="Team Around the Family.")
    feedback = Notification.objects.get(template="concern_feedback")
    assert feedback.subject == _welsh("Outcome of your concern %(reference)s") % {"reference": concern.reference}
    assert _welsh("Early help or preventative service") in feedback.body
    assert feedback.personalisation["outcome"] == _welsh("Early help or preventative service")


def test_each_member_of_staff_is_written_to_in_their_own_language(referrer, front_door):
    welsh_colleague = PractitionerFactory(
        agency=front_door.agency, roles=[RoleCode.FRONT_DOOR], email="cymraeg@council.example", language="cy"
    )
    data = make_input(immediate_risk=True, immediate_risk_details="Locked out of the house tonight.")
    concern = concern_submit(submitter=referrer, data=data).concern
    subjects = dict(Notification.objects.filter(template="concern_immediate_risk").values_list("email", "subject"))
    assert subjects == {
        front_door.email: f"Immediate risk: concern {concern.reference}",
        welsh_colleague.email: _welsh("Immediate risk: concern %(reference)s") % {"reference": concern.reference},
    }


def test_the_sweeps_chase_and_escalation_are_in_each_recipients_language(referrer, front_door):
    referrer.language = "cy"
    referrer.save()
    manager = PractitionerFactory(
        agency=front_door.agency, roles=[RoleCode.FRONT_DOOR_MANAGER], email="rheolwr@council.example", language="cy"
    )
    concern = concern_submit(submitter=referrer, data=make_input()).concern
    timescale_sweep(now=concern.received_at + datetime.timedelta(days=30))
    chased = Notification.objects.get(template="referrer_chased")
    escalated = Notification.objects.get(template="escalation", email=manager.email)
    chase = Notification.objects.get(template="feedback_chase", email=front_door.email)
    reference = {"reference": concern.reference}
    assert chased.subject == _welsh("We have chased the front door about %(reference)s") % reference
    assert escalated.subject == (
        _welsh("Escalation: concern %(reference)s has no outcome after 10 working days") % reference
    )
    assert chase.subject == f"Chase: no outcome for concern {concern.reference} after 7 working days"


def test_a_challenge_outcome_is_in_the_challengers_language(referrer, front_door):
    referrer.language = "cy"
    referrer.save()
    manager = PractitionerFactory(agency=front_door.agency, roles=[RoleCode.FRONT_DOOR_MANAGER])
    concern = concern_submit(submitter=referrer, data=make_input()).concern
    decision_record(concern=concern, user=front_door, outcome="nfa", rationale="Below threshold.")
    challenge = challenge_raise(concern=concern, user=referrer, grounds="Third time this term.")
    challenge_resolve(challenge=challenge, manager=manager, status="upheld", resolution="Agreed.")
    resolved = Notification.objects.get(template="challenge_resolved")
    assert _welsh("Upheld: the decision will be revised") in resolved.subject


def test_a_message_to_an_agency_mailbox_is_in_the_language_of_the_page(front_door, referrer):
    concern = concern_submit(submitter=referrer, data=make_input()).concern
    agency = AgencyFactory(email="health@agency.example")
    with translation.override("cy"):
        information_request_create(
            concern=concern,
            agency=agency,
            question="Pryd welwyd y plentyn ddiwethaf?",
            due_on=timezone.localdate(),
            requested_by=front_door,
        )
    asked = Notification.objects.get(template="information_request")
    assert asked.subject == _welsh("Information request for concern %(reference)s") % {"reference": concern.reference}
