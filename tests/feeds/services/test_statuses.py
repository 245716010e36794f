"""Register and looked-after status: each start and end writes its chronology event."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cylch.accounts.models import AgencyKind
from cylch.audit.models import AccessLogEntry
from cylch.chronology.models import ChronologyEvent, EventKind
from cylch.feeds.services import statutory_status_end, statutory_status_start
from cylch.people.models import StatusKind
from tests.factories import AgencyFactory, PersonFactory

pytestmark = pytest.mark.django_db

START = datetime.date(2026, 1, 5)
END = datetime.date(2026, 2, 5)


@pytest.fixture
def council():
    return AgencyFactory(kind=AgencyKind.CHILDRENS_SERVICES)


@pytest.fixture
def child():
    return PersonFactory(date_of_birth=datetime.date(2019, 1, 1))


def _start(child, council, kind, category=""):
    return statutory_status_start(
        person=child,
        kind=kind,
        category=category,
        local_authority=council.local_authority,
        start_date=START,
        agency=council,
    )


def _kinds(child):
    return list(ChronologyEvent.objects.filter(person=child).order_by("occurred_at").values_list("kind", flat=True))


def test_registration_and_deregistration_each_write_their_chronology_event(council, child):
    status = _start(child, council, StatusKind.CHILD_PROTECTION_REGISTER, "NEG")
    statutory_status_end(status=status, end_date=END, agency=council)
    assert _kinds(child) == [EventKind.REGISTERED, EventKind.DEREGISTERED]
    assert "Neglect" in ChronologyEvent.objects.get(kind=EventKind.REGISTERED).summary


def test_becoming_and_ceasing_to_be_looked_after_each_write_their_chronology_event(council, child):
    status = _start(child, council, StatusKind.LOOKED_AFTER)
    statutory_status_end(status=status, end_date=END, agency=council)
    assert _kinds(child) == [EventKind.BECAME_LOOKED_AFTER, EventKind.CEASED_LOOKED_AFTER]


def test_registration_without_a_category_is_refused_and_writes_nothing(council, child):
    with pytest.raises(ValidationError) as error:
        _start(child, council, StatusKind.CHILD_PROTECTION_REGISTER)
    assert "category" in error.value.message_dict
    assert not ChronologyEvent.objects.exists()


def test_a_status_cannot_end_before_it_started(council, child):
    status = _start(child, council, StatusKind.LOOKED_AFTER)
    with pytest.raises(ValidationError):
        statutory_status_end(status=status, end_date=START - datetime.timedelta(days=1), agency=council)


def test_only_childrens_services_record_a_status(child):
    police = AgencyFactory(kind=AgencyKind.POLICE)
    with pytest.raises(PermissionDenied):
        _start(child, police, StatusKind.LOOKED_AFTER)


def test_a_status_is_recorded_with_its_agency_and_on_the_audit_chain(council, child):
    status = _start(child, council, StatusKind.CHILD_PROTECTION_REGISTER, "EMO")
    assert status.recorded_by_agency == council
    assert AccessLogEntry.objects.get(page="statutory-status", person=child).details["status"] == status.pk
    assert AccessLogEntry.objects.filter(page="chronology-event", person=child).count() == 1
