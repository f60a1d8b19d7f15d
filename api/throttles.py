"""Throttling per token, counted from the request log, so that every web process sees the
same count (no shared cache needed). A person signed in is counted by their own requests."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle

from api.models import ApiRequest, ApiToken


def rate() -> tuple[int, int]:
    """API_THROTTLE_RATE, e.g. '600/minute': requests allowed, and in how many seconds."""
    allowed, seconds = SimpleRateThrottle.parse_rate(None, settings.API_THROTTLE_RATE)
    return int(allowed), int(seconds)


class RequestLogThrottle(BaseThrottle):
    def allow_request(self, request, view) -> bool:
        allowed, seconds = rate()
        since = timezone.now() - dt.timedelta(seconds=seconds)
        token = request.auth if isinstance(request.auth, ApiToken) else None
        if token is not None:
            made = ApiRequest.objects.filter(token=token, created_at__gt=since)
        elif request.user.pk is not None:
            made = ApiRequest.objects.filter(user=request.user, token=None, created_at__gt=since)
        else:
            return True
        oldest = made.order_by("created_at").values_list("created_at", flat=True)
        times = list(oldest[allowed - 1 : allowed]) if allowed else [timezone.now()]
        if not times:
            return True
        # The window frees a place when the oldest of the requests counted leaves it.
        first = made.order_by("created_at").values_list("created_at", flat=True).first()
        self.wait_seconds = max(1, int((first - since).total_seconds()) + 1) if first else seconds
        return False

    def wait(self):
        return getattr(self, "wait_seconds", None)
