"""`cylch check --deploy` warns while the session and CSRF signing key is the development one from settings.py:
it is in the public source, so anyone could forge a session cookie. Django's own check misses it (it is long)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Warning

DEVELOPMENT_SECRET_KEY_IN_USE = Warning(
    "CYLCH_SECRET_KEY is not set, so sessions are signed with the development key published in the source.",
    hint="Set CYLCH_SECRET_KEY to a long random secret (for example python3 -c 'import secrets; "
    "print(secrets.token_urlsafe(64))'), kept out of the source and the database.",
    id="cylch.core.W001",
)


def secret_key_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    return [DEVELOPMENT_SECRET_KEY_IN_USE] if settings.SECRET_KEY == settings.DEVELOPMENT_SECRET_KEY else []
