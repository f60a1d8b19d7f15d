"""The read API under /api/v1/. Every endpoint checks its own token (or session), so the
portal's sign-in redirect does not apply to these addresses."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView

from api import pages, views
from api.authentication import ApiTokenAuthentication, ReadOnlySessionAuthentication
from api.problems import not_found

app_name = "api"


def endpoint(view_class, **initkwargs):
    return login_not_required(view_class.as_view(**initkwargs))


class SchemaView(SpectacularAPIView):
    authentication_classes = [ApiTokenAuthentication, ReadOnlySessionAuthentication]
    http_method_names = ["get", "head"]


AGREEMENT = "v1/agreements/<slug:round>/<slug:area>/"

urlpatterns = [
    path("v1/schema/", endpoint(SchemaView), name="schema"),
    path("v1/docs/", pages.docs, name="docs"),
    path("v1/rounds/", endpoint(views.RoundList), name="round-list"),
    path("v1/rounds/<slug:slug>/", endpoint(views.RoundDetail), name="round-detail"),
    path(
        "v1/rounds/<slug:slug>/agreed-targets/",
        endpoint(views.AgreedTargets),
        name="agreed-targets",
    ),
    path("v1/rounds/<slug:slug>/brief/", endpoint(views.BriefList), name="brief"),
    path("v1/indicators/", endpoint(views.IndicatorList), name="indicator-list"),
    path("v1/indicators/<slug:slug>/", endpoint(views.IndicatorDetail), name="indicator-detail"),
    path("v1/areas/", endpoint(views.AreaList), name="area-list"),
    path("v1/areas/<slug:slug>/", endpoint(views.AreaDetail), name="area-detail"),
    path("v1/agreements/", endpoint(views.AgreementList), name="agreement-list"),
    path(AGREEMENT, endpoint(views.AgreementDetail), name="agreement-detail"),
    path(AGREEMENT + "versions/", endpoint(views.VersionList), name="version-list"),
    path(
        AGREEMENT + "versions/<int:number>/",
        endpoint(views.VersionDetail),
        name="version-detail",
    ),
    path(
        AGREEMENT + "versions/<int:number>/targets/",
        endpoint(views.VersionTargets),
        name="version-targets",
    ),
    path(
        AGREEMENT + "versions/<int:number>/differences/",
        endpoint(views.VersionDifferences),
        name="version-differences",
    ),
    path("v1/requests/", endpoint(views.RequestList), name="request-list"),
    path(
        "v1/requests/<slug:round>/<slug:area>/<int:number>/",
        endpoint(views.RequestDetail),
        name="request-detail",
    ),
    path("v1/register/", endpoint(views.RegisterList), name="register"),
    path("v1/changes/", endpoint(views.Changes), name="changes"),
    re_path(r"^.*$", login_not_required(not_found), name="not-found"),
]
