"""The 12Cs: cycles, each C's assessment, agencies' contributions and returns, actions, charts and exports.

Fixed paths (`actions/`, `trends/`, `compare/`) and `<int:pk>/...` cannot clash; a C's pages live under
`<int:pk>/c/<component>/` so that no C code hides another path."""

from django.urls import URLPattern, URLResolver, path

from cylch.assurance.views import actions, cycles, reports, returns

app_name = "assurance"
urlpatterns: list[URLPattern | URLResolver] = [
    # cycles, assessments, contributions, moderation, sign-off, history (views/cycles.py)
    path("", cycles.cycles, name="cycles"),
    path("new/", cycles.cycle_new, name="cycle-new"),
    path("<int:pk>/", cycles.cycle, name="cycle"),
    path("<int:pk>/sign-off/", cycles.sign_off, name="sign-off"),
    path("<int:pk>/history/", cycles.cycle_history, name="history"),
    path("<int:pk>/files/<int:attachment_pk>/", cycles.attachment, name="attachment"),
    path("<int:pk>/c/<str:component>/", cycles.assessment, name="assessment"),
    path("<int:pk>/c/<str:component>/edit/", cycles.assessment_edit, name="assessment-edit"),
    path("<int:pk>/c/<str:component>/contribution/", cycles.contribution_edit, name="contribution-edit"),
    path("<int:pk>/c/<str:component>/prompts/new/", cycles.prompt_new, name="prompt-new"),
    path("<int:pk>/c/<str:component>/stakeholders/", cycles.stakeholder_add, name="stakeholder-add"),
    path(
        "<int:pk>/c/<str:component>/stakeholders/<int:stakeholder_pk>/remove/",
        cycles.stakeholder_delete,
        name="stakeholder-remove",
    ),
    path("<int:pk>/c/<str:component>/review-points/", cycles.review_point_new, name="review-point-add"),
    path("<int:pk>/c/<str:component>/files/", cycles.attachment_new, name="attachment-add"),
    # assurance returns and improvement actions (views/returns.py, views/actions.py)
    path("<int:pk>/returns/", returns.returns, name="returns"),
    path("<int:pk>/returns/new/", returns.return_new, name="return-new"),
    path("returns/<int:pk>/", returns.return_detail, name="return"),
    path("returns/<int:pk>/edit/", returns.return_edit, name="return-edit"),
    path("returns/<int:pk>/submit/", returns.return_submit_view, name="return-submit"),
    path("returns/<int:pk>/reopen/", returns.return_reopen_view, name="return-reopen"),
    path("returns/<int:pk>/extend/", returns.return_extend_view, name="return-extend"),
    path("<int:pk>/c/<str:component>/actions/new/", actions.action_new, name="action-new"),
    path("actions/", actions.actions, name="actions"),
    path("actions/overdue/", actions.actions_overdue, name="actions-overdue"),
    path("actions/<int:pk>/", actions.action, name="action"),
    path("actions/<int:pk>/edit/", actions.action_edit, name="action-edit"),
    # facts, charts, comparison and exports (views/reports.py)
    path("trends/", reports.trends, name="trends"),
    path("compare/", reports.compare, name="compare"),
    path("<int:pk>/facts/", reports.facts, name="facts"),
    path("<int:pk>/heat-map/", reports.heatmap_page, name="heatmap"),
    path("<int:pk>/report.pdf", reports.report_pdf, name="report-pdf"),
    path("<int:pk>/report.xlsx", reports.report_xlsx, name="report-xlsx"),
    path("<int:pk>/report.csv", reports.report_csv, name="report-csv"),
]
