"""At sign-in, the session notes whether its person has a second factor to prove, so that
no page request has to look at the device tables to know."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from accounts.twofactor.services import session_state_refresh


@receiver(user_logged_in)
def _note_second_factor(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.user = user
        session_state_refresh(request)
