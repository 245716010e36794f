"""The facts agencies record about a person, written one way whoever sends them.

Each service validates (a django ValidationError naming the field), writes inside a transaction, stamps the fact
with the agency, the practitioner or system account and the time (provenance), and puts the change on the audit
chain with that account in the same transaction. `recorded_by` / `opened_by` / `closed_by` is None only for the
system itself (a bulk file loaded by an operator on an agency's behalf).

Two agencies' accounts are never overwritten by one another: a different current address, or "moved out" said of
a membership another agency recorded, is kept beside the first account and flagged (`HouseholdDisagreement`) for
the lead practitioner; so is a different relationship between the same two people, or "it ended" said of another
agency's relationship (`RelationshipDisagreement`). The front door and lead practitioners arbitrate: their changes
stand, and they settle disagreements (`disagreement_resolve`).

One module per kind of fact (`events`, `involvements`, `households`, `relationships`, `statuses`), with
`disagreements` and `common` (ending a dated fact) shared, re-exported here; `intake` carries agency systems'
feed items (the API and bulk files) through them.
"""

from cylch.feeds.services.disagreements import disagreement_resolve
from cylch.feeds.services.events import chronology_event_errors, chronology_event_record
from cylch.feeds.services.households import household_membership_end, household_membership_record
from cylch.feeds.services.involvements import involvement_close, involvement_open
from cylch.feeds.services.relationships import relationship_end, relationship_record
from cylch.feeds.services.statuses import statutory_status_end, statutory_status_start

__all__ = [
    "chronology_event_errors",
    "chronology_event_record",
    "disagreement_resolve",
    "household_membership_end",
    "household_membership_record",
    "involvement_close",
    "involvement_open",
    "relationship_end",
    "relationship_record",
    "statutory_status_end",
    "statutory_status_start",
]
