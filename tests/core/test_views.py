"""The health check load balancers probe, and the API documentation page."""

from __future__ import annotations

import datetime

import pytest
from django.db import OperationalError, connection
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cylch.audit.tasks import chain_seal_task
from tests.factories import PractitionerFactory

pytestmark = pytest.mark.django_db

MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture
def empty_queue():
    """Migrations and other tests may have queued periodic runs: each case starts from an empty queue."""
    DBTaskResult.objects.all().delete()


def _queued(*, waiting: datetime.timedelta, run_after: datetime.datetime | None = None) -> DBTaskResult:
    """A real task enqueued through the database backend, then aged by `waiting`."""
    task = chain_seal_task.using(run_after=run_after) if run_after else chain_seal_task
    result = DBTaskResult.objects.get(id=task.enqueue().id)
    DBTaskResult.objects.filter(id=result.id).update(enqueued_at=timezone.now() - waiting)
    return result


@pytest.mark.usefixtures("empty_queue")
def test_healthy_with_an_empty_queue_answers_anonymously_with_no_cookie(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "queue": {"status": "ok", "oldest_ready_seconds": None, "max_seconds": 600},
    }
    assert "Set-Cookie" not in response.headers


@pytest.mark.usefixtures("empty_queue")
def test_a_task_waiting_less_than_the_limit_is_healthy(client):
    _queued(waiting=2 * MINUTE)
    response = client.get("/health/")
    assert response.status_code == 200
    assert 119 <= response.json()["queue"]["oldest_ready_seconds"] <= 130


@pytest.mark.usefixtures("empty_queue")
def test_a_stale_queue_answers_503(client):
    _queued(waiting=MINUTE)
    _queued(waiting=11 * MINUTE)
    response = client.get("/health/")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["database"] == "ok"
    assert body["queue"]["status"] == "behind"
    assert body["queue"]["oldest_ready_seconds"] >= 660


@pytest.mark.usefixtures("empty_queue")
@override_settings(CYLCH_HEALTH_MAX_QUEUE_SECONDS=30)
def test_the_limit_is_a_setting(client):
    _queued(waiting=MINUTE)
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["queue"]["max_seconds"] == 30


@pytest.mark.usefixtures("empty_queue")
def test_a_task_scheduled_for_later_is_not_waiting_until_its_time(client):
    _queued(waiting=60 * MINUTE, run_after=timezone.now() + 5 * MINUTE)
    assert client.get("/health/").status_code == 200


@pytest.mark.usefixtures("empty_queue")
def test_a_scheduled_task_waits_from_its_run_after_not_from_when_it_was_queued(client):
    _queued(waiting=60 * MINUTE, run_after=timezone.now() - 2 * MINUTE)
    response = client.get("/health/")
    assert response.status_code == 200
    assert 119 <= response.json()["queue"]["oldest_ready_seconds"] <= 130
    _queued(waiting=60 * MINUTE, run_after=timezone.now() - 11 * MINUTE)
    assert client.get("/health/").status_code == 503


@pytest.mark.usefixtures("empty_queue")
def test_finished_tasks_do_not_count(client):
    result = _queued(waiting=60 * MINUTE)
    DBTaskResult.objects.filter(id=result.id).update(status="SUCCESSFUL", finished_at=timezone.now())
    assert client.get("/health/").status_code == 200


def test_an_unreachable_database_answers_503_without_the_error(client):
    def refuse(execute, sql, params, many, context):
        raise OperationalError("connection refused by db.internal:5432")

    with connection.execute_wrapper(refuse):
        response = client.get("/health/")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unreachable"}


@override_settings(SECURE_SSL_REDIRECT=True)
def test_the_health_check_answers_over_plain_http_when_every_page_redirects_to_https(client):
    assert client.get("/health/").status_code in (200, 503)
    assert client.get("/sign-in/").status_code == 301


def test_the_api_documentation_needs_sign_in(client):
    response = client.get("/api/docs/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def test_the_api_documentation_serves_redoc_for_the_schema_with_no_inline_script(client):
    client.force_login(PractitionerFactory())
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<redoc spec-url="/api/schema/">' in html
    assert "redoc.standalone.js" in html
    assert "<script>" not in html
    assert "<style" not in html
