"""The annual review of a signed agreement: each year's actual outturn per target, beside
the trajectory the agreement set for that year."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from agreements.models import Target, VersionedModel
from core.models import TimestampedModel
from indicators.models import Round


class AnnualReview(TimestampedModel):
    """The national team opens a round's review for one year; while it is open the areas'
    coordinators record that year's outturns."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="annual_reviews")
    # The year of the round, counted from 0: the round's `years[year_index]` (2008/09).
    year_index = models.PositiveSmallIntegerField()
    opened_at = models.DateTimeField()
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["round", "year_index"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "year_index"], name="one_annual_review_per_round_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round}: annual review {self.year}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def year(self) -> str:
        years = self.round.years
        return years[self.year_index] if self.year_index < len(years) else str(self.year_index)

    @property
    def first_year(self) -> int:
        """The calendar year the review's financial year starts in: its address."""
        return self.round.first_year + self.year_index


class Outturn(VersionedModel):
    """The actual figure of one target for one year of the round, with where it came from."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="outturns")
    year_index = models.PositiveSmallIntegerField()
    value = models.DecimalField(max_digits=14, decimal_places=4)
    # The number of decimal places the value was typed with ("78.0" keeps one).
    places = models.PositiveSmallIntegerField(null=True, blank=True)
    measured_on = models.DateField("date of the figure")
    source = models.CharField(max_length=200)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["target", "year_index"]
        constraints = [
            models.UniqueConstraint(
                fields=["target", "year_index"], name="one_outturn_per_target_year"
            ),
            models.CheckConstraint(condition=~Q(source=""), name="outturn_names_its_source"),
        ]

    def __str__(self) -> str:
        return f"{self.target}: {self.value}"
