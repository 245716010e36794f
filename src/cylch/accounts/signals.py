"""Signals the accounts app sends for others to hear.

The audit app sits above accounts and cannot be called from here, so a token's issue, rotation and revocation
reach the audit chain through `api_token_changed` (connected in `AuditConfig.ready`), as failed sign-ins do
through Django's own signal. Sent inside the service's transaction: if the audit entry fails, nothing changes.
"""

from __future__ import annotations

from django.dispatch import Signal

# Sent with `token` (the ApiToken) and `change`: "issued", "rotated" (sent for the new token, with `replaces`,
# the old one) or "revoked".
api_token_changed = Signal()
