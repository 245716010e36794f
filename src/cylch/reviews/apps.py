from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    """Practice reviews: the register and its clocks, the quality checklist, tracked actions, the library."""

    name = "cylch.reviews"
    verbose_name = _("Practice reviews")
