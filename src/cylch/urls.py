"""Top-level routes. Every route needs sign-in unless its view is explicitly marked public."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from cylch.accounts.views import language_choose
from cylch.core.views import api_docs, health

urlpatterns = [
    # Choosing English or Welsh must work before signing in (the sign-in page has the switch too).
    path("i18n/setlang/", language_choose, name="set_language"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("cylch.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", api_docs, name="api-docs"),
    # For load balancers and monitoring: public, and no personal data in it.
    path("health/", health, name="health"),
    path("", include("cylch.home.urls")),
    path("", include("cylch.accounts.urls")),
    path("people/", include("cylch.records.urls")),
    path("linkage/", include("cylch.linkage.urls")),
    path("", include("cylch.access.urls")),
    path("", include("cylch.concerns.urls")),
    path("risk/", include("cylch.risk.urls")),
    path("meetings/", include("cylch.meetings.urls")),
    path("reviews/", include("cylch.reviews.urls")),
    path("thematic/", include("cylch.thematic.urls")),
    path("assurance/", include("cylch.assurance.urls")),
]

# The service's own error pages, in its layout and the reader's language; JSON under /api/ (`core/errors.py`).
handler400 = "cylch.core.errors.bad_request"
handler403 = "cylch.core.errors.permission_denied"
handler404 = "cylch.core.errors.page_not_found"
handler500 = "cylch.core.errors.server_error"
