"""Finding people and opening their records (the namespace is `people`, as the paths are /people/...)."""

from django.urls import path

from cylch.access import views as access_views
from cylch.records import changes, views

app_name = "people"
urlpatterns = [
    path("search/", views.search, name="search"),
    path("caseload/", views.caseload, name="caseload"),
    path("<cylch_id:cylch_id>/", views.detail, name="detail"),
    path("<cylch_id:cylch_id>/family/", views.family, name="family"),
    path("<cylch_id:cylch_id>/family/chronology.csv", views.family_chronology_csv, name="family-chronology-csv"),
    path("<cylch_id:cylch_id>/family/chronology.pdf", views.family_chronology_pdf, name="family-chronology-pdf"),
    path("<cylch_id:cylch_id>/chronology.csv", views.chronology_csv, name="chronology-csv"),
    path("<cylch_id:cylch_id>/chronology.pdf", views.chronology_pdf, name="chronology-pdf"),
    path("<cylch_id:cylch_id>/request-access/", views.request_access, name="request-access"),
    path("<cylch_id:cylch_id>/break-glass/", views.break_glass_view, name="break-glass"),
    path("<cylch_id:cylch_id>/access-log/", access_views.access_log, name="access-log"),
    path("<cylch_id:cylch_id>/subject-access.json", views.subject_access_json, name="subject-access-json"),
    path("<cylch_id:cylch_id>/subject-access.pdf", views.subject_access_pdf, name="subject-access-pdf"),
    path("<cylch_id:cylch_id>/events/new/", changes.event_new, name="event-new"),
    path("<cylch_id:cylch_id>/household/", changes.household, name="household"),
    path("<cylch_id:cylch_id>/household/move/", changes.household_move, name="household-move"),
    path("<cylch_id:cylch_id>/household/members/new/", changes.household_member_new, name="household-member-new"),
    path("<cylch_id:cylch_id>/household/members/<int:pk>/moved-out/", changes.membership_end, name="membership-end"),
    path("<cylch_id:cylch_id>/relationships/new/", changes.relationship_new, name="relationship-new"),
    path("<cylch_id:cylch_id>/relationships/<int:pk>/end/", changes.relationship_end, name="relationship-end"),
    path("<cylch_id:cylch_id>/statuses/new/", changes.status_new, name="status-new"),
    path("<cylch_id:cylch_id>/allocations/new/", changes.allocation_new, name="allocation-new"),
    path("<cylch_id:cylch_id>/statuses/<int:pk>/end/", changes.status_end, name="status-end"),
    path("<cylch_id:cylch_id>/allocations/end/", changes.allocation_end, name="allocation-end"),
    path(
        "<cylch_id:cylch_id>/household/disagreements/<int:pk>/resolve/",
        changes.disagreement_resolve,
        {"about": "household"},
        name="household-disagreement-resolve",
    ),
    path(
        "<cylch_id:cylch_id>/relationships/disagreements/<int:pk>/resolve/",
        changes.disagreement_resolve,
        {"about": "relationship"},
        name="relationship-disagreement-resolve",
    ),
]
