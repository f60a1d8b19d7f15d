from django.urls import path

from api import pages

app_name = "api_tokens"

urlpatterns = [
    path("", pages.personal_tokens, name="personal"),
    path("<int:pk>/revoke/", pages.personal_token_revoke, name="personal_revoke"),
    path("organisations/", pages.organisation_tokens, name="organisations"),
    path(
        "organisations/<int:pk>/revoke/",
        pages.organisation_token_revoke,
        name="organisation_revoke",
    ),
]
