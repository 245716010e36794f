"""How p-values are shown: four decimal places, and never a misleading 0.0000."""

from __future__ import annotations

import pytest

from cylch.thematic.templatetags.thematic_figures import p_value


@pytest.mark.parametrize(
    ("value", "shown"), [(0.5, "0.5000"), (0.0001, "0.0001"), (0.00009, "< 0.0001"), (0.0, "< 0.0001")]
)
def test_p_values_are_shown_to_four_places_or_as_below_the_smallest(value, shown):
    assert p_value(value) == shown
