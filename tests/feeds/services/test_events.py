"""One chronology event at a time: checked, stored as the agency recorded it, audited."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cylch.audit.models import AccessLogEntry
from cylch.chronology.models import EventKind
from cylch.feeds.services import chronology_event_record
from tests.factories import AgencyFactory, PersonFactory, PractitionerFactory

pytestmark = pytest.mark.django_db


def _record(person, **changes):
    arguments = {
        "person": person,
        "agency": AgencyFactory(),
        "kind": EventKind.HOME_VISIT,
        "occurred_at": timezone.now() - datetime.timedelta(hours=2),
        "summary": "Home visit: cupboards bare",
    }
    return chronology_event_record(**{**arguments, **changes})


def test_an_event_is_stored_with_who_recorded_it_and_audited():
    person = PersonFactory()
    visitor = PractitionerFactory()
    event = _record(person, recorded_by=visitor, child_words="I'm hungry")
    entry = AccessLogEntry.objects.get(page="chronology-event")
    assert (entry.person, entry.practitioner, entry.details["event"]) == (person, visitor, event.pk)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "unheard_of"}, "kind"),
        ({"occurred_at": timezone.now() + datetime.timedelta(days=1)}, "occurred_at"),
        ({"occurred_at": datetime.datetime(2026, 1, 1, 9)}, "occurred_at"),  # noqa: DTZ001  (the case under test)
        ({"summary": "  "}, "summary"),
        ({"summary": "x" * 501}, "summary"),
        ({"sensitivity": "secret"}, "sensitivity"),
    ],
    ids=["unknown-kind", "future", "naive", "blank-summary", "long-summary", "unknown-sensitivity"],
)
def test_a_bad_event_is_refused_by_field(changes, field):
    with pytest.raises(ValidationError) as error:
        _record(PersonFactory(), **changes)
    assert field in error.value.message_dict
    assert not AccessLogEntry.objects.exists()


def test_an_event_before_the_person_was_born_is_refused():
    child = PersonFactory(date_of_birth=datetime.date(2024, 6, 1))
    with pytest.raises(ValidationError):
        _record(child, occurred_at=datetime.datetime(2024, 1, 1, 9, tzinfo=datetime.UTC))


def test_an_antenatal_booking_may_precede_the_birth():
    child = PersonFactory(date_of_birth=datetime.date(2024, 6, 1))
    when = datetime.datetime(2024, 1, 1, 9, tzinfo=datetime.UTC)
    assert _record(child, kind=EventKind.ANTENATAL_BOOKING, occurred_at=when).occurred_at == when


def test_an_event_about_a_merged_record_goes_to_the_surviving_record():
    survivor = PersonFactory()
    merged = PersonFactory(merged_into=survivor)
    assert _record(merged).person == survivor
