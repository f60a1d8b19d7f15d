"""The page shown when an edit was based on an older version: nothing was saved."""

from django.shortcuts import render


def conflict_response(request, agreement, rows, *, retry: str):
    """Shows, field by field, what this person tried to save beside what is saved now."""
    return render(
        request,
        "agreements/conflict.html",
        {"agreement": agreement, "rows": rows, "retry": retry},
        status=409,
    )
