"""Who may do what with reviews: the board runs the register; an agency sees and updates only its own actions.

Practitioners without a board role see nothing of a review (its incident, checklist, library) except the actions
their agency owns, in their work list, with the recommendation each serves.
"""

from __future__ import annotations

from cylch.accounts.models import Practitioner
from cylch.accounts.permissions import is_board_officer
from cylch.reviews.models import Action


def can_run_reviews(user: Practitioner) -> bool:
    """The register, the checklist, recommendations, the library, the figures and signing off actions."""
    return is_board_officer(user)


def owns_action(user: Practitioner, action: Action) -> bool:
    """An active practitioner of the agency that owns the action."""
    return user.is_active and user.agency_id is not None and user.agency_id == action.owner_agency_id


def can_update_action(user: Practitioner, action: Action) -> bool:
    """The owning agency records progress and evidence; the board may correct it; a closed action is final."""
    return action.is_open and (owns_action(user, action) or can_run_reviews(user))
