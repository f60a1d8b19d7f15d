"""Each sign-in records its session; each sign-out forgets it."""

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from accounts.sessions.services import session_forget, session_record_sign_in
from accounts.sso.services import SIGNED_IN_WITH_SSO


@receiver(user_logged_in)
def _record_session(sender, request, user, **kwargs):
    if request is not None:
        # Only single sign-on marks a session as signed in by it, and only after this
        # signal: a sign-in any other way clears the mark.
        request.session.pop(SIGNED_IN_WITH_SSO, None)
        session_record_sign_in(request=request, user=user)


@receiver(user_logged_out)
def _forget_session(sender, request, user, **kwargs):
    key = getattr(getattr(request, "session", None), "session_key", None)
    if key:
        session_forget(session_key=key)
