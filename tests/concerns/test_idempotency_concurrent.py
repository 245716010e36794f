"""Concurrent retries of one submission store exactly one concern (PostgreSQL: real concurrent transactions)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from cylch.concerns.models import Concern
from cylch.concerns.services import concern_submit
from tests.concerns.conftest import make_input
from tests.factories import AgencyFactory, PractitionerFactory

RETRIES = 8


@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_with_one_key_store_one_concern():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises all writers, so it cannot exercise concurrent transactions")
    submitter = PractitionerFactory(agency=AgencyFactory())
    barrier = threading.Barrier(RETRIES)
    references: list[str] = []
    errors: list[BaseException] = []

    def submit() -> None:
        try:
            barrier.wait()
            result = concern_submit(submitter=submitter, data=make_input(), idempotency_key="double-click")
            references.append(result.concern.reference)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(RETRIES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(set(references)) == 1
    assert Concern.objects.count() == 1
