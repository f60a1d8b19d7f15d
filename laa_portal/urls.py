from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts import views as account_views
from accounts.sessions import views as session_views
from health.views import healthz

admin.site.site_header = "LAA Portal data administration"
admin.site.site_title = "LAA Portal"

urlpatterns = [
    path("", include("portal.urls")),
    path("healthz", healthz, name="healthz"),
    path("sign-in/", account_views.LoginView.as_view(), name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("password-reset/", account_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        account_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("settings/email/", account_views.notification_settings, name="notification_settings"),
    path("sign-in/sso/", include("accounts.sso.urls")),
    path("account/sessions/", include("accounts.sessions.urls")),
    path("account/password/", session_views.password_change, name="password_change"),
    path("account/two-factor/", include("accounts.twofactor.urls")),
    path("account/two-factor/passkey-api/", include("accounts.twofactor.webauthn_urls")),
    path("people/", include("people.urls")),
    path("invitations/", include("people.accept_urls")),
    path("areas/", include("accounts.urls")),
    path("agreements/", include("agreements.urls")),
    path("agreements/", include("negotiations.urls")),
    path("", include("freedoms.urls")),
    path("", include("signoff.urls")),
    path("", include("performance.urls")),
    path("jobs/", include("jobs.urls")),
    path("dashboards/", include("dashboards.urls")),
    path("ambition/", include("ambition.urls")),
    path("", include("indicators.urls")),
    path("data-admin/", admin.site.urls),
    path("api/", include("api.urls")),
    path("settings/api-tokens/", include("api.token_urls")),
]

handler400 = "laa_portal.errors.bad_request"
handler404 = "laa_portal.errors.not_found"
handler500 = "laa_portal.errors.server_error"
