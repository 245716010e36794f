"""An age band: what a page shows of someone whose record the reader may not open, in place of a date of birth.

The bands are the 2023 thematic review's for children (under 1, 1–4, 5–10, 11–12, 13 and over), cut at 18 for
adults: enough to see that a baby lives with two adults, not enough to identify anyone.
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext_lazy as _

from cylch.people.models import ADULT_AGE, Person

# Each band's first age past it (exclusive), in order: an age is in the first band it is under.
BANDS = (
    (1, _("Under 1")),
    (5, _("Aged 1 to 4")),
    (11, _("Aged 5 to 10")),
    (13, _("Aged 11 to 12")),
    (ADULT_AGE, _("Aged 13 to 17")),
)


def age_band(person: Person, today: datetime.date) -> str:
    """'Aged 5 to 10', 'Adult', 'Unborn', or '' when the date of birth is not known.

    >>> age_band(Person(date_of_birth=datetime.date(2020, 6, 1)), datetime.date(2026, 1, 1))
    'Aged 5 to 10'
    """
    if person.is_unborn:
        return str(_("Unborn"))
    age = person.age_on(today)
    if age is None:
        return ""
    return str(next((label for upper, label in BANDS if age < upper), _("Adult")))
