"""Errors every layer of the portal raises and answers in the same way."""

from __future__ import annotations

from django.db.models import Model


class ServiceError(Exception):
    """A rule of the domain refused the change; the message is for the user."""


class ConflictError(ServiceError):
    """Someone saved the same thing since this edit began. Nothing was saved."""

    def __init__(self, current: Model | None):
        self.current = current
        super().__init__(
            "Someone else changed this while you were editing it. Your changes have not been saved."
        )
