"""Abstract bases shared by the portal's models. No tables of their own."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models


class TimestampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Who made the change the next save() records, and why: set before saving a model that
    # keeps a history, read by django-simple-history when it writes the history row. Plain
    # attributes, not fields.
    _history_user: AbstractBaseUser | None
    _change_reason: str | None

    class Meta:
        abstract = True
