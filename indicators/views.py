from django.core.paginator import Paginator
from django.shortcuts import render

from accounts.decorators import permission_or_404
from core.titles import search_words
from indicators import selectors

PAGE_SIZE = 25


def indicator_list(request):
    q = request.GET.get("q", "")[:200]
    theme = request.GET.get("theme", "")[:100]
    department = request.GET.get("department", "")[:20]
    indicators = selectors.indicators_search(q=q, theme=theme, department=department)
    page = Paginator(indicators, PAGE_SIZE).get_page(request.GET.get("page"))
    # Links to other pages keep the search and filters.
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "q": q,
        "theme": theme,
        "department": department,
        "themes": selectors.indicator_themes(),
        "departments": selectors.lead_departments(),
        "query_string": query.urlencode(),
        "filtered": bool(q or theme or department),
        "search_words": search_words(
            q=q, filters=[("theme", theme), ("lead department", department)]
        ),
    }
    template = "indicators/indicator_list.html"
    if request.htmx and request.htmx.target == "indicator-results":
        template = "indicators/_indicator_results.html"
    return render(request, template, context)


def indicator_detail(request, code_slug: str):
    indicator = selectors.indicator_get(code_slug)
    return render(
        request,
        "indicators/indicator_detail.html",
        {"indicator": indicator, "entries": selectors.indicator_rounds(indicator)},
    )


@permission_or_404("indicators.manage_rounds")
def round_list(request):
    return render(request, "indicators/round_list.html", {"rounds": selectors.rounds_list()})


@permission_or_404("indicators.manage_rounds")
def round_detail(request, slug: str):
    return render(request, "indicators/round_detail.html", {"round": selectors.round_get(slug)})
