"""Nothing personal is kept by browsers or proxies.

Pages and files for a signed-in person (agreements under negotiation, PDFs, exports,
evidence) are sent with `Cache-Control: no-store` (and Django's other never-cache
headers), so that a shared computer's back button or a caching proxy never shows them to
the next person. Files sent as attachments get the same, whoever asked. Static assets
are served before this runs, with their own long-lived headers.
"""

from __future__ import annotations

from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        attachment = response.get("Content-Disposition", "").startswith("attachment")
        if signed_in or attachment:
            add_never_cache_headers(response)
        return response
