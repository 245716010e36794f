"""The subject access PDF prints words, not codes (#13 item 8): an event's categories and decision in words, the
pages of the access log by name, relationships and sex as labels."""

from __future__ import annotations

import datetime
import io

import pytest
from pypdf import PdfReader

from cylch.accounts.models import RoleCode
from cylch.people.models import RelationshipKind
from cylch.records.templatetags.exports import field_value
from tests.factories import ChronologyEventFactory, PersonFactory, PractitionerFactory, RelationshipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def printed(client):
    child = PersonFactory(
        given_name="Osian", family_name="Pryce", sex="not_known", date_of_birth=datetime.date(2017, 1, 2)
    )
    ChronologyEventFactory(
        person=child, details={"concern": "2025-ABCDEF1", "categories": ["domestic_abuse", "neglect"]}
    )
    ChronologyEventFactory(person=child, details={"outcome": "early_help", "revised": False})
    RelationshipFactory(person=child, kind=RelationshipKind.PARTNER_OF_PARENT)
    client.force_login(PractitionerFactory(roles=[RoleCode.INFORMATION_GOVERNANCE]))
    client.get(f"/people/{child.cylch_id}/")  # the information governance lead opens the record first
    response = client.get(f"/people/{child.cylch_id}/subject-access.pdf")
    assert response.status_code == 200
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    return " ".join(text.split())


def test_an_events_categories_are_in_words(printed):
    assert "Categories: Domestic abuse, Neglect" in printed
    assert "domestic_abuse" not in printed


def test_an_events_decision_is_in_words(printed):
    assert "Decision: Early help or preventative service" in printed
    assert "early_help" not in printed


def test_the_access_log_names_the_pages_not_their_codes(printed):
    assert "The person’s record" in printed
    assert "person-detail" not in printed


def test_a_relationship_and_sex_are_labels(printed):
    assert "partner_of_parent" not in printed
    assert "not_known" not in printed


def test_an_unlisted_page_code_reads_as_words():
    assert field_value("risk-rule-trial", "page") == "Risk rule trial"
