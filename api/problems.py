"""Errors as problem details (RFC 9457): `application/problem+json` with a type, a title,
the status, a detail for people and the path asked for. Never an exception's text."""

from __future__ import annotations

from http import HTTPStatus

from django.http import JsonResponse
from rest_framework import exceptions
from rest_framework.views import exception_handler

PROBLEM_TYPE = "application/problem+json"

DETAILS = {
    400: "The request's parameters are not valid.",
    401: "Send a valid API token: 'Authorization: Bearer <token>'.",
    403: "You may not do this.",
    404: "There is nothing here, or nothing you may see.",
    405: "The read API answers GET (and HEAD) only.",
    406: "The API cannot answer in the format asked for.",
    429: "Too many requests with this token. Try again later.",
}


def problem(status: int, *, instance: str, detail: str = "", errors=None) -> dict:
    body = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail or DETAILS.get(status, ""),
        "instance": instance,
    }
    if errors:
        body["errors"] = errors
    return body


def problem_exception_handler(exc, context):
    response = exception_handler(exc, context)
    if response is None:
        return None
    request = context["request"]
    detail = ""
    errors = None
    if isinstance(exc, exceptions.ValidationError):
        errors = response.data if isinstance(response.data, dict) else {"": response.data}
    elif isinstance(exc, (exceptions.AuthenticationFailed, exceptions.Throttled)):
        # Our own messages (never an exception from elsewhere): which of the two it was.
        detail = str(exc.detail)
    response.data = problem(
        response.status_code, instance=request.path, detail=detail, errors=errors
    )
    response.content_type = PROBLEM_TYPE
    return response


def not_found(request, *args, **kwargs):
    """Any address under /api/ that names no resource."""
    return JsonResponse(problem(404, instance=request.path), status=404, content_type=PROBLEM_TYPE)
