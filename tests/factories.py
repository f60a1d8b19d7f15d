"""Test data factories (factory-boy): rows with sensible defaults, so a test names only what
it is about. `build_batch` makes unsaved rows for `bulk_create`."""

import factory
from django.utils import timezone

from freedoms.models import FreedomRequest


class FreedomRequestFactory(factory.django.DjangoModelFactory):
    """A request of the agreement given (required), numbered from 100 upwards."""

    class Meta:
        model = FreedomRequest

    number = factory.Sequence(lambda n: 100 + n)
    title = factory.Sequence(lambda n: f"Request {n:02d}")
    obstacle_kind = "rule"
    obstacle = "Separate audit trails"
    ask = "One budget"
    state = "with_department"
    submitted_at = factory.LazyFunction(timezone.now)
