"""A practice review as coded for the thematic analysis: its key dates and the codes of the frame it shows.

Keyed by the review's own code (`review_id`, as the board's spreadsheet names it), not by a link to the review
register: the register (`cylch.reviews`) and this analysis are siblings, and a board may code reviews from other
regions or from before Cylch. Nothing here names a person.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from cylch.accounts.models import LocalAuthority

REVIEW_ID_PATTERN = r"[A-Za-z0-9][A-Za-z0-9_-]{0,39}"
MAX_REVIEW_PERIOD_MONTHS = 240


class ReviewType(models.TextChoices):
    CPR_CONCISE = "cpr_concise", _("Child practice review (concise)")
    CPR_EXTENDED = "cpr_extended", _("Child practice review (extended)")
    SUSR = "susr", _("Single Unified Safeguarding Review (SUSR)")
    RAPID_REVIEW = "rapid_review", _("Rapid review (England)")
    LCSPR = "lcspr", _("Local child safeguarding practice review (England)")


def _not_before(later: str, earlier: str) -> Q:
    return Q(**{f"{later}__isnull": True}) | Q(**{f"{earlier}__isnull": True}) | Q(**{f"{later}__gte": F(earlier)})


class CodedReview(models.Model):
    review_id = models.CharField(
        _("review ID"),
        max_length=40,
        unique=True,
        validators=[
            RegexValidator(
                f"^{REVIEW_ID_PATTERN}$",
                _("A review ID is up to 40 letters, digits, hyphens and underscores, starting with a letter or digit"),
            )
        ],
    )
    review_type = models.CharField(_("type of review"), max_length=16, choices=ReviewType.choices, blank=True)
    local_authority = models.ForeignKey(
        LocalAuthority,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("local authority"),
    )
    incident_date = models.DateField(_("date of the incident"), null=True, blank=True)
    referral_date = models.DateField(_("date of referral to the review sub-group"), null=True, blank=True)
    learning_event_date = models.DateField(_("date of the practitioner learning event"), null=True, blank=True)
    completion_date = models.DateField(_("date the review was completed"), null=True, blank=True)
    review_period_months = models.PositiveSmallIntegerField(
        _("months of practice reviewed"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_REVIEW_PERIOD_MONTHS)],
    )
    frame_version = models.PositiveSmallIntegerField(_("coding frame version"))
    coded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("coded review")
        verbose_name_plural = _("coded reviews")
        ordering = ["review_id"]
        constraints = [
            # The order a review's dates must keep (`dates.date_order_problems` words the same rules for people).
            models.CheckConstraint(
                condition=_not_before("referral_date", "incident_date"), name="thematic_referral_after_incident"
            ),
            models.CheckConstraint(
                condition=_not_before("learning_event_date", "incident_date"),
                name="thematic_learning_event_after_incident",
            ),
            models.CheckConstraint(
                condition=_not_before("completion_date", "referral_date"), name="thematic_completion_after_referral"
            ),
            models.CheckConstraint(
                condition=_not_before("completion_date", "incident_date"), name="thematic_completion_after_incident"
            ),
        ]

    def __str__(self) -> str:
        return self.review_id


class ReviewCode(models.Model):
    """One code of the frame found in a review (a code not listed was not found: the CSV's 0)."""

    review = models.ForeignKey(CodedReview, on_delete=models.CASCADE, related_name="codes")
    code = models.CharField(_("code"), max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["review", "code"], name="thematic_one_code_once_per_review")]

    def __str__(self) -> str:
        return f"{self.review_id}: {self.code}"
