from django.urls import path

from dashboards import views

app_name = "dashboards"

urlpatterns = [
    path("", views.national, name="national"),
    path("summary.pdf", views.national_pdf, name="national_pdf"),
    path("<slug:slug>/", views.region, name="region"),
    path("<slug:slug>/summary.pdf", views.region_pdf, name="region_pdf"),
    path("<slug:slug>/on-track/", views.region_track, name="region_track"),
]
