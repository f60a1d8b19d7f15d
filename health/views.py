import logging

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from health.services import health_report

logger = logging.getLogger(__name__)


@login_not_required
@never_cache
@require_GET
def healthz(request):
    try:
        report, status = health_report()
    except DatabaseError as error:
        # Whatever check met it, a database that fails is "unavailable" (503), never a 500.
        logger.warning("Health check: database unavailable: %s", error)
        report = {
            "status": "unavailable",
            "database": {"ok": False, "vendor": connection.vendor, "error": type(error).__name__},
        }
        status = 503
    return JsonResponse(report, status=status)
