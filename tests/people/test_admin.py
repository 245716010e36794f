"""The Django admin of people: administrators only, and every list, record, save and delete is audited."""

import pytest

from cylch.accounts.models import RoleCode
from cylch.audit.models import AccessLogEntry, AccessOutcome, AuditAction
from cylch.people.models import Household, Person, Relationship
from tests.audit.admin_users import staff_with_model_permissions
from tests.factories import HouseholdFactory, PersonFactory, PractitionerFactory, RelationshipFactory

pytestmark = pytest.mark.django_db

PEOPLE_MODELS = (Person, Household, Relationship)


@pytest.fixture
def administrator(client):
    user = staff_with_model_permissions(*PEOPLE_MODELS)
    client.force_login(user)
    return user


def _form_data(response):
    """What the browser would post back unchanged: the admin form's values and each inline's management form."""
    form = response.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update({management[name].html_name: management[name].value() for name in management.fields})
    return data


def test_listing_people_records_each_person_listed(client, administrator):
    listed = [PersonFactory(), PersonFactory()]
    assert client.get("/admin/people/person/").status_code == 200
    entries = AccessLogEntry.objects.filter(practitioner=administrator, page="admin-person-list")
    assert sorted(entries.values_list("person_id", flat=True)) == sorted(p.pk for p in listed)
    assert set(entries.values_list("action", flat=True)) == {AuditAction.SEARCH}


def test_opening_a_person_records_the_read(client, administrator):
    person = PersonFactory()
    assert client.get(f"/admin/people/person/{person.pk}/change/").status_code == 200
    entry = AccessLogEntry.objects.get(practitioner=administrator, page="admin-person")
    assert (entry.person, entry.action, entry.outcome) == (person, AuditAction.VIEW, AccessOutcome.DETAIL)


def test_saving_a_person_records_the_change(client, administrator):
    person = PersonFactory(given_name="Cerys")
    data = _form_data(client.get(f"/admin/people/person/{person.pk}/change/"))
    response = client.post(f"/admin/people/person/{person.pk}/change/", {**data, "given_name": "Carys"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.given_name == "Carys"
    entry = AccessLogEntry.objects.get(practitioner=administrator, action=AuditAction.UPDATE)
    assert (entry.person, entry.outcome) == (person, AccessOutcome.CHANGED)
    assert entry.details["change"] == [{"changed": {"fields": ["Given name"]}}]


def test_deleting_a_relationship_records_whose_record_changed(client, administrator):
    relationship = RelationshipFactory()
    response = client.post(f"/admin/people/relationship/{relationship.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Relationship.objects.exists()
    entry = AccessLogEntry.objects.get(practitioner=administrator, action=AuditAction.DELETE)
    assert entry.person == relationship.person
    assert entry.details == {"model": "people.relationship", "object": str(relationship.pk)}


def test_deleting_households_in_bulk_records_each_one(client, administrator):
    households = [HouseholdFactory(), HouseholdFactory()]
    client.post(
        "/admin/people/household/",
        {"action": "delete_selected", "_selected_action": [h.pk for h in households], "post": "yes"},
    )
    assert not Household.objects.exists()
    deleted = [entry.details["object"] for entry in AccessLogEntry.objects.filter(action=AuditAction.DELETE)]
    assert sorted(deleted) == sorted(str(h.pk) for h in households)


@pytest.mark.parametrize("role", [r for r in RoleCode if r != RoleCode.ADMINISTRATOR])
def test_other_roles_cannot_use_the_people_admin_even_with_django_permissions(client, role):
    client.force_login(staff_with_model_permissions(*PEOPLE_MODELS, role=role))
    person = PersonFactory()
    assert client.get("/admin/people/person/").status_code == 403
    assert client.get(f"/admin/people/person/{person.pk}/change/").status_code == 403


def test_a_superuser_can_use_the_people_admin(client):
    client.force_login(PractitionerFactory(is_staff=True, is_superuser=True, roles=[]))
    assert client.get("/admin/people/person/").status_code == 200
