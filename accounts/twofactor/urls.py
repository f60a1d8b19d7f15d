from django.urls import path

from accounts.twofactor import views

app_name = "two_factor"

urlpatterns = [
    path("", views.setup, name="setup"),
    path("authenticator-app/", views.authenticator, name="authenticator"),
    path("authenticator-app/remove/", views.authenticator_remove, name="authenticator_remove"),
    path("passkeys/", views.passkeys, name="passkeys"),
    path("passkeys/<int:pk>/remove/", views.passkey_remove, name="passkey_remove"),
    path("recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("verify/", views.verify, name="verify"),
    path("reset/<int:pk>/", views.reset, name="reset"),
]
