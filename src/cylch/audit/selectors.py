"""Whether the audit chain is intact (information governance). Who has seen a record is read through
`cylch.access.selectors`, since that page names a person."""

from __future__ import annotations

from cylch.accounts.models import Practitioner
from cylch.accounts.permissions import can_verify_audit_chain
from cylch.audit.chain import ChainReport, chain_verify


def audit_chain_check(*, user: Practitioner) -> ChainReport | None:
    """Walk the whole hash chain (information governance only); None when the user may not."""
    if not can_verify_audit_chain(user):
        return None
    return chain_verify()
