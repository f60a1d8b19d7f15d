"""The organisations named as partners in an area's Local Strategic Partnership."""

from django.db import models
from simple_history.models import HistoricalRecords

from accounts.models import Area, Organisation
from core.models import TimestampedModel


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


class AccessLevel(models.TextChoices):
    VIEW = "view", "View the draft"
    COMMENT = "comment", "View and comment"
    EDIT = "edit", "View, comment and edit"


class PartnerRepresentative(TimestampedModel):
    """A person speaking for a partner in one area, with the rights the coordinator gave."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="representatives"
    )
    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="representations"
    )
    access = models.CharField(max_length=10, choices=AccessLevel.choices, default=AccessLevel.VIEW)
    invited_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership", "user__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "user"], name="one_representation_per_partnership"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} for {self.partnership}"
