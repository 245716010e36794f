"""AccessGrant moved from the audit app to the access app without touching its table: rows written before the
move are read after it, on SQLite and PostgreSQL alike."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from cylch.access.models import AccessGrant, GrantKind
from tests.factories import PersonFactory, PractitionerFactory

BEFORE = [("audit", "0006_unsealed_index"), ("access", None)]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state([node for node in targets if node[1] is not None]).apps


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_a_grant_made_before_the_move_is_read_after_it():
    person, practitioner = PersonFactory(), PractitionerFactory()
    old_apps = _migrate(BEFORE)
    OldGrant = old_apps.get_model("audit", "AccessGrant")
    old = OldGrant.objects.create(
        person_id=person.pk, practitioner_id=practitioner.pk, kind=GrantKind.BREAK_GLASS, reason="Seen out of hours"
    )
    _migrate(_latest())
    grant = AccessGrant.objects.get(pk=old.pk)
    assert (grant.person_id, grant.practitioner_id, grant.reason) == (person.pk, practitioner.pk, "Seen out of hours")
    assert AccessGrant._meta.db_table == "audit_accessgrant"
