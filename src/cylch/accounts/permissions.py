"""Roles and what each may do, in one place: views, selectors, navigation and the API all ask here.

The role sets below are the only definitions of who belongs to which group, so a role table in the README,
a menu link and the check behind the page cannot drift apart. Whose *record* a practitioner may see is a
separate question, answered by the need-to-know rule in `cylch.access.rule` (which uses these sets).

Decisions pinned by `tests/access/test_access_matrix.py`:
- the front door and its managers see every child's detail (they triage anyone referred);
- casework roles (agency practitioner, front door, lead practitioner) see detail through their agency's
  involvement; oversight roles (board officer, information governance, administrator) do not, even when their
  agency is children's services: they see figures, who looked, and the service's settings, not children's
  records (a board role sees detail only where a region configures it in `CYLCH_FULL_VIEW_ROLES`);
- only information governance reads access logs, verifies the audit chain and answers subject access requests;
- only front-door managers review possible matches, merge, unmerge and resolve challenges;
- only system accounts send agencies' source records (an ordinary practitioner could probe dates of birth).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from cylch.accounts.models import AgencyKind, Practitioner, RoleCode
from cylch.accounts.scopes import SCOPES, SYSTEM_SCOPES

FRONT_DOOR_ROLES = frozenset({RoleCode.FRONT_DOOR, RoleCode.FRONT_DOOR_MANAGER})
# Roles whose work is children's cases: their agency's involvement with a child lets them see the child.
CASEWORK_ROLES = frozenset({RoleCode.AGENCY_PRACTITIONER, RoleCode.LEAD_PRACTITIONER, *FRONT_DOOR_ROLES})
# Roles with a caseload on their home page: the children their agency works with.
CASELOAD_ROLES = frozenset({RoleCode.AGENCY_PRACTITIONER, RoleCode.LEAD_PRACTITIONER})
INFORMATION_GOVERNANCE_ROLES = frozenset({RoleCode.INFORMATION_GOVERNANCE})
MATCH_REVIEW_ROLES = frozenset({RoleCode.FRONT_DOOR_MANAGER})
BOARD_ROLES = frozenset({RoleCode.BOARD_OFFICER})
ADMINISTRATOR_ROLES = frozenset({RoleCode.ADMINISTRATOR})


def _has_any(user: Practitioner, roles: frozenset[RoleCode]) -> bool:
    return user.is_active and bool(user.role_codes() & roles)


def full_view_roles() -> frozenset[str]:
    """The front door's roles plus the board roles a region configures (e.g. 'board_officer')."""
    configured = getattr(settings, "CYLCH_FULL_VIEW_ROLES", ())
    return FRONT_DOOR_ROLES | frozenset(str(code) for code in configured)


def is_front_door(user: Practitioner) -> bool:
    """The front door and its managers: the queue, triage, decisions and the metrics."""
    return _has_any(user, FRONT_DOOR_ROLES)


def can_read_front_door_figures(user: Practitioner) -> bool:
    """The front door's figures name nobody: the board reads them too, to assure the partnership (the 12Cs)."""
    return _has_any(user, FRONT_DOOR_ROLES | BOARD_ROLES)


def sees_everyone(user: Practitioner) -> bool:
    """Whether a role alone lets `user` see every record's detail (the front door, configured board roles)."""
    return user.is_active and bool(user.role_codes() & full_view_roles())


def does_casework(user: Practitioner) -> bool:
    """Whether an involvement of the user's agency lets them see a child (see the module docstring)."""
    return _has_any(user, CASEWORK_ROLES)


def can_record_events(user: Practitioner) -> bool:
    """A casework practitioner adds to the chronology of a child their agency works with (the involvement is
    checked per child by `cylch.records.selectors.changes`)."""
    return does_casework(user) and user.agency_id is not None


def can_edit_households(user: Practitioner) -> bool:
    """Households and relationships on the web are for the front door and lead practitioners, who arbitrate
    between agencies' accounts (`cylch.feeds.services.households`)."""
    return _has_any(user, FRONT_DOOR_ROLES | {RoleCode.LEAD_PRACTITIONER})


def can_record_statuses(user: Practitioner) -> bool:
    """The register and care are the local authority's decisions: its children's services' casework
    practitioners record them."""
    return does_casework(user) and user.agency is not None and user.agency.kind == AgencyKind.CHILDRENS_SERVICES


def has_caseload(user: Practitioner) -> bool:
    return _has_any(user, CASELOAD_ROLES)


def is_board_officer(user: Practitioner) -> bool:
    return _has_any(user, BOARD_ROLES)


def is_administrator(user: Practitioner) -> bool:
    return _has_any(user, ADMINISTRATOR_ROLES)


def can_read_access_log(user: Practitioner) -> bool:
    """Who has opened a person's record is for information governance (inspection, complaints, subject access)."""
    return _has_any(user, INFORMATION_GOVERNANCE_ROLES)


def can_export_subject_access(user: Practitioner) -> bool:
    """Only information governance answers a subject access request (everything held on one person)."""
    return _has_any(user, INFORMATION_GOVERNANCE_ROLES)


def can_verify_audit_chain(user: Practitioner) -> bool:
    return _has_any(user, INFORMATION_GOVERNANCE_ROLES)


def can_review_matches(user: Practitioner) -> bool:
    """Comparing two records side by side shows both in full and a merge changes which record holds a child's
    history, so the match-review queue, merges and unmerges are for front-door managers."""
    return _has_any(user, MATCH_REVIEW_ROLES)


def can_resolve_challenges(user: Practitioner) -> bool:
    """A challenge to a threshold decision is resolved by a manager, not by the team that decided."""
    return _has_any(user, frozenset({RoleCode.FRONT_DOOR_MANAGER}))


def can_send_source_records(user: Practitioner) -> bool:
    """Sending a record creates or links a person and answers with their Cylch ID, which would let a person try
    dates of birth against a child they may not see; so only an agency's system account may (with a token
    holding `source-records:write`)."""
    return user.is_active and user.is_system_account


def may_hold_scope(user: Practitioner, scope: str) -> bool:
    """Whether a token of `user` may carry `scope`: any known scope, but the system scopes only for system
    accounts."""
    return scope in SCOPES and (scope not in SYSTEM_SCOPES or user.is_system_account)


def two_factor_satisfied(request: HttpRequest) -> bool:
    """Whether a signed-in session has passed its second factor (django-otp's middleware marks the user verified
    once a code from one of their confirmed devices was accepted), or two-factor sign-in is switched off."""
    if not settings.CYLCH_REQUIRE_TWO_FACTOR:
        return True
    is_verified = getattr(request.user, "is_verified", None)
    return bool(is_verified is not None and is_verified())


def practitioner_of(request: HttpRequest) -> Practitioner:
    """The practitioner behind a request that has passed sign-in (the middleware or the API's permission class);
    anything else is a wiring fault, not a user error."""
    user = request.user
    if not isinstance(user, Practitioner) or not user.is_authenticated:
        raise TypeError("practitioner_of() needs a signed-in practitioner; is the view missing its sign-in check?")
    return user
