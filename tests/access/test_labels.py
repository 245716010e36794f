"""The access pages say in words, in English and in Welsh, what the access log records as codes: the page an
entry names, the basis of each read ("grant 2"), and the job titles of those named."""

from __future__ import annotations

import pytest

from cylch.access.services import access_request_create, break_glass
from cylch.access.templatetags.access_labels import access_reason, page_label
from cylch.accounts.models import RoleCode
from tests.factories import AgencyFactory, InvolvementFactory, PersonFactory, PractitionerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def child():
    person = PersonFactory(given_name="Tegan", family_name="Pugh")
    InvolvementFactory(person=person, agency=AgencyFactory(name="Ysgol Gynradd"))
    return person


@pytest.fixture
def doctor():
    return PractitionerFactory(
        first_name="Dafydd", last_name="Meddyg", job_title="Paediatrician", job_title_cy="Pediatregydd"
    )


@pytest.fixture
def glass(client, doctor, child):
    """A break-glass use, and the record opened under it once."""
    grant = break_glass(user=doctor, person=child, reason="Child in the emergency department at night.")
    client.force_login(doctor)
    client.get(f"/people/{child.cylch_id}/")
    client.logout()
    return grant


def _get(client, user, url: str, language: str = "en") -> str:
    client.force_login(user)
    return client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()


def _ig():
    return PractitionerFactory(roles=[RoleCode.INFORMATION_GOVERNANCE])


def test_a_listed_page_reads_as_its_label_and_an_unlisted_one_as_words():
    assert page_label("person-detail") == "The person’s record"
    assert page_label("some-new-page") == "Some new page"


@pytest.mark.parametrize(
    ("reason", "label"),
    [
        ("grant 2", "Access granted to them (number 2)"),
        ("grant 12; shown with C-1", "Access granted to them (number 12); shown with C-1"),
        ("front_door", "The front door"),
        ("involvement", "Their agency works with the person"),
        ("oversight", "Oversight of access (information governance)"),
        ("The child was in hospital at night", "The child was in hospital at night"),
        ("grant", "grant"),
    ],
)
def test_the_basis_of_a_read_is_in_words_and_a_typed_reason_as_written(reason, label):
    assert access_reason(reason) == label


def test_the_access_log_names_pages_bases_and_job_titles_in_words(client, child, glass, doctor):
    page = _get(client, _ig(), f"/people/{child.cylch_id}/access-log/")
    assert "The person’s record" in page
    assert f"Access granted to them (number {glass.pk})" in page
    assert "Dafydd Meddyg, Paediatrician" in page
    assert "person-detail" not in page
    assert f"grant {glass.pk}" not in page


def test_the_access_log_in_welsh_has_welsh_job_titles(client, child, glass):
    page = _get(client, _ig(), f"/people/{child.cylch_id}/access-log/", "cy")
    assert "Dafydd Meddyg, Pediatregydd" in page


def test_the_review_of_a_grant_names_what_was_opened_and_who_in_words(client, glass):
    page = _get(client, _ig(), f"/access-reviews/{glass.pk}/")
    assert "The person’s record" in page
    assert "person-detail" not in page
    assert "Dafydd Meddyg, Paediatrician" in page


def test_a_request_to_decide_gives_the_job_title_in_the_readers_language(client, child, doctor):
    grant = access_request_create(user=doctor, person=child, reason="New school needs the safeguarding file")
    lead = PractitionerFactory(agency=child.involvements.get().agency)
    assert "Dafydd Meddyg, Pediatregydd" in _get(client, lead, f"/access-requests/{grant.pk}/", "cy")
    assert "Dafydd Meddyg, Paediatrician" in _get(client, lead, f"/access-requests/{grant.pk}/", "en")
