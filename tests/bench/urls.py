"""The portal's URLs plus one page that runs a single query, as the floor the other pages
are compared with: the same middleware (sessions, authentication, CSRF, CSP, axes...) and a
signed-in user, but no template, no navigation and no permission checks."""

from django.http import HttpResponse
from django.urls import path
from django.utils.html import escape

from indicators.models import Round
from laa_portal.urls import handler404, handler500  # noqa: F401
from laa_portal.urls import urlpatterns as portal_urlpatterns

TRIVIAL_PATH = "/bench/one-query/"


def one_query(request):
    # Exactly one SELECT of one short row, whatever the size of the data.
    name = Round.objects.order_by("pk").values_list("name", flat=True).first() or ""
    return HttpResponse(f"<!doctype html><title>LAA Portal</title><p>{escape(name)}</p>")


urlpatterns = [path(TRIVIAL_PATH.strip("/") + "/", one_query, name="bench_one_query")]
urlpatterns += portal_urlpatterns
