"""Guard: the list of routes is pinned, so adding or removing one is a deliberate, reviewed change.

When this fails, update ROUTES and make sure test_route_authentication covers the new route (it walks the same
resolver, so a new route is checked there automatically unless it is added to PUBLIC_ROUTES).
"""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import URLPattern, URLResolver, get_resolver

# (pattern as ResolverMatch.route spells it, namespaced URL name or None), sorted.
ROUTES: list[tuple[str, str | None]] = [
    ("", "home:home"),
    ("access-requests/", "access:access-requests"),
    ("access-requests/<int:pk>/", "access:access-request"),
    ("access-reviews/", "access:access-reviews"),
    ("access-reviews/<int:pk>/", "access:access-review"),
    ("admin/", "admin:index"),
    ("admin/(?P<app_label>auth|django_tasks_database|accounts|people|chronology)/$", "admin:app_list"),
    ("admin/(?P<url>.*)$", None),
    ("admin/accounts/agency/", "admin:accounts_agency_changelist"),
    ("admin/accounts/agency/<path:object_id>/", None),
    ("admin/accounts/agency/<path:object_id>/change/", "admin:accounts_agency_change"),
    ("admin/accounts/agency/<path:object_id>/delete/", "admin:accounts_agency_delete"),
    ("admin/accounts/agency/<path:object_id>/history/", "admin:accounts_agency_history"),
    ("admin/accounts/agency/add/", "admin:accounts_agency_add"),
    ("admin/accounts/localauthority/", "admin:accounts_localauthority_changelist"),
    ("admin/accounts/localauthority/<path:object_id>/", None),
    ("admin/accounts/localauthority/<path:object_id>/change/", "admin:accounts_localauthority_change"),
    ("admin/accounts/localauthority/<path:object_id>/delete/", "admin:accounts_localauthority_delete"),
    ("admin/accounts/localauthority/<path:object_id>/history/", "admin:accounts_localauthority_history"),
    ("admin/accounts/localauthority/add/", "admin:accounts_localauthority_add"),
    ("admin/accounts/practitioner/", "admin:accounts_practitioner_changelist"),
    ("admin/accounts/practitioner/<id>/password/", "admin:auth_user_password_change"),
    ("admin/accounts/practitioner/<path:object_id>/", None),
    ("admin/accounts/practitioner/<path:object_id>/change/", "admin:accounts_practitioner_change"),
    ("admin/accounts/practitioner/<path:object_id>/delete/", "admin:accounts_practitioner_delete"),
    ("admin/accounts/practitioner/<path:object_id>/history/", "admin:accounts_practitioner_history"),
    ("admin/accounts/practitioner/add/", "admin:accounts_practitioner_add"),
    ("admin/accounts/region/", "admin:accounts_region_changelist"),
    ("admin/accounts/region/<path:object_id>/", None),
    ("admin/accounts/region/<path:object_id>/change/", "admin:accounts_region_change"),
    ("admin/accounts/region/<path:object_id>/delete/", "admin:accounts_region_delete"),
    ("admin/accounts/region/<path:object_id>/history/", "admin:accounts_region_history"),
    ("admin/accounts/region/add/", "admin:accounts_region_add"),
    ("admin/auth/group/", "admin:auth_group_changelist"),
    ("admin/auth/group/<path:object_id>/", None),
    ("admin/auth/group/<path:object_id>/change/", "admin:auth_group_change"),
    ("admin/auth/group/<path:object_id>/delete/", "admin:auth_group_delete"),
    ("admin/auth/group/<path:object_id>/history/", "admin:auth_group_history"),
    ("admin/auth/group/add/", "admin:auth_group_add"),
    ("admin/autocomplete/", "admin:autocomplete"),
    ("admin/chronology/chronologyevent/", "admin:chronology_chronologyevent_changelist"),
    ("admin/chronology/chronologyevent/<path:object_id>/", None),
    ("admin/chronology/chronologyevent/<path:object_id>/change/", "admin:chronology_chronologyevent_change"),
    ("admin/chronology/chronologyevent/<path:object_id>/delete/", "admin:chronology_chronologyevent_delete"),
    ("admin/chronology/chronologyevent/<path:object_id>/history/", "admin:chronology_chronologyevent_history"),
    ("admin/chronology/chronologyevent/add/", "admin:chronology_chronologyevent_add"),
    ("admin/django_tasks_database/dbtaskresult/", "admin:django_tasks_database_dbtaskresult_changelist"),
    ("admin/django_tasks_database/dbtaskresult/<path:object_id>/", None),
    (
        "admin/django_tasks_database/dbtaskresult/<path:object_id>/change/",
        "admin:django_tasks_database_dbtaskresult_change",
    ),
    (
        "admin/django_tasks_database/dbtaskresult/<path:object_id>/delete/",
        "admin:django_tasks_database_dbtaskresult_delete",
    ),
    (
        "admin/django_tasks_database/dbtaskresult/<path:object_id>/history/",
        "admin:django_tasks_database_dbtaskresult_history",
    ),
    ("admin/django_tasks_database/dbtaskresult/add/", "admin:django_tasks_database_dbtaskresult_add"),
    ("admin/jsi18n/", "admin:jsi18n"),
    ("admin/login/", "admin:login"),
    ("admin/logout/", "admin:logout"),
    ("admin/password_change/", "admin:password_change"),
    ("admin/password_change/done/", "admin:password_change_done"),
    ("admin/people/household/", "admin:people_household_changelist"),
    ("admin/people/household/<path:object_id>/", None),
    ("admin/people/household/<path:object_id>/change/", "admin:people_household_change"),
    ("admin/people/household/<path:object_id>/delete/", "admin:people_household_delete"),
    ("admin/people/household/<path:object_id>/history/", "admin:people_household_history"),
    ("admin/people/household/add/", "admin:people_household_add"),
    ("admin/people/person/", "admin:people_person_changelist"),
    ("admin/people/person/<path:object_id>/", None),
    ("admin/people/person/<path:object_id>/change/", "admin:people_person_change"),
    ("admin/people/person/<path:object_id>/delete/", "admin:people_person_delete"),
    ("admin/people/person/<path:object_id>/history/", "admin:people_person_history"),
    ("admin/people/person/add/", "admin:people_person_add"),
    ("admin/people/relationship/", "admin:people_relationship_changelist"),
    ("admin/people/relationship/<path:object_id>/", None),
    ("admin/people/relationship/<path:object_id>/change/", "admin:people_relationship_change"),
    ("admin/people/relationship/<path:object_id>/delete/", "admin:people_relationship_delete"),
    ("admin/people/relationship/<path:object_id>/history/", "admin:people_relationship_history"),
    ("admin/people/relationship/add/", "admin:people_relationship_add"),
    ("admin/r/<path:content_type_id>/<path:object_id>/", "admin:view_on_site"),
    ("api/docs/", "api-docs"),
    ("api/schema/", "api-schema"),
    ("api/v1/concerns", "api-concerns"),
    ("api/v1/concerns/<reference:reference>", "api-concern"),
    ("api/v1/events", "api-feed-events"),
    ("api/v1/fhir/Appointment", "api-fhir-appointment"),
    ("api/v1/fhir/Flag", "api-fhir-flag"),
    ("api/v1/household-memberships", "api-feed-household-memberships"),
    ("api/v1/involvements", "api-feed-involvements"),
    ("api/v1/meetings", "api-meetings"),
    ("api/v1/persons/<cylch_id:cylch_id>", "api-person-detail"),
    ("api/v1/persons/match", "api-person-match"),
    ("api/v1/plans/<int:pk>", "api-plan"),
    ("api/v1/relationships", "api-feed-relationships"),
    ("api/v1/reviews", "api-reviews"),
    ("api/v1/reviews/<slug:code>/actions", "api-review-actions"),
    ("api/v1/source-records", "api-source-record-receive"),
    ("api/v1/statuses", "api-feed-statuses"),
    ("concerns/<reference:reference>/", "concerns:detail"),
    ("concerns/draft/<uuid:token>/<slug:slug>/", "concerns:step"),
    ("concerns/draft/<uuid:token>/<str:group>/<int:index>/", "concerns:person"),
    ("concerns/mine/", "concerns:mine"),
    ("concerns/new/", "concerns:start"),
    ("concerns/submitted/<reference:reference>/", "concerns:submitted"),
    ("front-door/", "concerns:queue"),
    ("front-door/metrics/", "concerns:metrics"),
    ("health/", "health"),
    ("i18n/setlang/", "set_language"),
    ("information-requests/", "concerns:information-requests"),
    ("information-requests/<int:pk>/", "concerns:information-request"),
    ("linkage/merges/", "linkage:merges"),
    ("linkage/merges/<int:pk>/unmerge/", "linkage:unmerge"),
    ("linkage/reviews/", "linkage:reviews"),
    ("linkage/reviews/<int:pk>/", "linkage:review"),
    ("meetings/", "meetings:worklist"),
    ("meetings/<int:pk>/", "meetings:detail"),
    ("meetings/<int:pk>/assessment/", "meetings:assessment"),
    ("meetings/<int:pk>/circulate/", "meetings:circulate"),
    ("meetings/<int:pk>/circulated/<slug:kind>/", "meetings:circulated"),
    ("meetings/<int:pk>/decisions/", "meetings:decide"),
    ("meetings/<int:pk>/documents/<slug:document>.<slug:extension>", "meetings:document"),
    ("meetings/<int:pk>/held/", "meetings:hold"),
    ("meetings/<int:pk>/invitees/", "meetings:invite"),
    ("meetings/<int:pk>/reports/", "meetings:report"),
    ("meetings/<int:pk>/reports/<int:report_pk>/attachment/", "meetings:report-attachment"),
    ("meetings/<int:pk>/reports/<int:report_pk>/shared/", "meetings:report-shared"),
    ("meetings/actions/<int:pk>/", "meetings:action-update"),
    ("meetings/new/", "meetings:convene"),
    ("meetings/plans/<int:pk>/", "meetings:plan"),
    ("meetings/plans/<int:pk>/actions/", "meetings:plan-action"),
    ("meetings/plans/<int:pk>/plan.<slug:extension>", "meetings:plan-document"),
    ("meetings/plans/<int:pk>/versions/", "meetings:plan-version"),
    ("meetings/timeliness/", "meetings:timeliness"),
    ("people/<cylch_id:cylch_id>/", "people:detail"),
    ("people/<cylch_id:cylch_id>/access-log/", "people:access-log"),
    ("people/<cylch_id:cylch_id>/allocations/end/", "people:allocation-end"),
    ("people/<cylch_id:cylch_id>/allocations/new/", "people:allocation-new"),
    ("people/<cylch_id:cylch_id>/break-glass/", "people:break-glass"),
    ("people/<cylch_id:cylch_id>/chronology.csv", "people:chronology-csv"),
    ("people/<cylch_id:cylch_id>/chronology.pdf", "people:chronology-pdf"),
    ("people/<cylch_id:cylch_id>/events/new/", "people:event-new"),
    ("people/<cylch_id:cylch_id>/family/", "people:family"),
    ("people/<cylch_id:cylch_id>/family/chronology.csv", "people:family-chronology-csv"),
    ("people/<cylch_id:cylch_id>/family/chronology.pdf", "people:family-chronology-pdf"),
    ("people/<cylch_id:cylch_id>/household/", "people:household"),
    ("people/<cylch_id:cylch_id>/household/disagreements/<int:pk>/resolve/", "people:household-disagreement-resolve"),
    ("people/<cylch_id:cylch_id>/household/members/<int:pk>/moved-out/", "people:membership-end"),
    ("people/<cylch_id:cylch_id>/household/members/new/", "people:household-member-new"),
    ("people/<cylch_id:cylch_id>/household/move/", "people:household-move"),
    ("people/<cylch_id:cylch_id>/relationships/<int:pk>/end/", "people:relationship-end"),
    (
        "people/<cylch_id:cylch_id>/relationships/disagreements/<int:pk>/resolve/",
        "people:relationship-disagreement-resolve",
    ),
    ("people/<cylch_id:cylch_id>/relationships/new/", "people:relationship-new"),
    ("people/<cylch_id:cylch_id>/request-access/", "people:request-access"),
    ("people/<cylch_id:cylch_id>/statuses/<int:pk>/end/", "people:status-end"),
    ("people/<cylch_id:cylch_id>/statuses/new/", "people:status-new"),
    ("people/<cylch_id:cylch_id>/subject-access.json", "people:subject-access-json"),
    ("people/<cylch_id:cylch_id>/subject-access.pdf", "people:subject-access-pdf"),
    ("people/caseload/", "people:caseload"),
    ("people/search/", "people:search"),
    ("reviews/", "reviews:register"),
    ("reviews/<slug:code>/", "reviews:review"),
    ("reviews/<slug:code>/documents/new/", "reviews:document-new"),
    ("reviews/<slug:code>/edit/", "reviews:review-edit"),
    ("reviews/<slug:code>/findings/new/", "reviews:finding-new"),
    ("reviews/<slug:code>/recommendations/<int:number>/actions/new/", "reviews:action-new"),
    ("reviews/<slug:code>/recommendations/new/", "reviews:recommendation-new"),
    ("reviews/<slug:code>/report-template.docx", "reviews:report-template-docx"),
    ("reviews/<slug:code>/report-template.pdf", "reviews:report-template-pdf"),
    ("reviews/<slug:code>/stages/", "reviews:review-stages"),
    ("reviews/actions/", "reviews:actions"),
    ("reviews/actions/<int:pk>/", "reviews:action"),
    ("reviews/actions/<int:pk>/sign-off/", "reviews:action-sign-off"),
    ("reviews/documents/<int:pk>/", "reviews:document"),
    ("reviews/library/", "reviews:library"),
    ("reviews/new/", "reviews:review-new"),
    ("reviews/recommendations/", "reviews:recommendations"),
    ("reviews/timeliness/", "reviews:timeliness"),
    ("risk/alerts/", "risk:alerts"),
    ("risk/alerts/<int:pk>/", "risk:alert"),
    ("risk/alerts/<int:pk>/acknowledge/", "risk:alert-acknowledge"),
    ("risk/alerts/<int:pk>/close/", "risk:alert-close"),
    ("risk/dashboard.csv", "risk:dashboard-csv"),
    ("risk/dashboard/", "risk:dashboard"),
    ("risk/rules/", "risk:rules"),
    ("risk/rules/<slug:code>/", "risk:rule"),
    ("risk/rules/<slug:code>/trial/", "risk:rule-trial"),
    ("risk/was-not-brought/<cylch_id:cylch_id>/", "risk:was-not-brought"),
    ("sign-in/", "accounts:sign-in"),
    ("sign-in/code/", "accounts:two-factor"),
    ("sign-in/provider/", "accounts:oidc-sign-in"),
    ("sign-in/provider/callback/", "accounts:oidc-callback"),
    ("sign-in/set-up/", "accounts:two-factor-set-up"),
    ("sign-out/", "accounts:sign-out"),
    ("thematic/", "thematic:analysis"),
    ("thematic/downloads/<str:name>", "thematic:download"),
    ("thematic/import/", "thematic:import"),
    ("thematic/new/", "thematic:review-new"),
    ("thematic/reviews/", "thematic:reviews"),
    ("thematic/reviews/<slug:review_id>/", "thematic:review"),
]


def _walk(
    patterns: list[URLPattern | URLResolver], text: str = "", namespace: str = ""
) -> Iterator[tuple[str, str | None]]:
    for pattern in patterns:
        own_text = text + str(pattern.pattern).removeprefix("^")  # joined as django.urls.resolvers does
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, own_text, inner)
        else:
            yield own_text, f"{namespace}{pattern.name}" if pattern.name else None


def current_routes() -> list[tuple[str, str | None]]:
    return sorted(set(_walk(get_resolver().url_patterns)), key=lambda route: (route[0], route[1] or ""))


def test_the_routes_are_the_pinned_list():
    current = current_routes()
    added = [route for route in current if route not in ROUTES]
    removed = [route for route in ROUTES if route not in current]
    message = "\n".join(
        ["The routes changed: add it to ROUTES and make sure test_route_authentication covers it."]
        + [f"  new:  {route!r}," for route in added]
        + [f"  gone: {route!r}," for route in removed]
    )
    assert current == ROUTES, message


def test_the_pinned_list_is_sorted_without_duplicates():
    tidy = sorted(set(ROUTES), key=lambda route: (route[0], route[1] or ""))
    assert tidy == ROUTES
