"""Errors every layer of the portal raises and answers in the same way."""

from __future__ import annotations

from django.db.models import Model


class ServiceError(Exception):
    """A rule of the domain refused the change; the message is for the user. `field` names
    the form field the refusal is about, where there is one."""

    def __init__(self, message: str = "", *, field: str | None = None):
        self.field = field
        super().__init__(message)

    def add_to(self, form) -> None:
        """Show the refusal on the form: beside its field when the form has that field, at
        the top of the error summary otherwise."""
        form.add_error(self.field if self.field in form.fields else None, str(self))


class ConflictError(ServiceError):
    """Someone saved the same thing since this edit began. Nothing was saved."""

    def __init__(self, current: Model | None):
        self.current = current
        super().__init__(
            "Someone else changed this while you were editing it. Your changes have not been saved."
        )
