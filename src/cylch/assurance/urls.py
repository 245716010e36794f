"""The 12Cs: cycles, each C's assessment, agencies' contributions and returns, actions, charts and exports.

Fixed paths (`actions/`, `trends/`, `compare/`) and `<int:pk>/...` cannot clash; a C's pages live under
`<int:pk>/c/<component>/` so that no C code hides another path."""

from django.urls import URLPattern, URLResolver, path

from cylch.assurance.views import cycles

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
    # facts, charts, comparison and exports (views/reports.py)
]
