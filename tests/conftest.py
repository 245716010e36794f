"""Project-wide pytest set-up."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.utils import translation

PLAIN_STATIC = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


@pytest.fixture(autouse=True, scope="session")
def _plain_static_files():
    """Tests render templates without needing `collectstatic`'s manifest first."""
    with override_settings(STORAGES=PLAIN_STATIC):
        yield


@pytest.fixture(autouse=True)
def _english_by_default():
    """Tests assert on English text unless they switch language themselves."""
    with translation.override("en"):
        yield
