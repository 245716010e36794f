"""One analysis of a set of coded reviews: the figures `statistics` computes, gathered with what they rest on, and
the plain-language summary a board reads first.

Labels and sentences are made when shown, in the active language, so one analysis renders in English or Welsh.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd  # type: ignore[import-untyped]
from django.utils.dateformat import format as date_format
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from cylch.accounts.models import LocalAuthority
from cylch.core.templatetags.govuk import localised_name
from cylch.thematic.dates import EXPECTED_MONTHS, months_between, within_months
from cylch.thematic.frame import INCIDENT, PARENT, VULNERABILITY, Code, Frame
from cylch.thematic.models import CodedReview, ReviewType
from cylch.thematic.statistics import (
    SMALL_CELL,
    Association,
    Clustering,
    CodeCount,
    MeasureSummary,
    clusters,
    cooccurrence,
    descriptives,
    summarise,
    varying_codes,
)

MINIMUM_REVIEWS = 2
# (key, label): the intervals the research measured, in the order a review runs.
MEASURES = (
    ("incident_to_referral", gettext_lazy("Incident to referral")),
    ("referral_to_completion", gettext_lazy("Referral to completion")),
    ("incident_to_learning_event", gettext_lazy("Incident to learning event")),
    ("incident_to_completion", gettext_lazy("Incident to completion")),
)
TOP = 3  # how many of a group's most common codes the summary names


class AnalysisRefused(Exception):
    """The chosen set cannot be analysed; the message says why, for the page and the command."""


@dataclass(frozen=True)
class ReviewFilter:
    """Which reviews: all of them, or those of one type, one local authority, and incidents in a period."""

    review_type: str = ""
    local_authority: LocalAuthority | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None

    def description(self) -> str:
        parts = []
        if self.review_type:
            parts.append(str(ReviewType(self.review_type).label))
        if self.local_authority is not None:
            parts.append(localised_name(self.local_authority))
        if self.date_from and self.date_to:
            parts.append(
                _("incidents from %(start)s to %(end)s") % {"start": _day(self.date_from), "end": _day(self.date_to)}
            )
        elif self.date_from:
            parts.append(_("incidents from %(start)s") % {"start": _day(self.date_from)})
        elif self.date_to:
            parts.append(_("incidents up to %(end)s") % {"end": _day(self.date_to)})
        return "; ".join(parts) if parts else _("All coded reviews")


def _day(value: datetime.date) -> str:
    return date_format(value, "j F Y")


@dataclass(frozen=True)
class ReviewTimes:
    review_id: str
    months: dict[str, float | None]
    within_expected: bool | None  # completed within 6 months of referral; None without both dates


def review_times(review: CodedReview) -> ReviewTimes:
    def between(start: datetime.date | None, end: datetime.date | None) -> float | None:
        return months_between(start, end) if start and end else None

    referral, completion = review.referral_date, review.completion_date
    return ReviewTimes(
        review_id=review.review_id,
        months={
            "incident_to_referral": between(review.incident_date, referral),
            "referral_to_completion": between(referral, completion),
            "incident_to_learning_event": between(review.incident_date, review.learning_event_date),
            "incident_to_completion": between(review.incident_date, completion),
        },
        within_expected=within_months(referral, completion, EXPECTED_MONTHS) if referral and completion else None,
    )


@dataclass(frozen=True)
class CodeRow:
    """A code's line in the descriptive table: the code (its label in the active language) and its count."""

    code: Code
    count: CodeCount


@dataclass(frozen=True)
class Analysis:
    frame: Frame
    review_filter: ReviewFilter
    total: int
    left_out_undated: int  # reviews outside a period's analysis because they have no incident date
    counts: list[CodeCount]
    associations: list[Association]
    clustering: Clustering | None
    times: list[ReviewTimes]
    constant_codes: int  # codes found in every review or none: no co-occurrence can be measured for them
    generated_at: datetime.datetime
    measures: dict[str, MeasureSummary] = field(default_factory=dict)

    @property
    def small_cell(self) -> int:
        return SMALL_CELL

    @cached_property
    def groups(self) -> list[tuple[str, list[CodeRow]]]:
        """The descriptive table by group of the frame, in the frame's order."""
        by_key = {count.code: count for count in self.counts}
        return [
            (group.label, [CodeRow(code, by_key[code.key]) for code in self.frame.in_group(group.key)])
            for group in self.frame.groups
        ]

    @property
    def significant(self) -> list[Association]:
        return sorted(
            (pair for pair in self.associations if pair.significant), key=lambda p: (p.p_adjusted, -abs(p.phi))
        )

    @property
    def within_expected(self) -> tuple[int, int]:
        """(completed within 6 months of referral, reviews with both dates)."""
        known = [times.within_expected for times in self.times if times.within_expected is not None]
        return sum(known), len(known)

    @property
    def missing_a_date(self) -> int:
        return sum(1 for times in self.times if None in times.months.values())

    def label(self, key: str) -> str:
        return self.frame.by_key[key].label

    @property
    def cluster_groups(self) -> list[tuple[int, list[str]]]:
        if self.clustering is None:
            return []
        numbers = sorted(set(self.clustering.cluster.values()))
        return [
            (number, [self.label(code) for code in self.clustering.codes if self.clustering.cluster[code] == number])
            for number in numbers
        ]

    @property
    def measure_rows(self) -> list[tuple[str, str, MeasureSummary]]:
        return [(key, str(label), self.measures[key]) for key, label in MEASURES]


def reviews_matrix(reviews: Sequence[CodedReview], frame: Frame) -> pd.DataFrame:
    """One row per review, one 0/1 column per code of the frame (codes of an older frame are left out)."""
    keys = list(frame.by_key)
    position = {key: index for index, key in enumerate(keys)}
    cells = np.zeros((len(reviews), len(keys)), dtype=int)
    for row, review in enumerate(reviews):
        for coded in review.codes.all():
            if coded.code in position:
                cells[row, position[coded.code]] = 1
    return pd.DataFrame(cells, index=[review.review_id for review in reviews], columns=keys)


def analysis_build(
    reviews: Sequence[CodedReview],
    *,
    frame: Frame,
    review_filter: ReviewFilter,
    generated_at: datetime.datetime,
    left_out_undated: int = 0,
) -> Analysis:
    """Every figure of the analysis for these reviews (their codes prefetched); refused below two reviews."""
    if not reviews:
        raise AnalysisRefused(
            _(
                "No reviews match this choice. An analysis compares reviews with each other, so it needs at least "
                "2: choose a wider set."
            )
        )
    if len(reviews) < MINIMUM_REVIEWS:
        raise AnalysisRefused(
            ngettext(
                "Only %(count)s review matches this choice. An analysis compares reviews with each other, so it "
                "needs at least 2: choose a wider set.",
                "Only %(count)s reviews match this choice. An analysis compares reviews with each other, so it "
                "needs at least 2: choose a wider set.",
                len(reviews),
            )
            % {"count": len(reviews)}
        )
    matrix = reviews_matrix(reviews, frame)
    times = [review_times(review) for review in reviews]
    return Analysis(
        frame=frame,
        review_filter=review_filter,
        total=len(reviews),
        left_out_undated=left_out_undated,
        counts=descriptives(matrix, list(frame.by_key)),
        associations=cooccurrence(matrix),
        clustering=clusters(matrix, [code.key for code in frame.in_group(VULNERABILITY)]),
        times=times,
        constant_codes=len(frame.by_key) - len(varying_codes(matrix)),
        generated_at=generated_at,
        measures={key: summarise([t.months[key] for t in times]) for key, _label in MEASURES},
    )


def _number(value: float | None) -> str:
    return "–" if value is None else number_format(value, decimal_pos=1)


def _most_common(analysis: Analysis, group: str) -> str:
    counts = {count.code: count for count in analysis.counts}
    top = sorted(
        (counts[code.key] for code in analysis.frame.in_group(group) if counts[code.key].n),
        key=lambda count: -count.n,
    )[:TOP]
    return ", ".join(
        _("%(label)s (%(n)s of %(total)s, %(percent)s%%)")
        % {"label": analysis.label(c.code), "n": c.n, "total": c.total, "percent": _number(c.percent)}
        for c in top
    )


def plain_summary(analysis: Analysis) -> list[str]:
    """What stands out, in sentences a board member reads without statistics (in the active language)."""
    sentences = [
        ngettext(
            "This analysis rests on %(count)s coded review (%(which)s).",
            "This analysis rests on %(count)s coded reviews (%(which)s).",
            analysis.total,
        )
        % {"count": analysis.total, "which": analysis.review_filter.description()}
    ]
    for group in (INCIDENT, PARENT, VULNERABILITY, "agencies"):
        listed = _most_common(analysis, group)
        if listed:
            sentences.append(
                _("%(group)s — most common: %(list)s.") % {"group": analysis.frame.group(group).label, "list": listed}
            )
    significant = analysis.significant
    if significant:
        strongest = max(significant, key=lambda pair: pair.phi)
        sentences.append(
            ngettext(
                "%(count)s pair of factors was found together more or less often than chance would explain, once "
                "the number of pairs tested is allowed for.",
                "%(count)s pairs of factors were found together more or less often than chance would explain, once "
                "the number of pairs tested is allowed for.",
                len(significant),
            )
            % {"count": len(significant)}
        )
        if strongest.phi > 0:
            sentences.append(
                ngettext(
                    "The strongest: %(a)s with %(b)s (phi %(phi)s, together in %(n)s review).",
                    "The strongest: %(a)s with %(b)s (phi %(phi)s, together in %(n)s reviews).",
                    strongest.n_both,
                )
                % {
                    "a": analysis.label(strongest.code_a),
                    "b": analysis.label(strongest.code_b),
                    "phi": number_format(strongest.phi, decimal_pos=2),
                    "n": strongest.n_both,
                }
            )
    else:
        sentences.append(
            _(
                "No pair of factors was found together more or less often than chance would explain, once the "
                "number of pairs tested is allowed for. With few reviews only strong associations can show."
            )
        )
    if analysis.clustering is not None:
        sentences.append(
            _("Child vulnerabilities fall into %(count)s clusters: %(clusters)s.")
            % {
                "count": analysis.clustering.count,
                "clusters": "; ".join(f"{number}: {', '.join(labels)}" for number, labels in analysis.cluster_groups),
            }
        )
    else:
        sentences.append(_("Too few child vulnerabilities were coded to cluster them."))
    within, dated = analysis.within_expected
    referral = analysis.measures["referral_to_completion"]
    if dated:
        sentences.append(
            ngettext(
                "%(within)s of %(count)s review with referral and completion dates completed within 6 months of "
                "referral; referral to completion took %(mean)s months on average (median %(median)s, range "
                "%(minimum)s to %(maximum)s).",
                "%(within)s of %(count)s reviews with referral and completion dates completed within 6 months of "
                "referral; referral to completion took %(mean)s months on average (median %(median)s, range "
                "%(minimum)s to %(maximum)s).",
                dated,
            )
            % {
                "within": within,
                "count": dated,
                "mean": _number(referral.mean),
                "median": _number(referral.median),
                "minimum": _number(referral.minimum),
                "maximum": _number(referral.maximum),
            }
        )
    else:
        sentences.append(_("No review has both a referral and a completion date, so timeliness cannot be measured."))
    if analysis.missing_a_date:
        sentences.append(
            _("%(missing)s of %(total)s reviews lack at least one key date.")
            % {"missing": analysis.missing_a_date, "total": analysis.total}
        )
    sentences.append(
        _(
            "Figures resting on fewer than %(small)s reviews are marked: they describe these reviews but are too "
            "few to generalise from."
        )
        % {"small": SMALL_CELL}
    )
    return sentences
