"""Deleting many rows a batch at a time, so that a large backlog neither holds one long
transaction nor loads every row into memory."""

from __future__ import annotations

from django.db.models import Model, QuerySet, Subquery


def delete_in_batches(queryset: QuerySet[Model], *, batch_size: int) -> int:
    """Deletes the rows of `queryset`, at most `batch_size` in each statement (each its own
    transaction when not inside one), and says how many it deleted. Rows that cascade from
    them are deleted too but not counted."""
    if batch_size < 1:
        raise ValueError("batch_size must be 1 or more")
    model = queryset.model
    label = model._meta.label
    total = 0
    while True:
        batch = queryset.order_by().values("pk")[:batch_size]
        _, per_model = model._base_manager.filter(pk__in=Subquery(batch)).delete()
        deleted = per_model.get(label, 0)
        total += deleted
        if deleted < batch_size:
            return total
