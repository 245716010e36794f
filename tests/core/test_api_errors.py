"""The API's exception handler: a body over Django's size limit is a 413 naming the limit."""

from __future__ import annotations

import json

import pytest
from rest_framework.test import APIClient

from tests.factories import PractitionerFactory

pytestmark = pytest.mark.django_db


def test_a_body_over_the_size_limit_is_413(settings):
    api = APIClient()
    api.force_authenticate(PractitionerFactory())
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"what_happened": "x" * 1000})
    response = api.post("/api/v1/concerns", data=body, content_type="application/json")
    assert response.status_code == 413
    assert response.json() == {"detail": "The request body is larger than 1000 bytes."}
