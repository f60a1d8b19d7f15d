"""Annual review pages: fetch through a selector, call one service, redirect."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.decorators import permission_or_404
from agreements.conflicts import conflict_response
from agreements.presentation import decimal_text
from core.errors import ConflictError, ServiceError
from indicators.models import Round
from performance import forms, importing, selectors, services


def _review_url(agreement, review, name: str = "review", *args) -> str:
    return reverse(
        f"performance:{name}",
        args=[agreement.round.slug, agreement.area.slug, review.first_year, *args],
    )


# --- The national team: opening and closing a round's years ------------------------------


@permission_or_404("performance.manage_reviews")
def round_reviews(request, slug: str):
    round_ = get_object_or_404(Round, slug=slug)
    return render(
        request,
        "performance/round_reviews.html",
        {"round": round_, "years": selectors.round_years(round_)},
    )


def _round_year(slug: str, year: int) -> tuple[Round, int]:
    round_ = get_object_or_404(Round, slug=slug)
    index = year - round_.first_year
    if not 0 <= index < round_.year_count:
        raise Http404
    return round_, index


@require_POST
@permission_or_404("performance.manage_reviews")
def review_open(request, slug: str, year: int):
    round_, index = _round_year(slug, year)
    try:
        review = services.annual_review_open(round=round_, year_index=index, actor=request.user)
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"The annual review of {review.year} is open: coordinators of signed agreements "
            "can record its outturns.",
        )
    return redirect("performance:round_reviews", round_.slug)


@require_POST
@permission_or_404("performance.manage_reviews")
def review_close(request, slug: str, year: int):
    round_, _ = _round_year(slug, year)
    review = selectors.review_for_year(round_, year)
    try:
        services.annual_review_close(review=review, actor=request.user)
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"The annual review of {review.year} is closed.")
    return redirect("performance:round_reviews", round_.slug)


# --- An agreement's review ------------------------------------------------------------------


def agreement_reviews(request, round_slug: str, area_slug: str):
    agreement = selectors.agreement_for_review(
        request.user, round_slug=round_slug, area_slug=area_slug
    )
    return render(
        request,
        "performance/agreement_reviews.html",
        {"agreement": agreement, "reviews": selectors.reviews_of_round(agreement.round)},
    )


def _agreement_and_review(request, round_slug, area_slug, year, *, recording=False):
    get = selectors.agreement_for_recording if recording else selectors.agreement_for_review
    agreement = get(request.user, round_slug=round_slug, area_slug=area_slug)
    return agreement, selectors.review_for_year(agreement.round, year)


def review_detail(request, round_slug: str, area_slug: str, year: int):
    agreement, review = _agreement_and_review(request, round_slug, area_slug, year)
    rows = selectors.review_targets(agreement, review)
    return render(
        request,
        "performance/review.html",
        {
            "agreement": agreement,
            "review": review,
            "reviews": selectors.reviews_of_round(agreement.round),
            "rows": rows,
            "counts": selectors.track_counts(rows),
            "can_record": review.is_open
            and request.user.has_perm("performance.record_outturns", agreement),
        },
    )


def _closed(request, agreement, review):
    messages.error(
        request, f"The annual review of {review.year} is closed, so its outturns cannot change."
    )
    return redirect(_review_url(agreement, review))


def _outturn_rows(form, current):
    """Field by field: what the person tried to save, and what is saved now."""
    fields = form.outturn_fields()
    saved = current if current.pk else None
    return [
        ("Outturn", fields.value, decimal_text(saved.value, saved.places) if saved else None),
        ("Date of the figure", fields.measured_on, saved.measured_on if saved else None),
        ("Source", fields.source, saved.source if saved else None),
        ("Note", fields.note, saved.note if saved else None),
    ]


def outturn_edit(request, round_slug: str, area_slug: str, year: int, pk: int):
    agreement, review = _agreement_and_review(request, round_slug, area_slug, year, recording=True)
    row = selectors.reviewed_target_get(agreement, review, pk)
    if not review.is_open:
        return _closed(request, agreement, review)
    outturn = row.outturn
    if request.method == "POST":
        form = forms.OutturnForm(request.POST)
        if form.is_valid():
            try:
                services.outturn_record(
                    agreement=agreement,
                    target=row.target,
                    review=review,
                    actor=request.user,
                    expected_version=form.cleaned_data["version"],
                    fields=form.outturn_fields(),
                )
            except ConflictError as error:
                return conflict_response(
                    request, agreement, _outturn_rows(form, error.current), retry=request.path
                )
            except PermissionDenied as exc:
                raise Http404 from exc
            except ServiceError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"The {review.year} outturn has been saved.")
                return redirect(_review_url(agreement, review))
    else:
        initial = {}
        if outturn is not None:
            initial = {
                "value": decimal_text(outturn.value, outturn.places),
                "measured_on": outturn.measured_on,
                "source": outturn.source,
                "note": outturn.note,
                "version": outturn.version,
            }
        form = forms.OutturnForm(initial=initial)
    return render(
        request,
        "performance/outturn_form.html",
        {"agreement": agreement, "review": review, "row": row, "form": form},
    )


def outturns_import(request, round_slug: str, area_slug: str, year: int):
    agreement, review = _agreement_and_review(request, round_slug, area_slug, year, recording=True)
    if not review.is_open:
        return _closed(request, agreement, review)
    problems = []
    if request.method == "POST":
        form = forms.OutturnImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                rows = importing.parse(
                    agreement,
                    review,
                    selectors.review_targets(agreement, review),
                    upload.name,
                    upload.read(),
                )
                saved = services.outturns_import(
                    agreement=agreement, review=review, actor=request.user, rows=rows
                )
            except importing.ImportRejected as rejected:
                problems = rejected.problems
                form.add_error(
                    "file",
                    f"The file has {len(problems)} problem{'s' if len(problems) != 1 else ''}. "
                    "Nothing was imported.",
                )
            except PermissionDenied as exc:
                raise Http404 from exc
            except ServiceError as error:
                form.add_error("file", f"{error} Nothing was imported.")
            else:
                messages.success(
                    request,
                    f"Imported {len(saved)} outturn{'s' if len(saved) != 1 else ''} "
                    f"for {review.year}.",
                )
                return redirect(_review_url(agreement, review))
    else:
        form = forms.OutturnImportForm()
    return render(
        request,
        "performance/import.html",
        {"agreement": agreement, "review": review, "form": form, "problems": problems},
        status=400 if problems else 200,
    )


def outturns_template(request, round_slug: str, area_slug: str, year: int):
    agreement, review = _agreement_and_review(request, round_slug, area_slug, year, recording=True)
    content = importing.template_csv(selectors.review_targets(agreement, review))
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    filename = f"outturns-{agreement.area.slug}-{review.first_year}"
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response
