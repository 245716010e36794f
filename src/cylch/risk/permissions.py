"""Who may change rules and act on alerts (the role sets themselves are in `cylch.accounts.permissions`)."""

from __future__ import annotations

from cylch.accounts.models import Practitioner, RoleCode
from cylch.accounts.permissions import does_casework, is_board_officer, is_front_door
from cylch.risk.models import Alert


def can_edit_rules(user: Practitioner) -> bool:
    """Rules are the board's: the board officer writes them and tries them before they go live."""
    return is_board_officer(user)


def can_act_on_alert(user: Practitioner, alert: Alert) -> bool:
    """The front door always (it owns alerts by default and triages anyone); else a casework practitioner of the
    owning agency."""
    if is_front_door(user):
        return True
    return alert.owner_agency_id is not None and alert.owner_agency_id == user.agency_id and does_casework(user)


def can_see_dashboard(user: Practitioner) -> bool:
    """The partnership's figures (no one named): the front-door manager and the board officer."""
    return is_board_officer(user) or (user.is_active and user.has_role(RoleCode.FRONT_DOOR_MANAGER))
