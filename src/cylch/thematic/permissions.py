"""Who may code reviews and run the thematic analysis (the role sets themselves are in `cylch.accounts.permissions`)."""

from __future__ import annotations

from cylch.accounts.models import Practitioner
from cylch.accounts.permissions import is_administrator, is_board_officer


def can_analyse_reviews(user: Practitioner) -> bool:
    """Practice reviews are the board's: its officers code, import and analyse them (administrators too, who set
    the service up for them). Casework roles have no part in it."""
    return is_board_officer(user) or is_administrator(user)
