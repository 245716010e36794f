"""Names that are data, in Welsh: teams and job titles (agencies and places have their own `name_cy`).

A Welsh name recorded on the row (by an administrator, or an agency's feed) is used first. Failing that, the job
titles and team names most agencies use are translated like any other string of the service (Welsh Language
Standards: what the public sector shows in Wales is shown in Welsh), so "Social worker" reads "Gweithiwr
cymdeithasol" without every practitioner's row carrying it. Anything else is shown as recorded.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# The job titles and team names of Welsh safeguarding partners that the service knows in both languages.
STANDARD_NAMES: dict[str, Promise] = {
    # job titles
    "Social worker": _("Social worker"),
    "Senior social worker": _("Senior social worker"),
    "Team manager": _("Team manager"),
    "Family support worker": _("Family support worker"),
    "Detective sergeant": _("Detective sergeant"),
    "Police constable": _("Police constable"),
    "GP": _("GP"),
    "Designated safeguarding lead": _("Designated safeguarding lead"),
    "Health visitor": _("Health visitor"),
    "School nurse": _("School nurse"),
    "Emergency department nurse": _("Emergency department nurse"),
    "Midwife": _("Midwife"),
    "CAMHS practitioner": _("CAMHS practitioner"),
    "Probation officer": _("Probation officer"),
    "Domestic abuse support worker": _("Domestic abuse support worker"),
    "Community psychiatric nurse": _("Community psychiatric nurse"),
    "Keyworker": _("Keyworker"),
    "Housing officer": _("Housing officer"),
    "Education welfare officer": _("Education welfare officer"),
    "Youth justice worker": _("Youth justice worker"),
    "Safeguarding board business manager": _("Safeguarding board business manager"),
    "Information governance lead": _("Information governance lead"),
    "System administrator": _("System administrator"),
    # team names
    "Information, Advice and Assistance": _("Information, Advice and Assistance"),
    "Safeguarding": _("Safeguarding"),
    "Children Looked After": _("Children Looked After"),
    "Family Support": _("Family Support"),
    "Multi-Agency Safeguarding Hub": _("Multi-Agency Safeguarding Hub"),
    "Public Protection Unit": _("Public Protection Unit"),
    "Clinical team": _("Clinical team"),
    "Health visiting": _("Health visiting"),
    "School nursing": _("School nursing"),
    "Emergency department": _("Emergency department"),
    "Community midwives": _("Community midwives"),
    "Community CAMHS": _("Community CAMHS"),
    "Probation delivery unit": _("Probation delivery unit"),
    "Outreach": _("Outreach"),
    "Community mental health team": _("Community mental health team"),
    "Keyworkers": _("Keyworkers"),
    "Tenancy support": _("Tenancy support"),
    "Education welfare": _("Education welfare"),
    "Youth justice": _("Youth justice"),
}


def in_language(english: str, welsh: str) -> str:
    """`welsh` when Welsh is active and it is recorded, else the standard translation of `english`, else
    `english` as recorded."""
    if not (get_language() or "").startswith("cy"):
        return english
    if welsh:
        return welsh
    standard = STANDARD_NAMES.get(english)
    return str(standard) if standard is not None else english
