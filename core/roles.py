"""The roles a person holds in the portal, one per account."""

from django.db import models


class Role(models.TextChoices):
    COORDINATOR = "coordinator", "LAA coordinator"
    PARTNER = "partner", "Partner representative"
    NEGOTIATOR = "negotiator", "GO lead negotiator"
    OFFICIAL = "official", "Department official"
    ADMIN = "admin", "National team admin"
