from django.urls import path

from ambition import views

app_name = "ambition"

urlpatterns = [
    path(
        "<slug:round_slug>/<slug:area_slug>/compare/",
        views.preview,
        name="preview",
    ),
    path(
        "<slug:round_slug>/indicators/<slug:code_slug>/",
        views.indicator_targets,
        name="indicator",
    ),
    path(
        "<slug:round_slug>/indicators/<slug:code_slug>/targets.csv",
        views.indicator_targets_csv,
        name="indicator_csv",
    ),
]
