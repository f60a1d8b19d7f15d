"""Health: the /healthz report and the heartbeat Celery workers leave."""
