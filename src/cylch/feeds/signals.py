"""What the feeds announce: events inserted in bulk send no `post_save` each, so they are named here instead
(after the insert, inside its transaction), for whatever reacts to new events (e.g. cumulative risk, on commit)."""

from django.dispatch import Signal

# Sent with sender=ChronologyEvent and `person_ids`: the people whose chronology the bulk insert added to.
events_recorded = Signal()
