"""The agreement as a PDF document, rendered by WeasyPrint from a version's frozen content.

A signed agreement is printed from its signed version, so its PDF never changes when an
amendment is started; any other agreement is printed from a fresh snapshot of its working
draft and carries a DRAFT watermark on every page. Every page has the area and version in
its running header and its number in the footer; the cover has a contents list with page
numbers; table rows are never split across pages.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.dateparse import parse_date
from weasyprint import CSS, HTML

from agreements.models import Agreement, AgreementFundingStream
from agreements.selectors import version_target_presentations
from ambition.selectors import version_entries_figures
from freedoms.lifecycle import Outcome
from freedoms.lifecycle import State as RequestState
from negotiations.versions import snapshot
from signoff.models import Signature, SignOff, StepKind

STYLESHEET = Path(__file__).resolve().parent / "pdf.css"

_ARRANGEMENTS = dict(AgreementFundingStream.Arrangement.choices)


@dataclass(frozen=True)
class PdfSource:
    """What one PDF shows: the content, the version it froze (None for the working draft),
    whether it is a draft, and the label in its running header."""

    agreement: Agreement
    content: dict
    version: object | None
    draft: bool
    label: str


def source_for(agreement: Agreement, *, version=None) -> PdfSource:
    """The signed version for a signed agreement, else the working draft; or the version
    asked for (a draft unless it is the signed one)."""
    if version is None and agreement.signed_version_id:
        version = agreement.signed_version
    if version is not None:
        return PdfSource(
            agreement=agreement,
            content=version.content,
            version=version,
            # A version that was ever signed prints as signed, even once an amendment has
            # been signed after it.
            draft=version.pk != agreement.signed_version_id
            and not version.sign_offs.filter(state="completed").exists(),
            label=f"Version {version.number}",
        )
    return draft_source(agreement)


def draft_source(agreement: Agreement) -> PdfSource:
    """The working draft, printed from a fresh snapshot with the DRAFT watermark."""
    return PdfSource(
        agreement=agreement,
        content=snapshot(agreement),
        version=None,
        draft=True,
        label="Working draft",
    )


def _date(value) -> dt.date | None:
    return parse_date(value) if isinstance(value, str) and value else value


def _values(values, years: list[str]) -> list:
    values = list(values or [])
    return [values[i] if i < len(values) else None for i in range(len(years))]


def _funding(content: dict, years: list[str]) -> list[dict]:
    return [
        {
            **item,
            "values": _values(item.get("yearly_amounts"), years),
            "arrangement_label": _ARRANGEMENTS.get(item.get("arrangement"), ""),
            "consent_on": _date(item.get("consent_given_on")),
        }
        for item in content.get("funding") or []
    ]


def _requests(content: dict) -> list[dict]:
    states, outcomes = dict(RequestState.choices), dict(Outcome.choices)
    return [
        {
            **item,
            "state_label": states.get(item.get("state"), item.get("state") or ""),
            "outcome_label": outcomes.get(item.get("outcome"), ""),
        }
        for item in content.get("requests") or []
    ]


def _partners(content: dict) -> list[str]:
    """The organisations the frozen content names: lead and contributing partners, and
    the organisations whose money is in the agreement."""
    names = set()
    for item in content.get("targets") or []:
        if item.get("lead_partner"):
            names.add(item["lead_partner"])
        names.update(item.get("contributing_partners") or [])
    for item in content.get("funding") or []:
        if item.get("provider"):
            names.add(item["provider"])
    return sorted(names)


def sign_off_record(source: PdfSource) -> tuple[list, dt.datetime | None]:
    """The signatures given to the version printed (void ones left out), in the order of
    the chain, and when the chain was completed, if it was."""
    if source.version is None:
        return [], None
    order = {step: i for i, step in enumerate(StepKind.values)}
    signatures = sorted(
        Signature.objects.filter(version=source.version, voided_at__isnull=True)
        .exclude(sign_off__state=SignOff.State.VOID)
        .select_related("organisation"),
        key=lambda s: (order.get(s.step, 99), s.signed_on, s.recorded_at, s.pk),
    )
    completed = (
        SignOff.objects.filter(version=source.version, state=SignOff.State.COMPLETED)
        .order_by("-completed_at")
        .values_list("completed_at", flat=True)
        .first()
    )
    if completed is None and source.version.pk == source.agreement.signed_version_id:
        completed = source.agreement.signed_at
    return signatures, completed


def agreement_pdf_html(source: PdfSource) -> str:
    agreement, content = source.agreement, source.content
    years = list(content.get("years") or agreement.round.years)
    targets = version_target_presentations(agreement, {**content, "years": years})
    signatures, signed_at = sign_off_record(source)
    # A signed PDF is dated by its signature, not by the day it is printed, so that printing
    # it again gives the same document; only a draft says when it was produced.
    signed_on = timezone.localtime(signed_at).date() if signed_at and not source.draft else None
    if signed_on:
        status = f"Signed on {date_format(signed_on, 'j F Y')}"
    elif source.version is not None:
        created = timezone.localtime(source.version.created_at)
        status = f"Submitted on {date_format(created, 'j F Y')}"
    else:
        status = agreement.get_stage_display()
    return render_to_string(
        "agreements/pdf/agreement.html",
        {
            "agreement": agreement,
            "content": content,
            "years": years,
            "version_label": source.label,
            "draft": source.draft,
            "status": status,
            "produced_on": None if signed_on else timezone.localdate(),
            "signed_on": signed_on,
            "themes": content.get("themes") or [],
            "targets": targets,
            "funding": _funding(content, years),
            "requests": _requests(content),
            "partners": _partners(content),
            "signatures": signatures,
            "signed_at": signed_at,
            # A draft shows where its targets sit among the signed agreements of other
            # areas; a signed PDF is kept as signed, so it carries no figures that move.
            "ambition": version_entries_figures(None, agreement, content.get("targets") or [])
            if source.draft
            else [],
        },
    )


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    pages: int


def render_html(html: str) -> RenderedPdf:
    document = HTML(string=html, base_url=str(STYLESHEET.parent)).render(
        stylesheets=[CSS(filename=str(STYLESHEET))]
    )
    return RenderedPdf(data=document.write_pdf(), pages=len(document.pages))


def render_source(source: PdfSource) -> RenderedPdf:
    return render_html(agreement_pdf_html(source))


def render_agreement_pdf(agreement: Agreement, *, version=None) -> bytes:
    """The PDF of the signed version of a signed agreement, else of its working draft (or
    of the version given)."""
    return render_source(source_for(agreement, version=version)).data


def pdf_file_name(source: PdfSource) -> str:
    agreement = source.agreement
    suffix = f"version-{source.version.number}" if source.version else "working-draft"
    return f"{agreement.area.slug}-{agreement.round.slug}-{suffix}.pdf"
