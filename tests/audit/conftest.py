"""Audit tests: their own anchor file, and a way to simulate someone who switched the append-only triggers off."""

from __future__ import annotations

import pytest
from django.test import override_settings

from tests.audit.tampering import audit_triggers_disabled


@pytest.fixture(autouse=True)
def _anchor_file_per_test(tmp_path):
    """The worker's anchor file lives under VAR_DIR; each test gets an empty one."""
    with override_settings(VAR_DIR=tmp_path):
        yield


@pytest.fixture
def tamper():
    return audit_triggers_disabled
