"""The organisations named as partners in an area's Local Strategic Partnership."""

from django.db import models
from simple_history.models import HistoricalRecords

from accounts.models import Area, Organisation, TimestampedModel


class PartnerType(models.TextChoices):
    PCT = "pct", "Primary care trust"
    POLICE = "police", "Police"
    FIRE = "fire", "Fire and rescue"
    JOBCENTRE_PLUS = "jobcentre_plus", "Jobcentre Plus"
    LSC = "lsc", "Learning and Skills Council"
    DISTRICT_COUNCIL = "district_council", "District council"
    VCS = "vcs", "Voluntary and community sector"
    BUSINESS = "business", "Business"
    OTHER = "other", "Other partner"


class Partnership(TimestampedModel):
    """A partner organisation named in one area (a police force may partner several)."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="partnerships")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="partnerships",
        limit_choices_to={"kind": Organisation.Kind.PARTNER},
    )
    partner_type = models.CharField(max_length=32, choices=PartnerType.choices)

    history = HistoricalRecords()

    class Meta:
        ordering = ["area__name", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "organisation"], name="one_partnership_per_area"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.area}"
