"""Writing audit entries directly onto the chain, for the audit app's own tests of the chain and its triggers.

Application code writes read entries only through `cylch.access.reads`; these tests exercise the chain
underneath it, so they build rows the way that module does.
"""

from __future__ import annotations

from cylch.audit.chain import chain_append
from cylch.audit.models import AccessLogEntry, AuditAction
from cylch.audit.services import access_log_entry


def access_log_record(*, practitioner, person, page, outcome) -> AccessLogEntry:
    entry = access_log_entry(
        practitioner=practitioner, person=person, page=page, outcome=outcome, action=AuditAction.VIEW, request=None
    )
    return chain_append([entry])[0]


def access_log_record_many(*, practitioner, people, page, outcome_for) -> None:
    chain_append(
        [
            access_log_entry(
                practitioner=practitioner,
                person=person,
                page=page,
                outcome=outcome_for[person.pk],
                action=AuditAction.SEARCH,
                request=None,
            )
            for person in people
        ]
    )
