"""The Django admin of chronology events: administrators only, and audited against the child's record."""

import pytest

from cylch.accounts.models import RoleCode
from cylch.audit.models import AccessLogEntry, AuditAction
from cylch.chronology.models import ChronologyEvent
from tests.audit.admin_users import staff_with_model_permissions
from tests.factories import ChronologyEventFactory

pytestmark = pytest.mark.django_db


def test_opening_an_event_records_a_read_of_the_childs_record(client):
    administrator = staff_with_model_permissions(ChronologyEvent)
    client.force_login(administrator)
    event = ChronologyEventFactory()
    assert client.get(f"/admin/chronology/chronologyevent/{event.pk}/change/").status_code == 200
    entry = AccessLogEntry.objects.get(practitioner=administrator, action=AuditAction.VIEW)
    assert (entry.person, entry.page) == (event.person, "admin-chronologyevent")


def test_a_front_door_practitioner_cannot_list_events(client):
    client.force_login(staff_with_model_permissions(ChronologyEvent, role=RoleCode.FRONT_DOOR))
    ChronologyEventFactory()
    assert client.get("/admin/chronology/chronologyevent/").status_code == 403
    assert not AccessLogEntry.objects.exists()
