"""Middleware of the portal's own."""

from django.core.exceptions import BadRequest


class RefuseNulBytesMiddleware:
    """Answers 400 to a web address holding a NUL byte, in its path or its query string.

    No link or form of the portal makes one, PostgreSQL cannot compare text with one, and
    refusing here spares every search and filter from checking. Posted forms need no such
    guard: Django's form fields already refuse NUL bytes with a message."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in name or any("\x00" in value for value in values)
            for name, values in request.GET.lists()
        ):
            raise BadRequest("A NUL byte in the web address")
        return self.get_response(request)
