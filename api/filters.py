"""The filters of the API's lists (django-filter). A value the filter cannot read answers
400 with the reason, so a consumer's typo never reads as "nothing matched"."""

from __future__ import annotations

import re

import django_filters

from accounts.models import Area
from agreements.models import Agreement
from agreements.stages import Stage
from freedoms.lifecycle import Outcome, State
from freedoms.models import FreedomRequest
from indicators.models import Indicator

_INDICATOR = re.compile(r"^\s*(?:ni)?[\s-]*(\d{1,3})\s*$", re.IGNORECASE)


def _indicator_number(value: str) -> int | None:
    match = _INDICATOR.match(value or "")
    return int(match.group(1)) if match else None


class IndicatorFilter(django_filters.FilterSet):
    theme = django_filters.CharFilter(field_name="theme", help_text="Exact theme name.")
    department = django_filters.CharFilter(
        field_name="lead_department__abbreviation",
        lookup_expr="iexact",
        help_text="Lead department's abbreviation, e.g. DCSF.",
    )
    round = django_filters.CharFilter(
        field_name="catalogue_entries__round__slug",
        help_text="Only the indicators in this round's catalogue.",
    )

    class Meta:
        model = Indicator
        fields = ["theme", "department", "round"]


class AreaFilter(django_filters.FilterSet):
    go = django_filters.CharFilter(
        field_name="government_office__slug", help_text="Government Office's slug."
    )
    tier = django_filters.ChoiceFilter(choices=Area.Tier.choices)
    ons_code = django_filters.CharFilter(field_name="ons_code", lookup_expr="iexact")

    class Meta:
        model = Area
        fields = ["go", "tier", "ons_code"]


class AgreementFilter(django_filters.FilterSet):
    round = django_filters.CharFilter(field_name="round__slug", help_text="Round's slug.")
    go = django_filters.CharFilter(
        field_name="area__government_office__slug", help_text="Government Office's slug."
    )
    area = django_filters.CharFilter(field_name="area__slug", help_text="Area's slug.")
    ons_code = django_filters.CharFilter(field_name="area__ons_code", lookup_expr="iexact")
    stage = django_filters.ChoiceFilter(field_name="stage", choices=Stage.choices)
    indicator = django_filters.CharFilter(
        method="filter_indicator",
        help_text="Agreements with a target on this national indicator: 'NI 120' or 'ni-120'.",
    )
    changed_since = django_filters.IsoDateTimeFilter(
        field_name="changed_at",
        lookup_expr="gt",
        help_text="Only agreements changed after this moment (ISO 8601).",
    )

    class Meta:
        model = Agreement
        fields = ["round", "go", "area", "ons_code", "stage", "indicator", "changed_since"]

    def filter_indicator(self, queryset, name, value):
        number = _indicator_number(value)
        if number is None:
            return queryset.none()
        return queryset.filter(
            pk__in=Agreement.objects.filter(targets__indicator__number=number).values("pk")
        )


class RequestFilter(django_filters.FilterSet):
    round = django_filters.CharFilter(field_name="agreement__round__slug")
    go = django_filters.CharFilter(field_name="agreement__area__government_office__slug")
    area = django_filters.CharFilter(field_name="agreement__area__slug")
    state = django_filters.ChoiceFilter(field_name="state", choices=State.choices)
    department = django_filters.CharFilter(
        field_name="department__abbreviation", lookup_expr="iexact"
    )
    indicator = django_filters.CharFilter(
        method="filter_indicator", help_text="Requests about a target on this indicator."
    )
    changed_since = django_filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gt")

    class Meta:
        model = FreedomRequest
        fields = ["round", "go", "area", "state", "department", "indicator", "changed_since"]

    def filter_indicator(self, queryset, name, value):
        number = _indicator_number(value)
        if number is None:
            return queryset.none()
        return queryset.filter(
            pk__in=FreedomRequest.objects.filter(targets__indicator__number=number).values("pk")
        )


class RegisterFilter(django_filters.FilterSet):
    round = django_filters.CharFilter(field_name="agreement__round__slug")
    go = django_filters.CharFilter(field_name="agreement__area__government_office__slug")
    area = django_filters.CharFilter(field_name="agreement__area__slug")
    outcome = django_filters.ChoiceFilter(field_name="outcome", choices=Outcome.choices)
    department = django_filters.CharFilter(
        field_name="department__abbreviation", lookup_expr="iexact"
    )
    changed_since = django_filters.IsoDateTimeFilter(field_name="decided_at", lookup_expr="gt")

    class Meta:
        model = FreedomRequest
        fields = ["round", "go", "area", "outcome", "department", "changed_since"]
