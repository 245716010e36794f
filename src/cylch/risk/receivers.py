"""Incremental evaluation: when something lands that a rule may look at, the risk factors it shows are recorded,
the Was Not Brought protocol is checked and the rules run, for the people it is about, once the write commits
(so a rolled-back write raises nothing, and the writer never waits on a failing rule).

Concerns, threshold decisions and agency feeds write their chronology events in bulk (no post_save for each), so
their own post_save, or the feeds' `events_recorded`, names the people instead. A practitioner's write is evaluated
as it commits. A fed batch is handed to the worker (`tasks.people_evaluate_task`), queued in the batch's own
transaction: the queue is in the same database, so the task commits or rolls back with the events, and an agency's
nightly file is not held up evaluating each chunk's thousand people (its alerts arrive within the worker's poll).
A household move can complete a household pattern (an adult joining), and a registration can make a child a
subject. A rule or version saved (or a migration or flush) makes the evaluations read the live rules again
(`services.live_versions` keeps them).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_migrate, post_save
from django.dispatch import receiver

from cylch.chronology.models import ChronologyEvent
from cylch.concerns.models import Concern, ThresholdDecision
from cylch.feeds.signals import events_recorded
from cylch.people.models import HouseholdMembership, StatutoryStatus
from cylch.risk.models import RiskRule, RiskRuleVersion
from cylch.risk.services import live_rules_forget, people_evaluate
from cylch.risk.tasks import people_evaluate_task


def _evaluate_after_commit(people: Iterable[int] | None = None, *, concern_id: int | None = None) -> None:
    def run() -> None:
        ids = list(people or [])
        if concern_id is not None:
            ids += Concern.objects.filter(pk=concern_id).values_list("subjects__person_id", flat=True)
        people_evaluate([pk for pk in ids if pk is not None])

    transaction.on_commit(run)


@receiver(post_save, sender=ChronologyEvent, dispatch_uid="risk-event-landed")
def event_landed(sender: type[ChronologyEvent], instance: ChronologyEvent, created: bool, **kwargs: Any) -> None:
    if created and not kwargs.get("raw"):
        _evaluate_after_commit([instance.person_id])


@receiver(events_recorded, dispatch_uid="risk-events-fed")
def events_fed(sender: type[ChronologyEvent], person_ids: Iterable[int], **kwargs: Any) -> None:
    """An agency's feed inserts its events in bulk and names their people: they are queued for the worker in the
    feed's transaction (nothing is queued if the batch rolls back; nothing is lost if it commits)."""
    ids = sorted({pk for pk in person_ids if pk is not None})
    if ids:
        people_evaluate_task.enqueue(ids)


@receiver(post_save, sender=Concern, dispatch_uid="risk-concern-raised")
def concern_raised(sender: type[Concern], instance: Concern, created: bool, **kwargs: Any) -> None:
    if created and not kwargs.get("raw"):
        _evaluate_after_commit(concern_id=instance.pk)


@receiver(post_save, sender=ThresholdDecision, dispatch_uid="risk-threshold-decided")
def threshold_decided(sender: type[ThresholdDecision], instance: ThresholdDecision, **kwargs: Any) -> None:
    if not kwargs.get("raw"):
        _evaluate_after_commit(concern_id=instance.concern_id)


@receiver(post_save, sender=HouseholdMembership, dispatch_uid="risk-household-changed")
@receiver(post_save, sender=StatutoryStatus, dispatch_uid="risk-status-changed")
def person_changed(sender: type[Any], instance: HouseholdMembership | StatutoryStatus, **kwargs: Any) -> None:
    if not kwargs.get("raw"):
        _evaluate_after_commit([instance.person_id])


@receiver(post_save, sender=RiskRule, dispatch_uid="risk-rule-saved")
@receiver(post_save, sender=RiskRuleVersion, dispatch_uid="risk-rule-version-saved")
@receiver(post_delete, sender=RiskRule, dispatch_uid="risk-rule-deleted")
@receiver(post_delete, sender=RiskRuleVersion, dispatch_uid="risk-rule-version-deleted")
@receiver(post_migrate, dispatch_uid="risk-rules-migrated")  # also sent when a database is flushed
def rules_changed(sender: Any, **kwargs: Any) -> None:
    """The live rules kept between evaluations are read again (services.live_versions)."""
    live_rules_forget()
