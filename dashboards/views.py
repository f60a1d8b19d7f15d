"""The national and regional status dashboards, and their summary as a PDF."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from dashboards import selectors, services
from dashboards.charts import dashboard_charts
from dashboards.forms import RoundForm, SubscriptionForm
from dashboards.pdf import render_summary_pdf, summary_filename
from indicators.models import Round
from indicators.selectors import current_round
from performance.selectors import track_by_area


def _round(request):
    """The round asked for, or the current one; a round that does not exist gets an error
    on the form and the current round's figures. One query reads every round."""
    rounds = selectors.rounds()  # the current round first
    if not rounds:
        raise Http404
    default = rounds[0]
    if "round" in request.GET:
        form = RoundForm(request.GET, rounds=rounds)
        if form.is_valid():
            return form, form.cleaned_data["round"]
        return form, default
    return RoundForm(initial={"round": default.slug}, rounds=rounds), default


def national(request):
    return _dashboard(request, selectors.scope_national(request.user))


def region(request, slug: str):
    return _dashboard(request, selectors.scope_for_region(request.user, slug))


def _dashboard(request, scope: selectors.Scope):
    round_form, round_ = _round(request)
    subscribed = services.is_subscribed(request.user, scope)
    if request.method == "POST":
        subscription_form = SubscriptionForm(request.POST)
        if subscription_form.is_valid():
            wanted = subscription_form.cleaned_data["email_me"] == "yes"
            services.subscription_set(user=request.user, scope=scope, subscribed=wanted)
            messages.success(
                request,
                "You will get this summary by e-mail every Monday."
                if wanted
                else "You will no longer get this summary by e-mail.",
            )
            return redirect(request.get_full_path())
    else:
        subscription_form = SubscriptionForm(initial={"email_me": "yes" if subscribed else "no"})
    data = selectors.figures(scope=scope, round_=round_)
    return render(
        request,
        "dashboards/dashboard.html",
        {
            "scope": scope,
            "figures": data,
            "charts": dashboard_charts(data),
            "round_form": round_form,
            "subscription_form": subscription_form,
            "subscribed": subscribed,
            "regions": [selectors.Scope(row.government_office) for row in data.by_government_office]
            if scope.is_national
            else [],
            "pdf_url": f"{scope.url('dashboards:national_pdf')}?round={round_.slug}",
        },
    )


def national_pdf(request):
    return _pdf(request, selectors.scope_national(request.user))


def region_pdf(request, slug: str):
    return _pdf(request, selectors.scope_for_region(request.user, slug))


def _pdf(request, scope: selectors.Scope):
    # One small document, rendered while the user waits (about a second).
    _, round_ = _round(request)
    today = timezone.localdate()
    pdf = render_summary_pdf(scope, round_, today)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = summary_filename(scope, round_, today)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- A Government Office's areas ------------------------------------------------------------


def region_track(request, slug: str):
    """Targets on and off track in one Government Office's signed agreements, area by area:
    for its negotiators and the national team, as its dashboard is."""
    scope = selectors.scope_for_region(request.user, slug)
    round_slug = request.GET.get("round", "")[:60]
    round_ = Round.objects.filter(slug=round_slug).first() if round_slug else current_round()
    if round_ is None:
        raise Http404
    review, areas, total = track_by_area(round_=round_, government_office=scope.government_office)
    return render(
        request,
        "performance/region_track.html",
        {"scope": scope, "round": round_, "review": review, "areas": areas, "total": total},
    )
