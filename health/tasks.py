import socket

from celery import shared_task
from celery.signals import worker_ready

from health.services import heartbeat_record


@shared_task(bind=True, name="health.tasks.record_worker_heartbeat")
def record_worker_heartbeat(self) -> None:
    heartbeat_record(hostname=self.request.hostname or socket.gethostname())


@worker_ready.connect
def _heartbeat_on_start(sender=None, **kwargs) -> None:
    # A worker announces itself as soon as it can take jobs, before beat's first tick.
    heartbeat_record(hostname=getattr(sender, "hostname", None) or socket.gethostname())
