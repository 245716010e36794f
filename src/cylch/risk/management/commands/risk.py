"""`cylch risk rescan`: record the risk factors the chronology shows, raise the Was Not Brought follow-ups due, and
run every live rule over the whole region as set-based queries, raising or escalating alerts for what fires (what
the incremental evaluation missed, or a rule changed since)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cylch.risk.services import risk_evaluate, risk_factors_derive, was_not_brought_follow_ups_raise


class Command(BaseCommand):
    help = "Cumulative risk. `rescan` evaluates every live rule for everyone and raises or escalates alerts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["rescan"])

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        factors = risk_factors_derive()
        follow_ups = was_not_brought_follow_ups_raise()
        result = risk_evaluate()
        self.stdout.write(
            f"Rescan done in {time.perf_counter() - started:.1f}s: {factors} risk factors recorded, "
            f"{len(follow_ups)} Was Not Brought follow-ups raised, {len(result.raised)} alerts raised, "
            f"{len(result.escalated)} escalated."
        )
