"""Guard: schemathesis sends every API operation in the OpenAPI description generated and mutated requests, in
process through the WSGI application, with a practitioner's token; no answer may be a 5xx, and every error is a 4xx.

The description is generated here rather than fetched, so the fuzz does not depend on how /api/schema/ is
guarded. Examples are bounded and derandomised, so a run takes seconds and repeats exactly.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error, status_code_conformance

from cylch.accounts.models import AgencyKind, RoleCode
from tests.factories import AgencyFactory, PractitionerFactory, api_key

schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
schema.app = get_wsgi_application()


@pytest.fixture
def connection_kept():
    """Keep the test's connection (and its transaction) across requests, as Django's test client does: the bare
    WSGI application closes a connection in a transaction when each request finishes."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token(connection_kept):
    council = AgencyFactory(kind=AgencyKind.CHILDRENS_SERVICES)
    return api_key(PractitionerFactory(roles=[RoleCode.FRONT_DOOR], agency=council))


@pytest.mark.slow
@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_api_input_gets_a_5xx_and_every_error_is_documented(case, token):
    response = case.call(headers={"Authorization": f"Token {token}"})
    case.validate_response(response, checks=[not_a_server_error, status_code_conformance])
