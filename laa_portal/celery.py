"""The Celery application shared by the web process, workers and beat."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "laa_portal.settings")

app = Celery("laa_portal")
# The default in every thread, not only the one that made it: the apps reach it as Celery's
# `current_app` (core.broker, health) and must not get Celery's unconfigured fallback in a
# request thread.
app.set_default()
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
