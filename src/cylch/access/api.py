"""What the API shows of a person the caller may not open: that agencies hold information, and whom to contact.

The person API and the match API both answer with this shape for a restricted record, so the two cannot
drift apart and neither says more than the rule allows.
"""

from __future__ import annotations

from typing import Any

from cylch.access.selectors import AgencyContact
from cylch.people.models import Person


def contacts_data(contacts: list[AgencyContact]) -> list[dict[str, Any]]:
    return [
        {
            "agency": c.agency.name,
            "role": c.role,
            "phone": c.agency.phone,
            "email": c.agency.email,
            "practitioner": c.practitioner.get_full_name() if c.practitioner else None,
        }
        for c in contacts
    ]


def restricted_record_data(person: Person, contacts: list[AgencyContact]) -> dict[str, Any]:
    """A person's Cylch ID, whether other agencies hold information, and whom to contact: nothing more."""
    return {
        "cylch_id": person.cylch_id,
        "detail_allowed": False,
        "other_agencies_hold_information": bool(contacts),
        "contacts": contacts_data(contacts),
    }
