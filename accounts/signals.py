"""The security log: every login, logout and failed login, with the address it came from.

django-axes keeps the same events in the database (access logs and failure logs, shown in
the data administration site); these lines go to the application log for monitoring.
"""

import logging

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from accounts.security import client_address

logger = logging.getLogger("laa_portal.security")


def _address(request) -> str:
    return client_address(request) or "unknown"


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    logger.info("login user_id=%s address=%s", user.pk, _address(request))


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    logger.info("logout user_id=%s address=%s", getattr(user, "pk", None), _address(request))


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    # The attempted user name is logged, never the password.
    logger.warning(
        "failed login username=%r address=%s", credentials.get("username"), _address(request)
    )
