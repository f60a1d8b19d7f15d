"""Reads of jobs, scoped to the user asking. Anything else answers 404."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from jobs.models import EXPORT_KINDS, Job, Kind, State


def job_get_for_user(user, pk) -> Job:
    job = (
        Job.objects.select_related("agreement__area", "agreement__round", "round", "requested_by")
        .filter(pk=pk)
        .first()
    )
    if job is None or not user.has_perm("jobs.see_job", job):
        raise Http404
    return job


@dataclass(frozen=True)
class ExportRow:
    kind: str
    label: str
    latest: Job | None
    last_ready: Job | None  # the newest finished file, while a newer job is under way


EXPORT_HINTS = {
    Kind.SIGNED_AGREEMENTS_ZIP: "Every signed agreement of the round as a PDF, with a manifest.",
    Kind.TARGETS_CSV: "Every target of every area, with baselines and yearly targets.",
    Kind.TARGETS_XLSX: "The same register of targets as a spreadsheet.",
    Kind.REQUESTS_CSV: "Every freedoms and flexibilities request of the round and its answer.",
}


def exports_for_round(round_) -> list[ExportRow]:
    jobs = list(
        Job.objects.filter(round=round_, kind__in=EXPORT_KINDS)
        .select_related("requested_by")
        .order_by("-created_at")[:200]
    )
    rows = []
    for kind in EXPORT_KINDS:
        mine = [job for job in jobs if job.kind == kind]
        latest = mine[0] if mine else None
        ready = next((job for job in mine if job.state == State.DONE), None)
        rows.append(
            ExportRow(
                kind=kind,
                label=Kind(kind).label,
                latest=latest,
                last_ready=ready if ready is not latest else None,
            )
        )
    return rows
