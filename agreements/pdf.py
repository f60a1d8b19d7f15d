"""The agreement as a PDF document, rendered by WeasyPrint from the same data as the pages.

A draft carries a DRAFT watermark on every page; a signed agreement does not. Every page
has the area and version in its running header and its number in the footer.
"""

from __future__ import annotations

from pathlib import Path

from django.template.loader import render_to_string
from weasyprint import CSS, HTML

from agreements.models import Agreement, Target
from agreements.selectors import funding_for, targets_by_kind, themes_with_outcomes

STYLESHEET = Path(__file__).resolve().parent / "pdf.css"


def agreement_pdf_html(agreement: Agreement, *, version_label: str, draft: bool) -> str:
    targets = targets_by_kind(agreement)
    return render_to_string(
        "agreements/pdf/agreement.html",
        {
            "agreement": agreement,
            "version_label": version_label,
            "draft": draft,
            "themes": themes_with_outcomes(agreement),
            "designated": targets[Target.Kind.DESIGNATED],
            "statutory": targets[Target.Kind.STATUTORY],
            "local": targets[Target.Kind.LOCAL],
            "funding": funding_for(agreement),
            "requests": agreement.freedom_requests.select_related("department").order_by("number"),
            "partnerships": agreement.area.partnerships.select_related("organisation"),
        },
    )


def render_agreement_pdf(
    agreement: Agreement, *, version_label: str = "", draft: bool = True
) -> bytes:
    latest = agreement.versions.order_by("-number").first()
    label = version_label or (f"Version {latest.number}" if latest else "Working draft")
    html = agreement_pdf_html(agreement, version_label=label, draft=draft)
    return HTML(string=html, base_url=str(STYLESHEET.parent)).write_pdf(
        stylesheets=[CSS(filename=str(STYLESHEET))]
    )
