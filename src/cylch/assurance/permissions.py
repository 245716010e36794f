"""Who may do what in a 12Cs cycle: the region's board runs it; a partner agency sees and edits only its own part.

A partner agency's part is written by its practitioners who hold a contributing role (`CONTRIBUTING_ROLES`): not
its front-door workers nor its governance or administrator accounts, and not a board officer running the cycle,
who moderates what the agencies propose even when their own agency is a partner. One place for these rules
(`is_partner`, `can_contribute`, `can_view_cycle`), so that the pages, the exports, the chasing and the work lists
cannot disagree. Every state change also checks `cycle_editable`: a signed-off cycle is read-only for everyone,
the board included.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from cylch.accounts.models import Agency, Practitioner, RoleCode
from cylch.accounts.permissions import is_board_officer
from cylch.assurance.models import AssuranceReturn, Cycle, ImprovementAction


def user_region_id(user: Practitioner) -> int | None:
    agency = user.agency
    return agency.local_authority.region_id if agency is not None else None


def can_run_cycles(user: Practitioner) -> bool:
    """Open cycles, moderate, record agreed scores, add prompts, sign off: the board officers."""
    return is_board_officer(user) and user_region_id(user) is not None


def runs_cycle(user: Practitioner, cycle: Cycle) -> bool:
    """A board officer of the cycle's region."""
    return can_run_cycles(user) and user_region_id(user) == cycle.region_id


# The roles whose holders write their agency's contributions and assurance returns.
CONTRIBUTING_ROLES = frozenset({RoleCode.AGENCY_PRACTITIONER, RoleCode.LEAD_PRACTITIONER, RoleCode.FRONT_DOOR_MANAGER})


def contributes(user: Practitioner) -> bool:
    """An active practitioner of an agency with a contributing role (whatever the cycle)."""
    return user.is_active and user.agency_id is not None and bool(user.role_codes() & CONTRIBUTING_ROLES)


def contributors(agency: Agency) -> Q:
    """The filter on practitioners of `contributes` for one agency (the list form, for chasing)."""
    return Q(is_active=True, agency=agency, roles__code__in=CONTRIBUTING_ROLES)


def is_partner(user: Practitioner, cycle: Cycle) -> bool:
    """A contributor (`contributes`) of one of the cycle's partner agencies, unless they run the cycle."""
    agency_id = user.agency_id
    return (
        agency_id is not None
        and contributes(user)
        and not runs_cycle(user, cycle)
        and cycle.partner_agencies.filter(pk=agency_id).exists()
    )


def viewable_cycles(user: Practitioner) -> Q:
    """The filter on cycles of `can_view_cycle` (the list form, for the cycles page)."""
    visible = Q(partner_agencies=user.agency_id) if contributes(user) else Q(pk__in=[])
    if can_run_cycles(user):
        visible |= Q(region_id=user_region_id(user))
    return visible


def can_view_cycle(user: Practitioner, cycle: Cycle) -> bool:
    """The board sees all of it; a partner agency sees the cycle, the template and its own part."""
    return runs_cycle(user, cycle) or is_partner(user, cycle)


def can_contribute(user: Practitioner, cycle: Cycle, agency: Agency) -> bool:
    """Only the agency's own practitioners write its contributions and its assurance return."""
    return is_partner(user, cycle) and user.agency_id == agency.pk


def cycle_editable(cycle: Cycle) -> None:
    """Refuse any change to a signed-off cycle (the error names the cycle, so the page can say why)."""
    if cycle.is_signed_off:
        raise ValidationError(
            _("%(cycle)s was signed off on %(date)s and can no longer be changed.")
            % {"cycle": cycle.title, "date": cycle.signed_off_at.strftime("%d/%m/%Y") if cycle.signed_off_at else ""},
            code="signed_off",
        )


def require(allowed: bool) -> None:
    """Raise PermissionDenied (403) unless `allowed`: services call this so a view cannot forget. The reason is
    about the 12Cs, not a child, so the refusal page does not speak of a child's record."""
    if not allowed:
        raise PermissionDenied(_("Your role or your agency's part in this 12Cs cycle does not let you do this."))


def can_see_return(user: Practitioner, assurance_return: AssuranceReturn) -> bool:
    """An assurance return is the board's and its own agency's: other partners do not see each other's figures."""
    cycle = assurance_return.cycle
    return runs_cycle(user, cycle) or can_contribute(user, cycle, assurance_return.agency)


def can_see_action(user: Practitioner, action: ImprovementAction) -> bool:
    """The board, the named owner and the owning agency's practitioners see an action (other partners see only
    their own agency's part)."""
    if runs_cycle(user, action.assessment.cycle):
        return True
    return user.is_active and (user.pk == action.owner_id or user.agency_id == action.owner_agency_id)


def can_update_action(user: Practitioner, action: ImprovementAction) -> bool:
    """The board, the named owner and the owning agency's contributors (`contributes`) record an action's
    progress: the same people who write the agency's part of the cycle, not its front-door or governance accounts,
    who may still read it."""
    if runs_cycle(user, action.assessment.cycle) or (user.is_active and user.pk == action.owner_id):
        return True
    return user.agency_id == action.owner_agency_id and contributes(user)
