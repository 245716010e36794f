"""Project-wide pytest set-up."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from tests.audit.tampering import audit_log_empty
from tests.factories import AuthenticatorFactory

# Property tests check what holds, not how fast: on a shared 2-core CI machine a 200 ms deadline fails at random.
hypothesis_settings.register_profile("cylch", deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("cylch")

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
def _force_login_passes_two_factor(monkeypatch):
    """`client.force_login` skips the sign-in pages, and so the second factor too: the session it signs in is
    also marked verified by an authenticator of the practitioner's, as if its code had been entered. Two-factor
    sign-in itself goes through the real pages in tests/accounts/test_two_factor.py."""
    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or AuthenticatorFactory(user=user)
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture(autouse=True)
def _english_by_default():
    """Tests assert on English text unless they switch language themselves."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _committed_audit_log_emptied(request):
    """Tests that commit (browser tests, concurrency) leave audit rows that Django's flush cannot remove: on
    SQLite the flush is a DELETE the append-only triggers refuse, on PostgreSQL a TRUNCATE that migration
    audit/0008 refuses while the tables hold rows. Empty them first, as an owner would.
    Runs before the flush because pytest-django's database fixtures are set up before this one."""
    yield
    marker = request.node.get_closest_marker("django_db")
    committed = (marker is not None and marker.kwargs.get("transaction")) or "transactional_db" in request.fixturenames
    if committed:
        audit_log_empty()
