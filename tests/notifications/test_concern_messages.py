"""Front-door messages end to end: queued by a concern service, sent by the task, in the language they were written in.

Practitioners have no language preference, so a message is written in the language active when it is queued
(the language of the page the practitioner was using) and stored as sent.
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import translation

from cylch.accounts.models import AgencyKind, RoleCode
from cylch.concerns.services import concern_submit, decision_record
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
    concern = concern_submit(submitter=referrer, data=make_input(immediate_risk=True)).concern
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
