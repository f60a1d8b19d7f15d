"""An edit carries the version it began from; when someone else saved first, nothing is
saved and the person sees what they tried to save beside what is saved now."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render

from core.errors import ConflictError, ServiceError

# (label, what this person tried to save, what is saved now)
Row = tuple[str, Any, Any]


def conflict_response(request, agreement, rows, *, retry: str):
    """Shows, field by field, what this person tried to save beside what is saved now."""
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
