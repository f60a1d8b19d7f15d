from django.urls import path

from indicators import views

app_name = "indicators"

urlpatterns = [
    path("indicators/", views.indicator_list, name="list"),
    path("indicators/<slug:code_slug>/", views.indicator_detail, name="detail"),
    path("rounds/", views.round_list, name="round_list"),
    path("rounds/<slug:slug>/", views.round_detail, name="round_detail"),
]
