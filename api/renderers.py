"""The agreed targets dataset as CSV, one row per target, each year's value in its own
column as typed (with its unit in a column of its own)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from rest_framework.renderers import BaseRenderer

# Text a spreadsheet would run as a formula is kept as text.
_FORMULA = ("=", "+", "-", "@", "\t", "\r")

COLUMNS = [
    "round",
    "area_ons_code",
    "indicator_code",
    "target_key",
    "area",
    "area_name",
    "government_office",
    "signed_version",
    "signed_at",
    "kind",
    "title",
    "units",
    "baseline",
    "baseline_places",
    "baseline_year",
    "baseline_due_by",
    "is_qualitative",
    "statement",
    "is_stretch",
    "is_deferred",
    "caveats",
    "lead_partner",
    "status",
    "status_label",
    "statutory_state_label",
]


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return value.isoformat()
    text = str(value)
    if text.startswith(_FORMULA) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


class AgreedTargetsCSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if not isinstance(data, dict) or "rows" not in data:
            # An error: its problem details, as JSON.
            return json.dumps(data).encode()
        years = list(data.get("years") or [])
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        header = list(COLUMNS)
        for year in years:
            header += [f"{year} value", f"{year} places"]
        writer.writerow(header)
        for row in data["rows"]:
            cells = [_cell(row.get(column)) for column in COLUMNS]
            values = {item["year"]: item for item in row.get("years") or []}
            for year in years:
                item = values.get(year) or {}
                cells += [_cell(item.get("value")), _cell(item.get("places"))]
            writer.writerow(cells)
        return out.getvalue().encode(self.charset)
