from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse_lazy

from accounts.decorators import permission_or_404
from accounts.forms import LoginForm, NewPasswordForm, NotificationPreferenceForm, ResetRequestForm
from accounts.selectors import area_get_for_user, areas_for_user
from accounts.services import user_set_notification_frequency
from accounts.sessions.services import password_was_reset
from accounts.sso.views import SingleSignOnLoginMixin


@permission_or_404("accounts.view_directory")
def area_list(request):
    areas = areas_for_user(request.user).order_by("name")
    page = Paginator(areas, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/area_list.html", {"page": page})


def area_detail(request, slug: str):
    area = area_get_for_user(request.user, slug)
    partnerships = area.partnerships.select_related("organisation").order_by("organisation__name")
    locality = area.organisations.filter(kind="locality").first()
    return render(
        request,
        "accounts/area_detail.html",
        {"area": area, "partnerships": partnerships, "locality": locality},
    )


class LoginView(SingleSignOnLoginMixin, auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    form_class = ResetRequestForm
    success_url = reverse_lazy("password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = NewPasswordForm
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # A new password ends every session signed in with the old one.
        password_was_reset(request=self.request, user=form.user)
        return response


def notification_settings(request):
    form = NotificationPreferenceForm(
        request.POST if request.method == "POST" else None,
        initial={"notification_frequency": request.user.notification_frequency},
    )
    if request.method == "POST" and form.is_valid():
        user_set_notification_frequency(
            user=request.user, frequency=form.cleaned_data["notification_frequency"]
        )
        messages.success(request, "Your email settings have been saved.")
        return redirect("notification_settings")
    return render(request, "accounts/notification_settings.html", {"form": form})
