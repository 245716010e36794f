"""A rule's definition in words, for the rule page: readers see what it looks for without reading JSON."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from cylch.chronology.models import EventKind
from cylch.concerns.models import Category
from cylch.people.models import StatusKind
from cylch.risk.definitions import Definition, Matcher, Signal, Subject

# The default rules' pattern labels (migration 0002), in the reader's language; a label a board officer writes
# is shown as written.
DEFAULT_LABELS = {
    "Was Not Brought": gettext_lazy("Was Not Brought"),
    "Domestic abuse": gettext_lazy("Domestic abuse"),
    "Home conditions or neglect": gettext_lazy("Home conditions or neglect"),
    "Below-threshold concerns": gettext_lazy("Below-threshold concerns"),
    "Adult with a violence or domestic-abuse history moved in": gettext_lazy(
        "Adult with a violence or domestic-abuse history moved in"
    ),
    "Missing episodes": gettext_lazy("Missing episodes"),
    "Exploitation concern": gettext_lazy("Exploitation concern"),
}


def _or(items: list[str]) -> str:
    if len(items) < 2:
        return "".join(items)
    return _("%(items)s or %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


def _age(months: int) -> str:
    if months % 12 == 0:
        years = months // 12
        return ngettext("%(count)d year", "%(count)d years", years) % {"count": years}
    return ngettext("%(count)d month", "%(count)d months", months) % {"count": months}


def _days(days: int) -> str:
    return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}


def _matcher(matcher: Matcher) -> str:
    kinds = dict(EventKind.choices)
    categories = dict(Category.choices)
    text = _or([str(kinds.get(k, k)) for k in matcher.kinds])
    if matcher.categories:
        text = _("%(kinds)s about %(categories)s") % {
            "kinds": text,
            "categories": _or([str(categories.get(c, c)) for c in matcher.categories]),
        }
    if matcher.below_threshold:
        text = _("%(kinds)s judged below the threshold") % {"kinds": text}
    return text


def _subject(subject: Subject) -> str:
    parts = []
    if subject.max_age_months is not None:
        parts.append(_("younger than %(age)s") % {"age": _age(subject.max_age_months)})
    if subject.unborn:
        parts.append(_("unborn"))
    statuses = dict(StatusKind.choices)
    parts.extend(str(statuses.get(s, s)) for s in subject.statuses)
    if not parts:
        return _("Any child.")
    return _("A child who is %(conditions)s.") % {"conditions": _or(parts)}


def _signal(signal: Signal) -> str:
    text = ngettext(
        "%(label)s: at least %(count)d event: %(kinds)s",
        "%(label)s: at least %(count)d events: %(kinds)s",
        signal.min_count,
    ) % {
        "label": str(DEFAULT_LABELS.get(signal.label, signal.label)),
        "count": signal.min_count,
        "kinds": _or([_matcher(m) for m in signal.match]),
    }
    if signal.min_agencies > 1:
        text += ngettext(
            ", from at least %(count)d agency", ", from at least %(count)d agencies", signal.min_agencies
        ) % {"count": signal.min_agencies}
    if signal.window_days is not None:
        text += _(", within %(days)s") % {"days": _days(signal.window_days)}
    if signal.who == "adult":
        text += _(", of an adult in the household")
    elif signal.who == "child":
        text += _(", of a child in the household")
    if signal.joined_within_days is not None:
        text += _(" who moved in within the last %(days)s") % {"days": _days(signal.joined_within_days)}
    return text + "."


def definition_in_words(definition: Definition) -> list[str]:
    """One sentence per part of the rule: whom it watches, over what time, each pattern, the score, the clocks."""
    lines = [
        _("Looks at each household: every member's events count.")
        if definition.scope == "household"
        else _("Looks at each child's own events."),
        _subject(definition.subject),
        _("Counts events from the last %(days)s.") % {"days": _days(definition.window_days)},
    ]
    lines.extend(_signal(signal) for signal in definition.signals)
    if definition.score is not None:
        weights = "; ".join(
            _("%(kinds)s: %(weight)d") % {"kinds": _matcher(w.match), "weight": w.weight}
            for w in definition.score.weights
        )
        lines.append(
            _("Each event scores by its kind (%(weights)s). An alert is raised when the total reaches %(threshold)d.")
            % {"weights": weights, "threshold": definition.score.threshold}
        )
    lines.append(
        _("The owner acknowledges within %(ack)d working days and acts within %(act)d working days.")
        % {"ack": definition.acknowledge_working_days, "act": definition.act_working_days}
    )
    return lines
