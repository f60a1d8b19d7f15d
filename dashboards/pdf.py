"""The status summary as a PDF, rendered by WeasyPrint from the same figures, tables and
SVG charts as the dashboard page."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import CSS, HTML

from dashboards.charts import dashboard_charts
from dashboards.selectors import Scope, figures
from indicators.models import Round

STYLESHEET = Path(__file__).resolve().parent / "pdf.css"


def summary_filename(scope: Scope, round_: Round, today: dt.date) -> str:
    return f"laa-status-{scope.slug}-{round_.slug}-{today.isoformat()}.pdf"


def summary_pdf_html(scope: Scope, round_: Round, today: dt.date | None = None) -> str:
    data = figures(scope=scope, round_=round_, today=today)
    return render_to_string(
        "dashboards/pdf/summary.html",
        {"figures": data, "charts": dashboard_charts(data), "scope": scope, "pdf": True},
    )


def render_summary_pdf(scope: Scope, round_: Round, today: dt.date | None = None) -> bytes:
    html = summary_pdf_html(scope, round_, today or timezone.localdate())
    return HTML(string=html, base_url=str(STYLESHEET.parent)).write_pdf(
        stylesheets=[CSS(filename=str(STYLESHEET))]
    )
