"""Recommendations and their actions: tied to a finding with an owner; the owning agency updates its own; only
the board closes one, with evidence of completion and impact; overdue actions are chased, then escalated."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cylch.accounts.models import RoleCode
from cylch.notifications.models import Notification
from cylch.reviews.chasing import actions_chase
from cylch.reviews.models import ActionStatus, Recommendation
from cylch.reviews.selectors import action_get, agency_actions
from cylch.reviews.services import action_sign_off, action_update, recommendation_add
from tests.factories import AgencyFactory, PractitionerFactory
from tests.reviews.factories import action_make, board_officer, finding_make, recommendation_make, review_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    board = board_officer()
    review = review_make(board)
    owner = AgencyFactory(local_authority=review.local_authority)
    recommendation = recommendation_make(board, review, owner=owner)
    action = action_make(board, recommendation)
    return board, review, owner, action


def test_a_recommendation_with_no_finding_is_refused():
    board = board_officer()
    review = review_make(board)
    with pytest.raises(ValidationError) as excinfo:
        recommendation_add(
            review=review,
            user=board,
            finding=None,
            text="x",
            level="local",
            owner_agency=AgencyFactory(),
            intended_outcome="y",
        )
    assert "finding" in excinfo.value.message_dict
    assert not Recommendation.objects.exists()


def test_a_recommendation_with_no_owner_is_refused():
    board = board_officer()
    review = review_make(board)
    with pytest.raises(ValidationError) as excinfo:
        recommendation_add(
            review=review,
            user=board,
            finding=finding_make(board, review),
            text="x",
            level="local",
            owner_agency=None,
            intended_outcome="y",
        )
    assert "owner_agency" in excinfo.value.message_dict


def test_a_finding_of_another_review_is_refused():
    board = board_officer()
    review, other = review_make(board), review_make(board)
    with pytest.raises(ValidationError) as excinfo:
        recommendation_make(board, review, finding=finding_make(board, other))
    assert "finding" in excinfo.value.message_dict


def test_an_action_takes_its_recommendations_owner_unless_told_otherwise(plan):
    _board, _review, owner, action = plan
    assert action.owner_agency == owner


def test_the_owning_agency_updates_its_action(plan):
    _board, _review, owner, action = plan
    practitioner = PractitionerFactory(agency=owner)
    action_update(
        action=action, user=practitioner, status="in_progress", evidence_of_completion="", evidence_of_impact=""
    )
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS
    assert action.updated_by == practitioner


def test_another_agency_cannot_update_it(plan):
    _board, _review, _owner, action = plan
    with pytest.raises(PermissionDenied):
        action_update(
            action=action,
            user=PractitionerFactory(),
            status="completed",
            evidence_of_completion="done",
            evidence_of_impact="",
        )
    action.refresh_from_db()
    assert action.status == ActionStatus.NOT_STARTED


def test_an_agency_cannot_close_its_own_action(plan):
    _board, _review, owner, action = plan
    with pytest.raises(ValidationError) as excinfo:
        action_update(
            action=action,
            user=PractitionerFactory(agency=owner),
            status="closed",
            evidence_of_completion="done",
            evidence_of_impact="better",
        )
    assert "status" in excinfo.value.message_dict


def test_completed_needs_evidence_of_completion(plan):
    _board, _review, owner, action = plan
    with pytest.raises(ValidationError) as excinfo:
        action_update(
            action=action,
            user=PractitionerFactory(agency=owner),
            status="completed",
            evidence_of_completion=" ",
            evidence_of_impact="",
        )
    assert "evidence_of_completion" in excinfo.value.message_dict


def _complete(action, owner, impact="Audit: 18 of 20 shared"):
    action_update(
        action=action,
        user=PractitionerFactory(agency=owner),
        status="completed",
        evidence_of_completion="Protocol issued 1 May",
        evidence_of_impact=impact,
    )


def test_the_board_signs_off_a_completed_action_with_evidence_of_impact(plan):
    board, _review, owner, action = plan
    _complete(action, owner)
    closed = action_sign_off(action=action, user=board)
    assert closed.status == ActionStatus.CLOSED
    assert closed.closed_by == board
    assert closed.closed_at is not None


def test_the_board_cannot_sign_off_without_evidence_of_impact(plan):
    board, _review, owner, action = plan
    _complete(action, owner, impact="")
    with pytest.raises(ValidationError) as excinfo:
        action_sign_off(action=action, user=board)
    assert "evidence_of_impact" in excinfo.value.message_dict


def test_the_board_cannot_sign_off_an_action_not_completed(plan):
    board, _review, _owner, action = plan
    with pytest.raises(ValidationError):
        action_sign_off(action=action, user=board)


def test_the_owning_agency_cannot_sign_off(plan):
    _board, _review, owner, action = plan
    _complete(action, owner)
    with pytest.raises(PermissionDenied):
        action_sign_off(action=action, user=PractitionerFactory(agency=owner))


def test_a_closed_action_cannot_be_changed_again(plan):
    board, _review, owner, action = plan
    _complete(action, owner)
    action_sign_off(action=action, user=board)
    with pytest.raises(PermissionDenied):
        action_update(
            action=action,
            user=PractitionerFactory(agency=owner),
            status="in_progress",
            evidence_of_completion="",
            evidence_of_impact="",
        )


def test_an_agency_sees_only_its_own_actions(plan):
    board, review, owner, action = plan
    other = AgencyFactory(local_authority=review.local_authority)
    theirs = action_make(board, recommendation_make(board, review, owner=other))
    mine = PractitionerFactory(agency=owner)
    assert list(agency_actions(user=mine)) == [action]
    assert action_get(user=mine, pk=action.pk) == action
    with pytest.raises(type(action).DoesNotExist):
        action_get(user=mine, pk=theirs.pk)


def _at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(9), tzinfo=ZoneInfo("Europe/London"))


def test_an_action_is_not_chased_on_its_due_date(plan):
    _board, _review, _owner, action = plan
    assert actions_chase(now=_at(action.due_on)).chased == 0


def test_an_overdue_action_is_chased_once_with_its_agency(plan):
    _board, _review, owner, action = plan
    result = actions_chase(now=_at(action.due_on + datetime.timedelta(days=1)))
    assert result.chased == 1
    again = actions_chase(now=_at(action.due_on + datetime.timedelta(days=2)))
    assert again.chased == 0
    [message] = Notification.objects.filter(template="review_action_chase")
    assert message.email == owner.email
    assert action.recommendation.review.code in message.subject


def test_a_completed_action_waiting_for_sign_off_is_not_chased(plan):
    _board, _review, owner, action = plan
    _complete(action, owner)
    assert actions_chase(now=_at(action.due_on + datetime.timedelta(days=30))).chased == 0


def test_an_action_still_overdue_after_10_working_days_is_escalated_to_the_board(plan):
    board, _review, _owner, _action = plan
    # due Monday 30 June 2025; the 10th working day after is Monday 14 July
    assert actions_chase(now=_at(datetime.date(2025, 7, 11))).escalated == 0
    assert actions_chase(now=_at(datetime.date(2025, 7, 14))).escalated == 1
    assert actions_chase(now=_at(datetime.date(2025, 7, 15))).escalated == 0
    [message] = Notification.objects.filter(template="review_action_escalation")
    assert message.recipient == board


def test_escalation_goes_to_the_board_officers_of_the_reviews_region_only(plan):
    board, _review, _owner, _action = plan
    PractitionerFactory(roles=[RoleCode.BOARD_OFFICER])  # another region's
    actions_chase(now=_at(datetime.date(2025, 8, 1)))
    assert [n.recipient for n in Notification.objects.filter(template="review_action_escalation")] == [board]


def test_escalation_counts_working_days_past_a_bank_holiday():
    board = board_officer()
    review = review_make(board)
    # due Friday 22 August 2025; Monday 25 August is a bank holiday, so the 10th working day is Monday 8 September
    action = action_make(board, recommendation_make(board, review), due_on=datetime.date(2025, 8, 22))
    assert actions_chase(now=_at(datetime.date(2025, 9, 5))).escalated == 0
    assert actions_chase(now=_at(datetime.date(2025, 9, 8))).escalated == 1
    action.refresh_from_db()
    assert action.escalated_at is not None


def test_the_worker_queues_the_chase_once():
    from django_tasks_db.models import DBTaskResult

    from cylch.core.periodic import periodic_start_all
    from cylch.reviews.tasks import action_chase_task

    periodic_start_all()
    periodic_start_all()
    assert DBTaskResult.objects.filter(task_path=action_chase_task.module_path, status="READY").count() == 1


def test_the_chase_task_chases_and_queues_its_next_run(plan):
    from django_tasks_db.models import DBTaskResult

    from cylch.reviews.tasks import action_chase_task

    _board, _review, _owner, action = plan
    assert action.due_on < datetime.date.today()  # noqa: DTZ011 - the plan's due date is long past on any clock
    assert action_chase_task.call() == {"chased": 1, "escalated": 1}
    assert DBTaskResult.objects.filter(task_path=action_chase_task.module_path, status="READY").count() == 1
