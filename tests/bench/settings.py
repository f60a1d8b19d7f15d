"""The portal's settings with the benchmark's urlconf, which adds one trivial page.

The benchmark process, its gunicorn and its Celery workers all run with
DJANGO_SETTINGS_MODULE=tests.bench.settings; everything else is read from the environment
by `laa_portal.settings` exactly as in production.
"""

from laa_portal.settings import *  # noqa: F403

ROOT_URLCONF = "tests.bench.urls"
