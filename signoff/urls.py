from django.urls import path

from signoff import views

app_name = "signoff"

A = "agreements/<slug:round_slug>/<slug:area_slug>/"

urlpatterns = [
    path("rounds/<slug:slug>/sign-off/", views.round_chains, name="round_chains"),
    path("rounds/<slug:slug>/refresh/", views.round_refresh, name="round_refresh"),
    path(A + "sign-off/", views.sign_off, name="sign_off"),
    path(A + "sign-off/<str:step>/<int:organisation_pk>/", views.sign, name="sign"),
    path(A + "amendment/", views.amendment, name="amendment"),
]
