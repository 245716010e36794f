"""`cylch check --deploy` warns while the audit log is signed with the development key."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Warning

from cylch.audit.signing import KEY_SETTING, audit_key_is_default

DEFAULT_AUDIT_KEY = Warning(
    f"{KEY_SETTING} is not set, so the audit log is signed with a key derived from SECRET_KEY.",
    hint=f"Set {KEY_SETTING} to a long random secret kept outside the database and its backups, and never change "
    "it while the log holds entries signed with it.",
    id="cylch.audit.W001",
)


def audit_key_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    return [DEFAULT_AUDIT_KEY] if audit_key_is_default() else []
