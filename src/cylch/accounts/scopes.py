"""What an API token may be used for: the one list of scopes. A capability that adds endpoints adds its scopes
here, and each endpoint names the scope it needs (`required_scopes`, checked by `TokenHasScope`).

A session (a practitioner signed in on the web) is not limited by scopes, only by the role rules in
`cylch.accounts.permissions`; a token is limited by both."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

CONCERNS_READ = "concerns:read"
CONCERNS_WRITE = "concerns:write"
PERSONS_READ = "persons:read"
PERSONS_MATCH = "persons:match"
SOURCE_RECORDS_WRITE = "source-records:write"
APPOINTMENTS_WRITE = "appointments:write"
FLAGS_READ = "flags:read"
FEEDS_WRITE = "feeds:write"
REVIEWS_READ = "reviews:read"

SCOPES: dict[str, Promise] = {
    CONCERNS_READ: _("Read the concerns you raised"),
    CONCERNS_WRITE: _("Raise concerns"),
    PERSONS_READ: _("Read a person's record under need-to-know"),
    PERSONS_MATCH: _("Find candidate records for a described person"),
    SOURCE_RECORDS_WRITE: _("Send your agency's records of people (system accounts only)"),
    FEEDS_WRITE: _(
        "Send your agency's events, involvements, household memberships, relationships and statuses (system accounts"
        " only)"
    ),
    APPOINTMENTS_WRITE: _("Send appointments children were not brought to, as FHIR (system accounts only)"),
    FLAGS_READ: _("Read a child's safeguarding flags by NHS number, as FHIR"),
    REVIEWS_READ: _("Read practice reviews and action plans (the board's, or your agency's own actions)"),
}
# Scopes only a system account may hold: sending records, feeds or appointments creates and links people.
SYSTEM_SCOPES = frozenset({SOURCE_RECORDS_WRITE, FEEDS_WRITE, APPOINTMENTS_WRITE})
# What a practitioner's token could do before scopes existed; migrated tokens get exactly these. Fixed: a scope
# added later (reading FHIR flags) is granted when a token is created or rotated, never to every old token.
PRACTITIONER_SCOPES = frozenset({CONCERNS_READ, CONCERNS_WRITE, PERSONS_READ, PERSONS_MATCH})
