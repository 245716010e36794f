"""The audit log's secret: every entry, every link of the chain and its anchors carry an HMAC under it.

The key lives outside the database (`CYLCH_AUDIT_KEY`), so someone who can write to the database but
does not hold the key can neither sign a forged entry nor recompute the chain over an edited one.
Without the setting the key is derived from SECRET_KEY (development only; `cylch check --deploy` warns).
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings

KEY_SETTING = "CYLCH_AUDIT_KEY"


def audit_key_is_default() -> bool:
    return not getattr(settings, KEY_SETTING, "")


def audit_key() -> bytes:
    configured = str(getattr(settings, KEY_SETTING, ""))
    if configured:
        return configured.encode()
    return hashlib.sha256(b"cylch.audit|" + str(settings.SECRET_KEY).encode()).digest()


def audit_sign(purpose: str, *parts: object) -> str:
    """HMAC-SHA256 of `parts` for one `purpose` (so a signature for one thing is never valid for another)."""
    message = "|".join([purpose, *(str(part) for part in parts)]).encode()
    return hmac.new(audit_key(), message, hashlib.sha256).hexdigest()


def audit_signature_valid(signature: str, purpose: str, *parts: object) -> bool:
    return hmac.compare_digest(signature, audit_sign(purpose, *parts))
