from django.urls import path

from jobs import views

app_name = "jobs"

urlpatterns = [
    path("exports/", views.exports_index, name="exports_index"),
    path("exports/<slug:slug>/", views.exports, name="exports"),
    path(
        "agreements/<slug:round_slug>/<slug:area_slug>/pdf/",
        views.agreement_pdf,
        name="agreement_pdf",
    ),
    path("<uuid:pk>/", views.job_detail, name="detail"),
    path("<uuid:pk>/download/", views.job_download, name="download"),
]
