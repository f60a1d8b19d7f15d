"""A person's sessions and their own password change."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.sessions.forms import ChangePasswordForm
from accounts.sessions.selectors import session_get_for_user, sessions_of
from accounts.sessions.services import (
    password_changed,
    session_end,
    sessions_end_all_but,
    sessions_forget_lapsed,
)


def session_list(request):
    sessions_forget_lapsed(user=request.user)
    rows = sessions_of(request.user, current_key=request.session.session_key)
    return render(
        request,
        "accounts/sessions.html",
        {
            "rows": rows,
            "others": sum(1 for row in rows if not row.current),
            "idle_minutes": settings.SESSION_COOKIE_AGE // 60,
        },
    )


@require_POST
def session_end_one(request, pk: int):
    record = session_get_for_user(request.user, pk)
    if record.session_key == request.session.session_key:
        # Ending this very session is signing out, which has its own button.
        messages.error(request, "To end this session, sign out.")
        return redirect("sessions:list")
    session_end(record=record, actor=request.user, request=request)
    messages.success(request, "The session has been ended. That browser is signed out.")
    return redirect("sessions:list")


@require_POST
def session_end_others(request):
    ended = sessions_end_all_but(
        user=request.user,
        keep_session_key=request.session.session_key,
        actor=request.user,
        request=request,
        reason="ended by their owner",
    )
    if ended:
        messages.success(
            request,
            f"{ended} other session{'s' if ended != 1 else ''} ended. Only this one is left.",
        )
    else:
        messages.info(request, "You had no other sessions.")
    return redirect("sessions:list")


def password_change(request):
    form = ChangePasswordForm(request.user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        # Keeps this session signed in (under a new key); every other one ends.
        update_session_auth_hash(request, user)
        password_changed(request=request, user=user)
        messages.success(
            request, "Your password has been changed. You are signed out everywhere else."
        )
        return redirect("sessions:list")
    return render(request, "accounts/password_change.html", {"form": form})
