from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from health.services import health_report


@login_not_required
@never_cache
@require_GET
def healthz(request):
    # Every check guards its own queries: a failing database is 503 "unavailable", never 500.
    report, status = health_report()
    return JsonResponse(report, status=status)
