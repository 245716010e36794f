"""The demo region's work for each capability built on the spine (meetings, reviews, thematic analysis, ...).

Each capability ships `demo_load(*, reference_date) -> dict[str, int]` (the front door's is `demo_work`), which
plants its synthetic records in the loaded region and says how many of each it made; `cylch demo` runs them in this
order, once, right after the region loads.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from cylch.assurance import demo as assurance_demo
from cylch.meetings import demo as meetings_demo
from cylch.reviews import demo as reviews_demo
from cylch.synthetic import demo_work
from cylch.thematic import demo as thematic_demo

DemoLoader = Callable[..., dict[str, int]]


def demo_loaders() -> list[DemoLoader]:
    """The capabilities' demo loaders, in the order they run (later ones may build on earlier ones' records)."""
    loaders: list[DemoLoader] = [demo_work.demo_load]
    loaders.append(thematic_demo.demo_load)
    loaders.append(reviews_demo.demo_load)
    loaders.append(meetings_demo.demo_load)
    loaders.append(assurance_demo.demo_load)  # last: its measured facts read the others' records
    return loaders


def capabilities_demo_load(*, reference_date: datetime.date) -> dict[str, int]:
    """Run every capability's demo loader; the counts are merged for `cylch demo` to print."""
    counts: dict[str, int] = {}
    for load in demo_loaders():
        counts.update(load(reference_date=reference_date))
    return counts
