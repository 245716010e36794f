"""`GET /api/v1/persons/{cylch_id}`: the chronology a page at a time; a bad page number stores nothing."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from cylch.audit.models import AccessLogEntry
from cylch.records.api import CHRONOLOGY_API_PAGE_SIZE
from tests.factories import ChronologyEventFactory, InvolvementFactory, PersonFactory, PractitionerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def practitioner():
    return PractitionerFactory()


@pytest.fixture
def child(practitioner):
    person = PersonFactory()
    InvolvementFactory(person=person, agency=practitioner.agency)
    ChronologyEventFactory.create_batch(CHRONOLOGY_API_PAGE_SIZE + 5, person=person, agency=practitioner.agency)
    return person


def _get(user, child, **query):
    api = APIClient()
    api.force_authenticate(user)
    return api.get(f"/api/v1/persons/{child.cylch_id}", query)


def test_the_first_page_holds_a_page_of_events_and_links_to_the_next(practitioner, child):
    data = _get(practitioner, child).json()
    assert len(data["chronology"]) == CHRONOLOGY_API_PAGE_SIZE
    page = data["chronology_page"]
    assert (page["number"], page["pages"], page["events"]) == (1, 2, CHRONOLOGY_API_PAGE_SIZE + 5)
    assert page["next"].endswith(f"/api/v1/persons/{child.cylch_id}?chronology_page=2")


def test_the_chronology_pages_in_the_headers_as_the_concern_list_does(practitioner, child):
    response = _get(practitioner, child)
    assert response["X-Total-Count"] == str(CHRONOLOGY_API_PAGE_SIZE + 5)
    links = response["Link"]
    assert f'{child.cylch_id}?chronology_page=2>; rel="next"' in links
    assert f'{child.cylch_id}?chronology_page=2>; rel="last"' in links
    assert 'rel="prev"' not in links


def test_a_restricted_record_has_no_paging_headers(child):
    response = _get(PractitionerFactory(), child)
    assert response.json()["detail_allowed"] is False
    assert "X-Total-Count" not in response


def test_the_last_page_holds_the_rest_and_has_no_next(practitioner, child):
    data = _get(practitioner, child, chronology_page=2).json()
    assert len(data["chronology"]) == 5
    assert data["chronology_page"]["next"] is None


def test_the_pages_together_hold_every_event_once_newest_first(practitioner, child):
    first, second = (_get(practitioner, child, chronology_page=n).json()["chronology"] for n in (1, 2))
    moments = [e["occurred_at"] for e in first + second]
    assert len(moments) == CHRONOLOGY_API_PAGE_SIZE + 5
    assert moments == sorted(moments, reverse=True)


def test_a_page_past_the_end_is_empty_not_an_error(practitioner, child):
    response = _get(practitioner, child, chronology_page=9)
    assert response.status_code == 200
    assert response.json()["chronology"] == []


@pytest.mark.parametrize("bad", ["0", "-1", "two", "1.5", "٣", "9999999"])
def test_a_page_that_is_not_a_whole_number_from_one_is_refused_and_nothing_is_read(practitioner, child, bad):
    response = _get(practitioner, child, chronology_page=bad)
    assert response.status_code == 400
    assert list(response.json()) == ["chronology_page"]
    assert not AccessLogEntry.objects.filter(person=child).exists()
