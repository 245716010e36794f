"""The unsigned SHA-256 chain of migration 0002, frozen here so migrations 0002 and 0004 keep working.

Migration 0004 checks it before re-signing the entries, so it never turns an entry tampered with
under the old chain into a signed one.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from typing import Any

GENESIS_HASH = "0" * 64


def legacy_hash(entry: Any, previous_hash: str) -> str:
    """SHA-256 over the entry's fields (as they were in 0002) and its predecessor's hash."""
    at = entry.at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    canonical = json.dumps(
        [
            entry.sequence,
            entry.practitioner_id,
            entry.roles,
            entry.agency_id,
            entry.person_id,
            entry.action,
            entry.page,
            entry.outcome,
            entry.reason,
            entry.path,
            entry.ip_address,
            entry.details,
            at,
        ],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=True,
    )
    return hashlib.sha256(f"{previous_hash}|{canonical}".encode()).hexdigest()
