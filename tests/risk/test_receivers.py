"""Rules run when something lands, including events an agency's feed inserts in bulk."""

from __future__ import annotations

import datetime

from django.utils import timezone

from cylch.accounts.models import AgencyKind
from cylch.feeds.services.intake import feed_items_receive
from cylch.risk.models import Alert
from tests.factories import AgencyFactory, PersonFactory, SourceRecordFactory


def _missed(number: int, days_ago: int) -> tuple[str, dict[str, object]]:
    when = timezone.now() - datetime.timedelta(days=days_ago)
    return (
        "event",
        {
            "id": f"HB-{number}",
            "person": {"local_id": "H-19"},
            "kind": "was_not_brought",
            "occurred_at": when.isoformat(),
            "summary": "Not brought to the health visitor's review",
        },
    )


def test_events_fed_in_bulk_raise_an_alert_when_they_commit(db, django_capture_on_commit_callbacks):
    health = AgencyFactory(kind=AgencyKind.HEALTH_VISITING)
    baby = PersonFactory(date_of_birth=timezone.localdate() - datetime.timedelta(days=200))
    SourceRecordFactory(agency=health, local_id="H-19", person=baby)
    with django_capture_on_commit_callbacks(execute=True):
        feed_items_receive(agency=health, items=[_missed(1, days_ago=60), _missed(2, days_ago=3)])
    assert Alert.objects.filter(subjects__person=baby).exists()
