"""Each measured fact against a hand-built region: two authorities of one region and one of another, concerns,
information requests, challenges, risk alerts and conferences in and around the period 1 April to 30 June 2025,
counted on 1 August 2025. The expected figures are worked out by hand beside each test (Easter Monday 21 April,
5 May and 26 May 2025 are bank holidays)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from cylch.accounts.models import AgencyKind
from cylch.assurance.facts import cycle_facts, facts_freeze, live_facts, visible_facts
from cylch.assurance.models import Component, MeasuredFact, PartnershipLevel
from cylch.concerns.metrics import front_door_metrics
from cylch.concerns.models import Challenge, ChallengeStatus, InformationRequest, ThresholdDecision
from cylch.concerns.services import DECISION_WORKING_DAYS, FEEDBACK_WORKING_DAYS
from cylch.core.working_days import add_working_days, working_deadline
from cylch.meetings.models import Circulation, CirculationKind, Invitee, Meeting, MeetingKind
from cylch.risk.models import Alert, AlertStatus, AlertSubject, RiskRule, RiskRuleVersion
from tests.assurance.factories import CycleFactory, board_officer
from tests.factories import (
    AgencyFactory,
    ConcernFactory,
    ConcernSubjectFactory,
    LocalAuthorityFactory,
    PersonFactory,
    PractitionerFactory,
    RegionFactory,
)

LONDON = ZoneInfo("Europe/London")
NOW = datetime.datetime(2025, 8, 1, 12, 0, tzinfo=LONDON)


def at(day: str, time: str = "10:00") -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.fromisoformat(f"{day} {time}"))


class Area:
    """The hand-built data set (see the module docstring)."""

    def __init__(self) -> None:
        self.region = RegionFactory()
        self.la_a = LocalAuthorityFactory(region=self.region)
        self.la_b = LocalAuthorityFactory(region=self.region)
        self.la_x = LocalAuthorityFactory()  # another region
        self.school = AgencyFactory(local_authority=self.la_a, kind=AgencyKind.SCHOOL, name="Ysgol Gynradd")
        self.police = AgencyFactory(local_authority=self.la_a, kind=AgencyKind.POLICE, name="Heddlu")
        self.health = AgencyFactory(local_authority=self.la_b, name="Health visiting")
        self.elsewhere = AgencyFactory(local_authority=self.la_x)
        self.front_door = PractitionerFactory(agency=AgencyFactory(local_authority=self.la_a))
        self.concerns = {}
        rows = {
            # n: (agency, received, first decision, feedback sent)
            1: (self.school, at("2025-04-08"), at("2025-04-08", "15:00"), at("2025-04-10")),  # in time; told in time
            2: (self.police, at("2025-04-11", "16:00"), at("2025-04-14", "20:00"), None),  # Friday: Monday in time
            3: (self.school, at("2025-04-30", "09:00"), at("2025-05-02", "09:00"), at("2025-05-13")),  # both late
            4: (self.police, at("2025-06-30"), None, None),  # undecided; waiting 0 working days on 30 June
            5: (self.health, at("2025-05-01"), at("2025-06-10"), None),  # late, decided within the period
            6: (self.health, at("2025-06-02"), at("2025-07-15"), None),  # waiting 20 working days on 30 June
            7: (self.health, at("2025-06-23"), None, None),  # waiting 5 working days on 30 June
            8: (self.elsewhere, at("2025-04-08"), at("2025-04-08", "11:00"), None),  # another region
            9: (self.school, at("2025-03-20"), at("2025-03-20", "12:00"), None),  # before the period
        }
        for n, (agency, received, decided, told) in rows.items():
            self.concerns[n] = ConcernFactory(
                referrer=PractitionerFactory(agency=agency),
                received_at=received,
                decision_due_at=working_deadline(received, DECISION_WORKING_DAYS),
                feedback_due_on=add_working_days(received.date(), FEEDBACK_WORKING_DAYS),
                decided_at=decided,
                feedback_sent_at=told,
            )
        decisions = {n: self.decide(n) for n in (1, 2, 3, 5, 6, 8)}
        self.challenge(1, decisions[1], "2025-04-09", ChallengeStatus.UPHELD)
        self.challenge(2, decisions[2], "2025-04-15", ChallengeStatus.NOT_UPHELD)
        self.challenge(3, decisions[3], "2025-05-05", ChallengeStatus.OPEN)
        self.challenge(8, decisions[8], "2025-04-09", ChallengeStatus.UPHELD)  # another region
        self.request(self.police, "2025-04-08", "2025-04-10", "2025-04-09")  # answered in time
        self.request(self.police, "2025-04-14", "2025-04-16", "2025-04-22")  # late
        self.request(self.police, "2025-06-25", "2025-06-27", None)  # unanswered past its date
        self.request(self.health, "2025-06-30", "2025-08-05", None)  # not due yet
        self.request(self.elsewhere, "2025-04-08", "2025-04-10", None)  # another region
        self.alerts()
        self.conferences()

    def decide(self, n: int) -> ThresholdDecision:
        concern = self.concerns[n]
        return ThresholdDecision.objects.create(
            concern=concern,
            outcome="iaa",
            rationale="Advice given.",
            decided_by=self.front_door,
            decided_at=concern.decided_at,
        )

    def challenge(self, n: int, decision: ThresholdDecision, day: str, status: str) -> None:
        resolved = status != ChallengeStatus.OPEN
        Challenge.objects.create(
            concern=self.concerns[n],
            decision=decision,
            raised_by=self.concerns[n].referrer,
            grounds="Disagree.",
            raised_at=at(day),
            due_at=at(day) + datetime.timedelta(days=2),
            status=status,
            resolved_by=self.front_door if resolved else None,
            resolution="Answered." if resolved else "",
            resolved_at=at(day) + datetime.timedelta(days=1) if resolved else None,
        )

    def request(self, agency, asked: str, due: str, answered: str | None) -> None:
        InformationRequest.objects.create(
            concern=self.concerns[1],
            agency=agency,
            question="What do you know?",
            due_on=datetime.date.fromisoformat(due),
            requested_by=self.front_door,
            requested_at=at(asked),
            responded_at=at(answered) if answered else None,
            response="Known to us." if answered else "",
        )

    def alerts(self) -> None:
        rule = RiskRule.objects.create(code="two-was-not-brought")
        version = RiskRuleVersion.objects.create(
            rule=rule, number=1, name="Two not brought", rationale="r", research="r", definition={}
        )
        child = ConcernSubjectFactory(concern=self.concerns[1]).person

        def alert(key: str, owner, raised: str, act_by: str, *, closed: bool = False, about=None) -> None:
            made = Alert.objects.create(
                rule=rule,
                version=version,
                pattern_key=key,
                owner_agency=owner,
                raised_at=at(raised),
                acknowledge_due_at=at(raised),
                act_due_at=at(act_by),
                status=AlertStatus.CLOSED if closed else AlertStatus.OPEN,
                outcome="nfa" if closed else "",
                outcome_reason="Family supported." if closed else "",
                closed_at=at(act_by) if closed else None,
            )
            if about is not None:
                AlertSubject.objects.create(alert=made, person=about)

        alert("a1", self.police, "2025-05-01", "2025-05-08", closed=True)  # closed with a reason
        alert("a2", self.health, "2025-05-10", "2025-05-20")  # open past its deadline
        alert("a3", None, "2025-06-01", "2025-09-01", about=child)  # the front door's, about a concern's child
        alert("a4", None, "2025-06-01", "2025-06-05", about=PersonFactory())  # the front door's, nobody of ours
        alert("a5", self.elsewhere, "2025-06-01", "2025-06-05")  # another region

    def conferences(self) -> None:
        chair = self.front_door

        def conference(la, kind: str, held: str, *, held_flag: bool = True, sent: str | None = None):
            meeting = Meeting.objects.create(
                kind=kind,
                held_at=at(held),
                local_authority=la,
                chair=chair,
                created_by=chair,
                held=held_flag,
                no_strategy_reason="Transferred in.",
            )
            if sent:
                Circulation.objects.create(
                    meeting=meeting, kind=CirculationKind.MINUTES, recipient=chair, sent_at=at(sent)
                )
            return meeting

        first = conference(self.la_a, MeetingKind.INITIAL_CONFERENCE, "2025-05-06", sent="2025-05-09")  # due 13 May
        Invitee.objects.create(
            meeting=first,
            agency=self.school,
            practitioner=PractitionerFactory(agency=self.school),
            role="Designated lead",
        )
        conference(self.la_a, MeetingKind.REVIEW_CONFERENCE, "2025-06-02", sent="2025-06-20")  # due 9 June: late
        conference(self.la_b, MeetingKind.REVIEW_CONFERENCE, "2025-06-30")  # due 7 July: overdue
        conference(self.la_a, MeetingKind.REVIEW_CONFERENCE, "2025-06-16", held_flag=False)  # not held
        conference(self.la_x, MeetingKind.INITIAL_CONFERENCE, "2025-05-06")  # another region
        conference(self.la_a, MeetingKind.CORE_GROUP, "2025-05-06")  # not a conference


@pytest.fixture
def area(db) -> Area:
    return Area()


def _cycle(area: Area, level: str = PartnershipLevel.REGION, **kwargs):
    return CycleFactory(
        region=area.region,
        opened_by=board_officer(AgencyFactory(local_authority=area.la_a)),
        level=level,
        period_start=datetime.date(2025, 4, 1),
        period_end=datetime.date(2025, 6, 30),
        **kwargs,
    )


def _figures(cycle) -> dict[str, tuple[int | None, int | None, Decimal | None]]:
    return {f.code: (f.numerator, f.denominator, f.value) for f in live_facts(cycle, now=NOW)}


def test_concerns_decided_within_one_working_day_are_out_of_those_decided_as_the_front_door_counts(area):
    # Decided: 1 and 2 in time, 3, 5 and 6 late; 4 and 7 are still waiting and not in the denominator.
    assert _figures(_cycle(area))["concerns_decided_in_time"][:2] == (2, 5)


def test_the_concerns_still_waiting_are_counted_beside_with_those_past_their_deadline(area):
    assert _figures(_cycle(area))["concerns_waiting"][:2] == (2, 2)


def test_the_decided_fact_agrees_with_the_front_door_figures_for_the_same_dates(db):
    region = RegionFactory()
    agency = AgencyFactory(local_authority__region=region)
    for received, decided in (
        ("2025-05-06", at("2025-05-06", "15:00")),  # in time
        ("2025-05-07", at("2025-05-12")),  # late
        ("2025-05-08", None),  # waiting, past its deadline
        ("2025-07-31", None),  # after the period
    ):
        ConcernFactory(
            referrer=PractitionerFactory(agency=agency),
            received_at=at(received),
            decision_due_at=working_deadline(at(received), DECISION_WORKING_DAYS),
            decided_at=decided,
        )
    cycle = CycleFactory(
        region=region,
        opened_by=board_officer(agency),
        period_start=datetime.date(2025, 4, 1),
        period_end=datetime.date(2025, 6, 30),
    )
    with time_machine.travel(NOW, tick=False):
        facts = {f.code: (f.numerator, f.denominator) for f in live_facts(cycle)}
        page = front_door_metrics(since=cycle.period_start, until=cycle.period_end)
    assert facts["concerns_decided_in_time"] == (page.decided_in_time, page.decided) == (1, 2)
    assert facts["concerns_waiting"] == (page.still_open_overdue, page.still_open) == (1, 1)


def test_referrers_told_within_seven_working_days_count_a_late_and_a_missing_outcome_as_not_in_time(area):
    assert _figures(_cycle(area))["referrers_told_in_time"][:2] == (1, 7)


def test_a_concern_waiting_is_past_its_deadline_only_after_the_working_day_after_it_arrived(area):
    cycle = _cycle(area)
    on_the_day = datetime.datetime(2025, 6, 30, 12, 0, tzinfo=LONDON)
    figures = {f.code: (f.numerator, f.denominator) for f in live_facts(cycle, now=on_the_day)}
    # At noon on 30 June concerns 4, 6 and 7 wait; 4 (received that morning) is not due until the end of 1 July.
    assert figures["concerns_waiting"] == (2, 3)
    assert figures["concerns_decided_in_time"] == (2, 4)


def test_queue_ages_are_the_median_and_90th_percentile_working_days_waiting_at_the_period_end(area):
    figures = _figures(_cycle(area))
    assert figures["queue_age_median"] == (None, 3, Decimal(5))
    assert figures["queue_age_p90"] == (None, 3, Decimal(20))


def test_information_requests_answered_late_include_the_unanswered_past_their_date(area):
    assert _figures(_cycle(area))["information_requests_late"][:2] == (2, 3)


def test_challenges_raised_are_counted_against_the_decisions_of_the_period(area):
    assert _figures(_cycle(area))["challenges_raised"][:2] == (3, 4)


def test_challenges_upheld_are_out_of_those_answered(area):
    assert _figures(_cycle(area))["challenges_upheld"][:2] == (1, 2)


def test_each_agency_has_its_share_of_the_concerns_raised(area):
    figures = _figures(_cycle(area))
    assert figures[f"agency_concerns_share:{area.school.pk}"][:2] == (2, 7)
    assert figures[f"agency_concerns_share:{area.police.pk}"][:2] == (2, 7)
    assert figures[f"agency_concerns_share:{area.health.pk}"][:2] == (3, 7)
    assert f"agency_concerns_share:{area.elsewhere.pk}" not in figures


def test_each_agency_asked_has_its_share_of_information_requests_answered(area):
    figures = _figures(_cycle(area))
    assert figures[f"agency_requests_answered:{area.police.pk}"][:2] == (2, 3)
    assert figures[f"agency_requests_answered:{area.health.pk}"][:2] == (0, 1)
    assert f"agency_requests_answered:{area.school.pk}" not in figures


def test_risk_alerts_count_the_agencies_and_the_front_doors_alerts_about_the_areas_children(area):
    figures = _figures(_cycle(area))
    assert figures["alerts_closed_with_reason"][:2] == (1, 3)
    assert figures["alerts_open_past_deadline"][:2] == (1, 3)


def test_minutes_circulated_in_time_count_held_conferences_whose_circulation_was_due(area):
    assert _figures(_cycle(area))["minutes_circulated_in_time"][:2] == (1, 3)


def test_a_local_authority_counts_only_its_own_front_door_and_agencies(area):
    figures = _figures(_cycle(area, PartnershipLevel.LOCAL_AUTHORITY, local_authority=area.la_a))
    assert figures["concerns_decided_in_time"][:2] == (2, 3)
    assert figures["queue_age_median"] == (None, 1, Decimal(0))
    assert figures["minutes_circulated_in_time"][:2] == (1, 2)
    assert f"agency_concerns_share:{area.health.pk}" not in figures


def test_an_agency_counts_the_concerns_it_raised_and_the_conferences_it_was_invited_to(area):
    figures = _figures(_cycle(area, PartnershipLevel.AGENCY, agency=area.school))
    assert figures["concerns_decided_in_time"][:2] == (1, 2)
    assert figures["challenges_raised"][:2] == (2, 2)
    assert figures["minutes_circulated_in_time"][:2] == (1, 1)
    assert figures[f"agency_concerns_share:{area.school.pk}"][:2] == (2, 4)  # of its authority's front door


def test_a_fact_says_its_figure_in_words_with_its_percentage(area):
    facts = {f.code: f for f in live_facts(_cycle(area), now=NOW)}
    assert facts["concerns_decided_in_time"].words == (
        "Concerns decided within one working day: 2 of the 5 concerns decided (40%)"
    )
    assert facts["concerns_waiting"].words == (
        "Concerns received in the period still waiting for a decision: 2, 2 past their deadline"
    )
    assert facts["queue_age_median"].words == (
        "Median age of the 3 concerns waiting for a decision on 30 June 2025, in working days: 5"
    )
    assert facts[f"agency_concerns_share:{area.health.pk}"].words == "Concerns raised by Health visiting: 3 of 7 (43%)"


def test_a_fact_links_to_the_page_it_comes_from_over_the_period(area):
    facts = {f.code: f for f in live_facts(_cycle(area), now=NOW)}
    assert facts["concerns_decided_in_time"].url == (
        "/front-door/metrics/?since_day=1&since_month=4&since_year=2025&until_day=30&until_month=6&until_year=2025"
    )
    assert facts["alerts_closed_with_reason"].url.startswith("/risk/dashboard/?months=")
    assert facts["minutes_circulated_in_time"].url == "/meetings/timeliness/"


def test_the_decided_and_the_received_denominators_say_what_each_is_out_of(area):
    facts = {f.code: f for f in live_facts(_cycle(area), now=NOW)}
    assert facts["concerns_decided_in_time"].out_of == (
        "out of the 5 concerns received in the period that have been decided"
    )
    assert facts[f"agency_concerns_share:{area.school.pk}"].out_of == (
        "out of the 7 concerns received in the period by the partnership's front doors, decided or not"
    )


def test_an_out_of_line_for_one_is_singular(area):
    facts = {f.code: f for f in live_facts(_cycle(area, PartnershipLevel.AGENCY, agency=area.school), now=NOW)}
    assert facts["challenges_upheld"].out_of == "out of 1 challenge answered"
    assert facts["minutes_circulated_in_time"].out_of == (
        "out of 1 conference held in the period whose minutes were due"
    )


def test_a_fact_says_the_front_door_page_counts_more_when_the_partnership_is_not_every_front_door(area):
    facts = {f.code: f for f in live_facts(_cycle(area), now=NOW)}
    note = facts["concerns_decided_in_time"].source_note
    assert "every front door on Cylch" in note
    assert area.region.name in note


def test_an_agencys_fact_says_it_counts_only_the_concerns_the_agency_raised(area):
    facts = {f.code: f for f in live_facts(_cycle(area, PartnershipLevel.AGENCY, agency=area.school), now=NOW)}
    assert "only the concerns Ysgol Gynradd raised" in facts["concerns_decided_in_time"].source_note


def test_a_partnership_of_every_front_door_needs_no_note_on_the_front_door_figures(db):
    region = RegionFactory()
    cycle = CycleFactory(region=region, opened_by=board_officer(AgencyFactory(local_authority__region=region)))
    LocalAuthorityFactory(region=region)
    facts = {f.code: f for f in live_facts(cycle, now=NOW)}
    assert facts["concerns_decided_in_time"].source_note == ""


def test_the_minutes_fact_says_the_timescales_report_has_no_period(area):
    facts = {f.code: f for f in live_facts(_cycle(area), now=NOW)}
    assert "no choice of dates" in facts["minutes_circulated_in_time"].source_note


def test_a_partner_agencys_practitioner_gets_no_link_to_pages_that_would_refuse_them(area):
    reader = PractitionerFactory(agency=area.police)
    for fact in live_facts(_cycle(area), now=NOW):
        assert fact.url_for(reader) == ""


def test_the_board_gets_every_facts_link(area):
    cycle = _cycle(area)
    for fact in live_facts(cycle, now=NOW):
        assert fact.url_for(cycle.opened_by) == fact.url


def test_every_fact_says_how_it_was_computed_and_belongs_to_a_c(area):
    for fact in live_facts(_cycle(area), now=NOW):
        assert fact.method
        assert fact.component in Component.values


def test_frozen_facts_are_read_back_after_sign_off_unchanged_by_later_records(area):
    cycle = _cycle(area)
    facts_freeze(cycle, now=NOW)
    cycle.signed_off_at, cycle.signed_off_by = NOW, cycle.opened_by
    cycle.save()
    before = [(f.code, f.numerator, f.denominator, f.value, f.words) for f in live_facts(cycle, now=NOW)]
    ConcernFactory(referrer=PractitionerFactory(agency=area.school), received_at=at("2025-05-20"))
    assert [(f.code, f.numerator, f.denominator, f.value, f.words) for f in cycle_facts(cycle)] == before


def test_freezing_again_replaces_the_facts_written_before(area):
    cycle = _cycle(area)
    facts_freeze(cycle, now=NOW)
    written = facts_freeze(cycle, now=NOW)
    assert MeasuredFact.objects.filter(cycle=cycle).count() == len(written)


def test_a_cycle_not_signed_off_reads_its_facts_live(area):
    cycle = _cycle(area)
    facts_freeze(cycle, now=NOW)
    ConcernFactory(referrer=PractitionerFactory(agency=area.school), received_at=at("2025-05-20"))
    figures = {f.code: f.denominator for f in cycle_facts(cycle)}
    assert figures[f"agency_concerns_share:{area.school.pk}"] == 8


def test_a_partner_agency_sees_its_own_agency_figures_and_not_another_agencys(area):
    cycle = _cycle(area)
    reader = PractitionerFactory(agency=area.police)
    codes = {f.code for f in visible_facts(live_facts(cycle, now=NOW), user=reader, cycle=cycle)}
    assert f"agency_concerns_share:{area.police.pk}" in codes
    assert f"agency_concerns_share:{area.school.pk}" not in codes
    assert "concerns_decided_in_time" in codes


def test_the_board_sees_every_agencys_figures(area):
    cycle = _cycle(area)
    facts = live_facts(cycle, now=NOW)
    assert visible_facts(facts, user=cycle.opened_by, cycle=cycle) == facts


def test_an_empty_period_has_nothing_to_count_and_says_so(db):
    region = RegionFactory()
    cycle = CycleFactory(region=region, period_start=datetime.date(2025, 4, 1), period_end=datetime.date(2025, 6, 30))
    facts = {f.code: f for f in live_facts(cycle, now=NOW)}
    assert facts["concerns_decided_in_time"].words == "Concerns decided within one working day: none decided yet"
    assert facts["concerns_decided_in_time"].value is None
    assert facts["queue_age_median"].words == "No concern was waiting for a decision on 30 June 2025"
