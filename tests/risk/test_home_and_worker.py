"""The home page points alert owners at their work list, and the worker runs the rescan every night."""

from __future__ import annotations

from django_tasks_db.models import DBTaskResult

from cylch.accounts.models import AgencyKind, RoleCode
from cylch.chronology.models import EventKind
from cylch.core.periodic import periodic_start_all
from cylch.risk.models import Alert
from cylch.risk.services import risk_evaluate
from cylch.risk.tasks import rescan_task
from tests.factories import AgencyFactory, PractitionerFactory
from tests.risk.conftest import event

WNB = EventKind.WAS_NOT_BROUGHT


def test_the_front_door_sees_the_alerts_it_owns_on_the_home_page(client, baby, now_is_fixed):
    event(baby, WNB, days_ago=60)
    event(baby, WNB, days_ago=5)
    risk_evaluate(people=[baby.pk])
    client.force_login(
        PractitionerFactory(roles=[RoleCode.FRONT_DOOR], agency=AgencyFactory(kind=AgencyKind.CHILDRENS_SERVICES))
    )
    page = client.get("/").content.decode()
    assert "Your agency owns 1 open alert." in page
    assert 'href="/risk/alerts/"' in page


def test_a_practitioner_whose_agency_owns_nothing_sees_no_alerts_section(client, db):
    client.force_login(PractitionerFactory(agency=AgencyFactory(kind=AgencyKind.SCHOOL)))
    assert 'data-testid="risk-alerts"' not in client.get("/").content.decode()


def test_the_worker_schedules_the_rescan_once(db):
    periodic_start_all()
    periodic_start_all()
    assert DBTaskResult.objects.filter(task_path=rescan_task.module_path, status="READY").count() == 1


def test_the_rescan_task_raises_what_fired_and_queues_the_next_run(db, baby, now_is_fixed):
    event(baby, WNB, days_ago=60)
    event(baby, WNB, days_ago=5)
    assert rescan_task.call() == 1
    assert Alert.objects.filter(subjects__person=baby).exists()
    assert DBTaskResult.objects.filter(task_path=rescan_task.module_path, status="READY").exists()
