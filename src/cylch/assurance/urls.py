"""The 12Cs: cycles, each C's assessment, agencies' contributions and returns, actions, charts and exports.

Fixed paths (`actions/`, `trends/`, `compare/`) and `<int:pk>/...` cannot clash; a C's pages live under
`<int:pk>/c/<component>/` so that no C code hides another path."""

from django.urls import URLPattern, URLResolver

app_name = "assurance"
urlpatterns: list[URLPattern | URLResolver] = [
    # cycles, assessments, contributions, moderation, sign-off, history (views/cycles.py)
    # assurance returns and improvement actions (views/returns.py, views/actions.py)
    # facts, charts, comparison and exports (views/reports.py)
]
