"""An edit carries the version it began from; when someone else saved first, nothing is
saved and the person sees what they tried to save beside what is saved now."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render

from agreements.presentation import date_at_precision, decimal_text, places_of
from core.errors import ConflictError, ServiceError
from core.text import grouped

# (label, what this person tried to save, what is saved now)
Row = tuple[str, Any, Any]


def shown(value) -> str | None:
    """A field's value as people read it on the conflict page: a figure with the places it
    carries ("712.0", not "712.0000"; commas between thousands), yes or no, a date in
    words, a list item by item. None for no value."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, Decimal):
        return grouped(decimal_text(value, places_of(value)))
    if isinstance(value, dt.datetime):
        return f"{value:%d %B %Y %H:%M}".lstrip("0")
    if isinstance(value, dt.date):
        return date_at_precision(value, "day")
    if isinstance(value, (list, tuple)):
        return ", ".join(shown(item) or "–" for item in value) or None
    return str(value)


def conflict_response(request, agreement, rows, *, retry: str):
    """Shows, field by field, what this person tried to save beside what is saved now."""
    rows = [(label, shown(yours), shown(saved)) for label, yours, saved in rows]
    return render(
        request,
        "agreements/conflict.html",
        {"agreement": agreement, "rows": rows, "retry": retry},
        status=409,
    )


def save_versioned(
    request,
    agreement,
    form,
    save: Callable[[], Any],
    *,
    rows: Callable[[Any], Sequence[Row]],
    retry: str,
    done: Callable[[Any], HttpResponse],
) -> HttpResponse | None:
    """Run `save` (one service call that checks the version the form carried).

    Saved: the response `done` makes of its result. Someone else saved first: the conflict
    page, its rows made by `rows` from the record as it is saved now, with `retry` as the
    way back to the edit. A rule refused the change: None, with the refusal shown on the
    form (beside its field where the form has it), which the page then shows again."""
    try:
        result = save()
    except ConflictError as error:
        return conflict_response(request, agreement, rows(error.current), retry=retry)
    except ServiceError as error:
        error.add_to(form)
        return None
    return done(result)
