"""A region sets its own timescales; the clocks use them."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cylch.meetings.clocks import WALES, timescales_for
from tests.factories import RegionFactory

pytestmark = pytest.mark.django_db


def test_a_region_without_its_own_timescales_uses_the_wales_procedures():
    assert timescales_for(RegionFactory()) == WALES


def test_the_command_sets_one_timescale_and_keeps_the_rest():
    region = RegionFactory()
    out = StringIO()
    call_command("meeting_timescales", region.code, "--initial-conference-working-days", "10", stdout=out)
    scales = timescales_for(region)
    assert (scales.initial_conference_working_days, scales.circulation_working_days) == (10, 5)
    assert "initial_conference_working_days: 10" in out.getvalue()


def test_a_timescale_out_of_range_is_refused_naming_it():
    region = RegionFactory()
    with pytest.raises(CommandError, match="circulation_working_days"):
        call_command("meeting_timescales", region.code, "--circulation-working-days", "0")
    assert timescales_for(region) == WALES
