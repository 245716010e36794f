"""The Django admin of practitioners' accounts: administrators only, and every read audited."""

import pytest

from cylch.accounts.models import Practitioner, RoleCode
from cylch.audit.models import AccessLogEntry, AuditAction
from tests.audit.admin_users import staff_with_model_permissions
from tests.factories import PractitionerFactory

pytestmark = pytest.mark.django_db


def test_opening_a_practitioner_is_audited(client):
    administrator = staff_with_model_permissions(Practitioner)
    client.force_login(administrator)
    colleague = PractitionerFactory()
    assert client.get(f"/admin/accounts/practitioner/{colleague.pk}/change/").status_code == 200
    entry = AccessLogEntry.objects.get(practitioner=administrator, action=AuditAction.VIEW)
    assert (entry.person, entry.details) == (None, {"model": "accounts.practitioner", "object": str(colleague.pk)})


def test_information_governance_cannot_use_the_practitioner_admin(client):
    client.force_login(staff_with_model_permissions(Practitioner, role=RoleCode.INFORMATION_GOVERNANCE))
    assert client.get("/admin/accounts/practitioner/").status_code == 403
