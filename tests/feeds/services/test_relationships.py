"""Relationships between people, with their history and provenance."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from cylch.audit.models import AccessLogEntry
from cylch.feeds.services import relationship_end, relationship_record
from tests.factories import AgencyFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_a_relationship_is_recorded_with_its_agency_and_ended_with_its_history_kept():
    agency = AgencyFactory()
    child, partner = PersonFactory(), PersonFactory()
    relationship = relationship_record(person=child, relative=partner, kind="partner_of_parent", agency=agency)
    relationship_end(relationship=relationship, end_date=datetime.date(2026, 1, 1), agency=agency)
    relationship.refresh_from_db()
    assert (relationship.recorded_by_agency, relationship.end_date) == (agency, datetime.date(2026, 1, 1))
    assert AccessLogEntry.objects.filter(page="relationship", person=child).count() == 2


def test_recording_the_same_relationship_again_returns_it_unchanged():
    agency = AgencyFactory()
    child, mother = PersonFactory(), PersonFactory()
    first = relationship_record(person=child, relative=mother, kind="parent", agency=agency)
    assert relationship_record(person=child, relative=mother, kind="parent", agency=AgencyFactory()) == first


@pytest.mark.parametrize(("kind", "field"), [("parent", "relative"), ("nemesis", "kind")])
def test_a_bad_relationship_is_refused_by_field(kind, field):
    person = PersonFactory()
    relative = person if field == "relative" else PersonFactory()
    with pytest.raises(ValidationError) as error:
        relationship_record(person=person, relative=relative, kind=kind, agency=AgencyFactory())
    assert field in error.value.message_dict
