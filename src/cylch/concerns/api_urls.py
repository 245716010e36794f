from django.urls import path

from cylch.concerns.api import ConcernDetailApi, ConcernListCreateApi

urlpatterns = [
    path("concerns", ConcernListCreateApi.as_view(), name="api-concerns"),
    path("concerns/<reference:reference>", ConcernDetailApi.as_view(), name="api-concern"),
]
