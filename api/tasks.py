from celery import shared_task

from api.services import api_requests_prune


@shared_task(name="api.tasks.prune_api_requests")
def prune_api_requests() -> int:
    return api_requests_prune()
