"""The access log's codes as people read them, on the access pages (who has seen a record, information
governance's review): the page an entry names (`cylch.audit.pages`) and the basis of each read."""

from __future__ import annotations

import re

from django import template
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cylch.access.rule import AccessBasis
from cylch.audit.pages import page_label as audit_page_label

register = template.Library()

# Each basis `Access.as_reason` writes as the entry's "why" (a grant's with its number, see GRANT_REASON).
BASIS_LABELS: dict[str, Promise] = {
    AccessBasis.FRONT_DOOR: gettext_lazy("The front door"),
    AccessBasis.BOARD_ROLE: gettext_lazy("A safeguarding board role"),
    AccessBasis.INVOLVEMENT: gettext_lazy("Their agency works with the person"),
    AccessBasis.REFERRER: gettext_lazy("They raised the concern"),
    AccessBasis.OVERSIGHT: gettext_lazy("Oversight of access (information governance)"),
    AccessBasis.INFORMATION_REQUEST: gettext_lazy("Their agency was asked for information"),
}
GRANT_REASON = re.compile(rf"{AccessBasis.GRANT} (?P<number>\d+)")


@register.filter
def page_label(code: str) -> str:
    """'person-detail' -> 'The person’s record' (or its Welsh)."""
    return audit_page_label(code)


@register.filter
def access_reason(reason: str) -> str:
    """An entry's "why" with its basis in words: 'grant 2; shown with C-…' -> 'Access granted to them (number 2);
    shown with C-…'. A reason someone typed (a break-glass reason, a decision's) is shown as written."""
    basis, separator, rest = reason.partition("; ")
    grant = GRANT_REASON.fullmatch(basis)
    if grant is not None:
        label = _("Access granted to them (number %(number)s)") % {"number": grant["number"]}
    elif basis in BASIS_LABELS:
        label = str(BASIS_LABELS[basis])
    else:
        return reason
    return f"{label}{separator}{rest}"
