"""The security log: every sign-in, sign-out and refused sign-in, with the address it came
from (`accounts.SecurityEvent`, and a line in the application log for monitoring).

django-axes keeps its own record of attempts for the lock-out (shown in the data
administration site).
"""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from accounts.models import SecurityEvent
from accounts.services import security_event_record


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    security_event_record(kind=SecurityEvent.Kind.LOGIN, request=request, subject=user)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    security_event_record(
        kind=SecurityEvent.Kind.LOGOUT, request=request, subject=user if user else None
    )


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    # The attempted user name is logged, never the password.
    security_event_record(
        kind=SecurityEvent.Kind.LOGIN_FAILED,
        request=request,
        detail=f"user name {credentials.get('username')!r}",
    )
