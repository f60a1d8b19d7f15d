from django.urls import path

from accounts.sso import views

app_name = "sso"

urlpatterns = [
    path("callback/", views.callback, name="callback"),
]
