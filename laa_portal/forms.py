"""Form fields for every app's forms, in place of Django's own where Django's would fail
rather than refuse."""

from django import forms
from django.db import connections, models


class _KeyInRange:
    """Refuses a key the database column could not hold (an id beyond 64 bits, say) with the
    field's usual "Select a valid choice" error. Django checks the range for an exact lookup
    but not for `pk__in`, and SQLite then fails with an OverflowError."""

    def _key_range(self) -> tuple[int, int] | None:
        meta = self.queryset.model._meta
        key = meta.get_field(self.to_field_name) if self.to_field_name else meta.pk
        while key.is_relation:  # a one-to-one primary key holds its target's values
            key = key.target_field
        if not isinstance(key, models.IntegerField):
            return None
        ops = connections[self.queryset.db].ops
        return ops.integer_field_range(key.get_internal_type())

    def _refuse_out_of_range(self, values) -> None:
        bounds = self._key_range()
        if bounds is None:
            return
        low, high = bounds
        for value in values:
            try:
                number = int(value)
            except (TypeError, ValueError):
                continue  # not a number at all: Django refuses it as it stands
            if (low is not None and number < low) or (high is not None and number > high):
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": value},
                )


class ModelChoiceField(_KeyInRange, forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values and not isinstance(value, self.queryset.model):
            self._refuse_out_of_range([value])
        return super().to_python(value)


class ModelMultipleChoiceField(_KeyInRange, forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        self._refuse_out_of_range(value)
        return super()._check_values(value)
