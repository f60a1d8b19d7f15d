"""Reads of the indicator library and rounds. The library is public to every signed-in user."""

import re

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import Organisation
from indicators.models import Indicator, Round

_CODE = re.compile(r"^\s*(?:ni)?\s*-?\s*(\d{1,3})\s*$", re.IGNORECASE)


def indicators_search(*, q: str = "", theme: str = "", department: str = "") -> QuerySet[Indicator]:
    """Indicators matching a code ("NI 120", "ni120", "120") or every word of `q` in the title,
    theme or data source, filtered by theme and lead department abbreviation."""
    indicators = Indicator.objects.select_related("lead_department").order_by("number")
    q = q.strip()
    if q:
        code = _CODE.match(q)
        if code:
            indicators = indicators.filter(number=int(code.group(1)))
        else:
            for word in q.split():
                indicators = indicators.filter(
                    Q(title__icontains=word) | Q(theme__icontains=word) | Q(source__icontains=word)
                )
    if theme:
        indicators = indicators.filter(theme=theme)
    if department:
        indicators = indicators.filter(lead_department__abbreviation=department)
    return indicators


def indicator_themes() -> list[str]:
    return list(Indicator.objects.order_by("theme").values_list("theme", flat=True).distinct())


def lead_departments() -> QuerySet[Organisation]:
    return (
        Organisation.objects.filter(
            kind=Organisation.Kind.DEPARTMENT, lead_indicators__isnull=False
        )
        .annotate(indicator_count=Count("lead_indicators"))
        .order_by("abbreviation")
    )


def indicator_get(code_slug: str) -> Indicator:
    match = re.fullmatch(r"ni-(\d{1,3})", code_slug)
    if not match:
        raise Http404
    return get_object_or_404(
        Indicator.objects.select_related("lead_department"), number=int(match.group(1))
    )


def indicator_rounds(indicator: Indicator):
    return indicator.catalogue_entries.select_related("round").order_by("-round__first_year")


def current_round() -> Round | None:
    return Round.objects.filter(is_current=True).order_by("-first_year").first()


def rounds_list() -> QuerySet[Round]:
    return Round.objects.annotate(
        catalogue_size=Count("catalogue", distinct=True),
        statutory_count=Count("catalogue", filter=Q(catalogue__is_statutory=True), distinct=True),
    ).order_by("-first_year")


def round_get(slug: str) -> Round:
    return get_object_or_404(rounds_list().prefetch_related("themes", "milestones"), slug=slug)
