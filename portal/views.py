import datetime as dt

from django.db.models import Count, Window
from django.shortcuts import render

from accounts.selectors import areas_for_user, first_areas_for_user
from agreements.selectors import agreement_rows, agreements_for_list, agreements_visible_to
from indicators.selectors import current_round
from portal.work import department_referral_groups, request_work, sign_offs_for, work_for

# Home lists at most this many agreements and items of work, the most pressing first.
HOME_LIST_LIMIT = 25

# Each role has its own home page, named after it; someone with no role yet has one too.
HOME_TEMPLATE = "accounts/home_{role}.html"
UNASSIGNED_HOME = "accounts/home_unassigned.html"


def home(request):
    user = request.user
    context = {
        "organisation": user.organisation,
        "round": current_round(),
        # Departments and the national team work across every area: a count, not a list.
        "areas": None,
    }
    if user.has_perm("accounts.see_lead_indicators") and user.organisation is not None:
        context["lead_indicator_count"] = user.organisation.lead_indicators.count()
    sign_offs = None
    if user.has_perm("accounts.list_own_areas"):
        # The first areas and agreements, each with their count in the same query; the lists
        # of areas and agreements have all. Each agreement as the list of agreements shows
        # it (stage, whose turn, next milestone), the chains of those in sign-off read once
        # for this and for the signing work.
        context["areas"], context["area_count"] = first_areas_for_user(user, HOME_LIST_LIMIT)
        sign_offs = sign_offs_for(user)
        agreements = list(
            agreements_for_list(agreements_visible_to(user))
            .annotate(total=Window(Count("pk")))
            .order_by("-round__first_year", "area__name")[:HOME_LIST_LIMIT]
        )
        context["agreements"] = agreement_rows(agreements, chains=sign_offs.chains)
        context["agreement_count"] = agreements[0].total if agreements else 0
    else:
        context["area_count"] = areas_for_user(user).count()
    if user.has_perm("freedoms.see_routed_requests"):
        # A department's referrals, by the Government Office that made them.
        context["referral_groups"] = department_referral_groups(user)
    # The most pressing work first: overdue, then soonest due, then the rest.
    requests, request_count = request_work(user, limit=HOME_LIST_LIMIT)
    work = sorted(
        work_for(user, sign_offs=sign_offs) + requests,
        key=lambda item: (item.due_on is None, item.due_on or dt.date.max),
    )
    context["work"] = work[:HOME_LIST_LIMIT]
    context["work_count"] = len(work) - len(requests) + request_count
    templates = [HOME_TEMPLATE.format(role=user.role)] if user.role else []
    return render(request, [*templates, UNASSIGNED_HOME], context)
