"""The sign-in page's hand-over to an identity provider, and the return from it."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.sso.providers import provider_for_email, sign_in_origins
from accounts.sso.services import SingleSignOnRefused, sso_begin, sso_complete


def refused(request, refusal: SingleSignOnRefused):
    return render(
        request,
        "accounts/sso_refused.html",
        {"message": refusal.message, "provider": refusal.provider},
        status=403,
    )


class SingleSignOnLoginMixin:
    """For the sign-in view: a person whose e-mail domain has single sign-on is sent to their
    organisation's provider instead of having a password checked (whatever was typed in the
    password box is never looked at)."""

    @method_decorator(login_not_required)
    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        if origins := sign_in_origins():
            # The sign-in form's answer redirects to the provider, and the browser holds
            # that redirect to the form's own form-action policy.
            response._csp_update = {"form-action": origins}
        return response

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "sso_available": bool(settings.SSO_PROVIDERS)}

    def post(self, request, *args, **kwargs):
        email = request.POST.get("username", "")
        provider = provider_for_email(email) if isinstance(email, str) else None
        if provider is None:
            return super().post(request, *args, **kwargs)
        try:
            url = sso_begin(
                request=request,
                provider=provider,
                email=email.strip(),
                next_url=self.get_redirect_url(),
            )
        except SingleSignOnRefused as refusal:
            return refused(request, refusal)
        return redirect(url)


@login_not_required
@never_cache
@require_GET
def callback(request):
    try:
        _, next_url = sso_complete(request=request)
    except SingleSignOnRefused as refusal:
        return refused(request, refusal)
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    return redirect(next_url or settings.LOGIN_REDIRECT_URL)
