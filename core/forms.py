"""Form fields for every app's forms, in place of Django's own where Django's would fail
rather than refuse."""

from typing import TYPE_CHECKING, Any

from crispy_forms_gds import helper as crispy_helper
from django import forms
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import connections, models

if TYPE_CHECKING:
    _ModelChoiceField = forms.ModelChoiceField[Any]
else:
    _ModelChoiceField = object


class _KeyInRange(_ModelChoiceField):
    """Refuses a key the database column could not hold (an id beyond 64 bits, say) with the
    field's usual "Select a valid choice" error. Django checks the range for an exact lookup
    but not for `pk__in`, and SQLite then fails with an OverflowError."""

    def _rows(self) -> models.QuerySet:
        if self.queryset is None:  # Django builds these fields with a relation's rows
            raise ImproperlyConfigured(f"{type(self).__name__} needs a queryset.")
        return self.queryset

    def _key_field(self) -> models.Field:
        meta = self._rows().model._meta
        key = meta.get_field(self.to_field_name) if self.to_field_name else meta.pk
        while key.is_relation:  # a one-to-one primary key holds its target's values
            key = key.target_field
        return key

    def _key_range(self) -> tuple[int | None, int | None] | None:
        key = self._key_field()
        if not isinstance(key, models.IntegerField):
            return None
        return connections[self._rows().db].ops.integer_field_range(key.get_internal_type())

    def _in_range(self, number: int) -> bool:
        bounds = self._key_range()
        if bounds is None:
            return True
        low, high = bounds
        return (low is None or number >= low) and (high is None or number <= high)

    def could_be_key(self, value) -> bool:
        """Whether the value may be looked up as a key without the database failing."""
        if "\x00" in str(value):
            return False
        try:
            key = self._key_field().to_python(value)
        except ValidationError:
            return False
        return not isinstance(key, int) or self._in_range(key)

    def _refuse_out_of_range(self, values) -> None:
        if self._key_range() is None:
            return
        for value in values:
            try:
                number = int(value)
            except (TypeError, ValueError):
                continue  # not a number at all: Django refuses it as it stands
            if not self._in_range(number):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": value},
                )


class ModelChoiceField(_KeyInRange, forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values and not isinstance(value, self._rows().model):
            self._refuse_out_of_range([value])
        return super().to_python(value)


class ModelMultipleChoiceField(_KeyInRange, forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        self._refuse_out_of_range(value)
        # A private method of Django's field that its type stubs leave out.
        return super()._check_values(value)  # type: ignore[misc]


class FormHelper(crispy_helper.FormHelper):
    """The GOV.UK crispy-forms helper for every form: the page draws the form element
    itself (with its CSRF token and buttons), so the helper never adds one. Forms drawn by
    the helper inside a page's own form element would otherwise nest one form in another."""

    form_tag = False
