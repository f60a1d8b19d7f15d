"""Job pages: ask for a PDF or an export, watch its progress, download the file."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import permission_or_404
from agreements.selectors import agreement_get_for_user
from indicators.models import Round
from indicators.selectors import current_round
from jobs import selectors, services
from jobs.forms import ExportForm
from jobs.models import State, VersionPdf
from negotiations.selectors import version_get
from signoff.selectors import version_is_signed

# htmx stops polling when a polled request answers 286.
STOP_POLLING = 286


@require_GET
def job_detail(request, pk):
    job = selectors.job_get_for_user(request.user, pk)
    context = {"job": job}
    if request.htmx:
        status = STOP_POLLING if job.is_finished else 200
        return render(request, "jobs/_job_status.html", context, status=status)
    return render(request, "jobs/job_detail.html", context)


@require_GET
def job_download(request, pk):
    job = selectors.job_get_for_user(request.user, pk)
    if job.state != State.DONE or not job.file:
        raise Http404
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.file_name)


@require_POST
def agreement_pdf(request, round_slug: str, area_slug: str):
    agreement = agreement_get_for_user(request.user, round_slug=round_slug, area_slug=area_slug)
    job = services.agreement_pdf_request(agreement=agreement, actor=request.user)
    return redirect("jobs:detail", pk=job.pk)


@require_GET
def version_pdf(request, round_slug: str, area_slug: str, number: int):
    """The PDF of a signed version, from the stored file; the first request renders it
    through a job (the person then waits on the job's page, as for any PDF)."""
    agreement = agreement_get_for_user(request.user, round_slug=round_slug, area_slug=area_slug)
    version = version_get(agreement, number)
    if not version_is_signed(agreement, version):
        raise Http404
    stored = VersionPdf.objects.filter(version=version).first()
    if stored is not None:
        return FileResponse(
            stored.file.open("rb"), as_attachment=True, filename=stored.file.name.rsplit("/")[-1]
        )
    job = services.version_pdf_request(agreement=agreement, version=version, actor=request.user)
    return redirect("jobs:detail", pk=job.pk)


@permission_or_404("jobs.run_exports")
def exports_index(request):
    round_ = current_round() or Round.objects.order_by("-first_year").first()
    if round_ is None:
        raise Http404
    return redirect("jobs:exports", slug=round_.slug)


@permission_or_404("jobs.run_exports")
def exports(request, slug: str):
    round_ = get_object_or_404(Round, slug=slug)
    form = ExportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        job = services.export_request(kind=form.kind_value(), round_=round_, actor=request.user)
        return redirect("jobs:detail", pk=job.pk)
    return render(
        request,
        "jobs/exports.html",
        {
            "round": round_,
            "rounds": Round.objects.order_by("-first_year"),
            "rows": selectors.exports_for_round(round_),
            "hints": selectors.EXPORT_HINTS,
            "form": form,
        },
        status=400 if form.errors else 200,
    )
