import datetime as dt

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.db.models import Count, Window
from django.shortcuts import redirect, render
from django.urls import reverse_lazy

from accounts.decorators import permission_or_404
from accounts.forms import LoginForm, NewPasswordForm, NotificationPreferenceForm, ResetRequestForm
from accounts.models import Role
from accounts.selectors import area_get_for_user, areas_for_user
from accounts.services import user_set_notification_frequency
from agreements.selectors import agreements_visible_to
from freedoms.work import request_work
from indicators.selectors import current_round
from negotiations.work import work_for

# Home lists at most this many agreements and items of work, the most pressing first.
HOME_LIST_LIMIT = 25

HOME_TEMPLATES = {
    Role.COORDINATOR: "accounts/home_coordinator.html",
    Role.PARTNER: "accounts/home_partner.html",
    Role.NEGOTIATOR: "accounts/home_negotiator.html",
    Role.OFFICIAL: "accounts/home_official.html",
    Role.ADMIN: "accounts/home_admin.html",
}


def home(request):
    user = request.user
    areas = areas_for_user(user)
    context = {
        "organisation": user.organisation,
        "round": current_round(),
        # Departments and the national team work across every area: show a count, not a list.
        "areas": list(areas[:HOME_LIST_LIMIT])
        if user.role in (Role.COORDINATOR, Role.PARTNER, Role.NEGOTIATOR)
        else None,
        "area_count": areas.count(),
    }
    if user.role == Role.OFFICIAL and user.organisation is not None:
        context["lead_indicator_count"] = user.organisation.lead_indicators.count()
    if user.role in (Role.COORDINATOR, Role.PARTNER, Role.NEGOTIATOR):
        # The first of them, with their count in the same query; the agreements list has all.
        agreements = list(
            agreements_visible_to(user)
            .defer("story_of_place", "governance")
            .annotate(total=Window(Count("pk")))
            .order_by("-round__first_year", "area__name")[:HOME_LIST_LIMIT]
        )
        context["agreements"] = agreements
        context["agreement_count"] = agreements[0].total if agreements else 0
    # The most pressing work first: overdue, then soonest due, then the rest.
    requests, request_count = request_work(user, limit=HOME_LIST_LIMIT)
    work = sorted(
        work_for(user) + requests,
        key=lambda item: (item.due_on is None, item.due_on or dt.date.max),
    )
    context["work"] = work[:HOME_LIST_LIMIT]
    context["work_count"] = len(work) - len(requests) + request_count
    template = HOME_TEMPLATES.get(user.role, "accounts/home_unassigned.html")
    return render(request, template, context)


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


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    form_class = ResetRequestForm
    success_url = reverse_lazy("password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = NewPasswordForm
    success_url = reverse_lazy("password_reset_complete")


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
