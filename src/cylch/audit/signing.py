"""The audit log's secret: every entry, every link of the chain and its anchors carry an HMAC under it.

The key lives outside the database (`CYLCH_AUDIT_KEY`), so someone who can write to the database but
does not hold the key can neither sign a forged entry nor recompute the chain over an edited one.
Without the setting the key is derived from SECRET_KEY (development only; `cylch check --deploy` warns).

Rotation: put the new key in `CYLCH_AUDIT_KEY` and the old one in `CYLCH_AUDIT_RETIRED_KEYS` (comma-separated).
Everything is signed with the current key from then on; what was signed before still verifies under the
retired key, so the chain stays whole across the change. A retired key that may have leaked is not safe to
keep listed: whoever holds it could sign a forgery that verifies.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings

KEY_SETTING = "CYLCH_AUDIT_KEY"
RETIRED_KEYS_SETTING = "CYLCH_AUDIT_RETIRED_KEYS"


def audit_key_is_default() -> bool:
    return not getattr(settings, KEY_SETTING, "")


def audit_key() -> bytes:
    configured = str(getattr(settings, KEY_SETTING, ""))
    if configured:
        return configured.encode()
    return hashlib.sha256(b"cylch.audit|" + str(settings.SECRET_KEY).encode()).digest()


def audit_retired_keys() -> list[bytes]:
    return [key.strip().encode() for key in getattr(settings, RETIRED_KEYS_SETTING, []) if key.strip()]


def _message(purpose: str, parts: tuple[object, ...]) -> bytes:
    return "|".join([purpose, *(str(part) for part in parts)]).encode()


def audit_sign(purpose: str, *parts: object) -> str:
    """HMAC-SHA256 of `parts` for one `purpose` (so a signature for one thing is never valid for another)."""
    return hmac.new(audit_key(), _message(purpose, parts), hashlib.sha256).hexdigest()


def audit_signature_valid(signature: str, purpose: str, *parts: object) -> bool:
    """Signed with the current key or a retired one (the current key is tried first: nearly always the one)."""
    if hmac.compare_digest(signature, audit_sign(purpose, *parts)):
        return True
    message = _message(purpose, parts)
    return any(
        hmac.compare_digest(signature, hmac.new(key, message, hashlib.sha256).hexdigest())
        for key in audit_retired_keys()
    )
