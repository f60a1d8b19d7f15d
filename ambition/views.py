"""Ambition in context: the figures beside a target being typed, and an indicator's page of
every signed target on it."""

from __future__ import annotations

import csv

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from agreements.models import Target
from agreements.presentation import decimal_text, with_units
from agreements.selectors import agreement_get_for_user, target_get
from ambition import selectors
from indicators.models import Indicator, Round


def _indicator_from(data, agreement, target: Target | None) -> Indicator | None:
    if target is not None and target.indicator_id and target.kind == Target.Kind.STATUTORY:
        return target.indicator
    raw = data.get("indicator", "")
    if raw.isdigit():
        return Indicator.objects.filter(
            pk=int(raw), catalogue_entries__round=agreement.round
        ).first()
    return target.indicator if target is not None and "indicator" not in data else None


@require_POST
def preview(request, round_slug: str, area_slug: str):
    """How the values typed in the target form compare: a partial for htmx as values are
    typed, a page of its own for the form's button without JavaScript. Nothing is saved."""
    agreement = agreement_get_for_user(request.user, round_slug=round_slug, area_slug=area_slug)
    target = None
    raw_target = request.GET.get("target", "")
    if raw_target.isdigit():
        target = target_get(agreement, int(raw_target))
    data = request.POST
    indicator = _indicator_from(data, agreement, target)
    figures = None
    if indicator is not None:
        pool = selectors.pool_for(request.user, agreement.round, {indicator.code})
        years = agreement.round.year_count
        typed = [data.get(f"value_{i}", "").strip()[:40] for i in range(years)]
        if target is not None and target.kind == Target.Kind.STATUTORY:
            baseline, typed = target.baseline_value, list(target.yearly_values or [])
        else:
            baseline = data.get("baseline_value", "").strip()[:40]
        figures = selectors.figures(
            agreement=agreement,
            indicator=indicator,
            baseline=baseline,
            yearly_values=[] if data.get("is_qualitative") else typed,
            polarity=data.get("polarity", "")[:8],
            units=data.get("units", "")[:100],
            pool=pool,
            neighbours=selectors.neighbours_of(agreement.area),
        )
    context = {"agreement": agreement, "figures": figures, "target": target, "typed": True}
    if request.htmx:
        return render(request, "ambition/_figures.html", context)
    return render(request, "ambition/preview.html", context)


def _indicator_and_round(round_slug: str, code_slug: str) -> tuple[Indicator, Round]:
    round_ = get_object_or_404(Round, slug=round_slug)
    indicator = selectors.indicator_get(code_slug)
    if not round_.catalogue.filter(indicator=indicator).exists():
        raise Http404
    return indicator, round_


def _sorting(request) -> tuple[str, bool]:
    sort = request.GET.get("sort", "area")
    if sort not in selectors.SORTS:
        sort = "area"
    return sort, request.GET.get("order") == "desc"


def indicator_targets(request, round_slug: str, code_slug: str):
    """Every signed target on an indicator in a round: public, as CLG published them."""
    indicator, round_ = _indicator_and_round(round_slug, code_slug)
    sort, descending = _sorting(request)
    rows = selectors.signed_targets_on(indicator, round_, sort=sort, descending=descending)
    sign = selectors.polarity_sign(indicator.polarity)
    shown = [_row(row, round_, sign) for row in rows]
    columns = [
        (key, label, sort == key, "asc" if sort == key and descending else "desc")
        for key, label in (("area", "Area"), ("baseline", "Baseline"), ("target", "Target"))
    ]
    return render(
        request,
        "ambition/indicator.html",
        {
            "indicator": indicator,
            "round": round_,
            "rows": shown,
            "years": round_.years,
            "sort": sort,
            "descending": descending,
            "columns": columns,
        },
    )


def _row(row: selectors.PeerTarget, round_: Round, sign: int) -> dict:
    years = round_.years
    values = list(row.yearly_values) + [""] * (len(years) - len(row.yearly_values))
    change = row.improvement(sign)
    return {
        "area": row.area_name,
        "kind": dict(Target.Kind.choices).get(row.kind, row.kind),
        "baseline": with_units(decimal_text(row.baseline, row.baseline_places), row.units),
        "baseline_raw": decimal_text(row.baseline, row.baseline_places),
        "values": [with_units(decimal_text(v), row.units) for v in values[: len(years)]],
        "values_raw": [decimal_text(v) for v in values[: len(years)]],
        "change": decimal_text(change) if change is not None else "",
        "version": row.version_number,
    }


def indicator_targets_csv(request, round_slug: str, code_slug: str):
    indicator, round_ = _indicator_and_round(round_slug, code_slug)
    sort, descending = _sorting(request)
    rows = selectors.signed_targets_on(indicator, round_, sort=sort, descending=descending)
    sign = selectors.polarity_sign(indicator.polarity)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{round_.slug}-{indicator.slug}-signed-targets.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(
        [
            "area",
            "kind",
            "baseline",
            *[f"target {year}" for year in round_.years],
            "improvement" if indicator.polarity else "change",
            "units",
            "signed version",
        ]
    )
    for row in rows:
        shown = _row(row, round_, sign)
        writer.writerow(
            [
                _safe(row.area_name),
                shown["kind"],
                shown["baseline_raw"],
                *shown["values_raw"],
                shown["change"],
                _safe(row.units),
                row.version_number,
            ]
        )
    return response


def _safe(text: str) -> str:
    """Text a spreadsheet would run as a formula is kept as text."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
