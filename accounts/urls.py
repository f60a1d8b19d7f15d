from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.area_list, name="area_list"),
    path("<slug:slug>/", views.area_detail, name="area_detail"),
]
