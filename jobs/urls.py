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
    path(
        "agreements/<slug:round_slug>/<slug:area_slug>/versions/<int:number>/signed.pdf",
        views.version_pdf,
        name="version_pdf",
    ),
    path("<uuid:pk>/", views.job_detail, name="detail"),
    path("<uuid:pk>/download/", views.job_download, name="download"),
]
