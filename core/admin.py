"""What every page of the data admin shares: relation fields and autocomplete widgets that
refuse, rather than fail on, a posted id that is no id (beyond 64 bits, or a word), and
inline formsets that do not trust a negative count of existing rows, nor build thousands of
empty rows for an absurd count of rows."""

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.contrib.admin import widgets
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList as BaseChangeList
from django.core.exceptions import ValidationError
from django.forms.formsets import TOTAL_FORM_COUNT
from django.forms.models import BaseInlineFormSet

from core.forms import ModelChoiceField, ModelMultipleChoiceField

if TYPE_CHECKING:
    _Autocomplete = widgets.AutocompleteMixin
    _ModelAdmin = admin.options.BaseModelAdmin[Any]
else:
    _Autocomplete = _ModelAdmin = object


class _DrawsOnlyKeys(_Autocomplete):
    """Django redraws a refused autocomplete choice by looking it up with `pk__in`, which
    fails on a value that is no key: such a value is left out of the redrawn field."""

    def optgroups(self, name, value, attr=None):
        field = self.choices.field
        if hasattr(field, "could_be_key"):
            value = [v for v in value if field.could_be_key(v)]
        return super().optgroups(name, value, attr)


class AutocompleteSelect(_DrawsOnlyKeys, widgets.AutocompleteSelect):
    pass


class AutocompleteSelectMultiple(_DrawsOnlyKeys, widgets.AutocompleteSelectMultiple):
    pass


class ChangeList(BaseChangeList):
    def get_filters(self, request):
        # A date beyond any calendar (?attempt_time__year=99999999999999999999) overflows
        # where Django expects only a ValueError; it is refused like any other bad filter.
        try:
            return super().get_filters(request)
        except OverflowError as exc:
            raise IncorrectLookupParameters(exc) from exc


class PortalAdminMixin(_ModelAdmin):
    """For every ModelAdmin of the data admin, the portal's and those of Django's groups and
    the sign-in lock-outs."""

    def get_changelist(self, request, **kwargs):
        return ChangeList

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", ModelChoiceField)
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", ModelMultipleChoiceField)
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class InlineFormSet(BaseInlineFormSet):
    def clean(self):
        # Django leaves the parent's key out of each row's checks, so a constraint over it
        # (a theme's name once per round) failed in the database instead of as an error.
        super().clean()
        for form in self.forms:
            # Private methods of Django's formset and form that its type stubs leave out.
            if not form.is_valid() or self._should_delete_form(form):  # type: ignore[attr-defined]
                continue
            exclude = form._get_validation_exclusions() - {self.fk.name}  # type: ignore[attr-defined]
            try:
                form.instance.validate_constraints(exclude=exclude)
            except ValidationError as error:
                form._update_errors(error)  # type: ignore[attr-defined]

    def initial_form_count(self):
        # Django trusts the posted count of existing rows: a negative one made it take the
        # forms from the end as existing rows and save them again as new ones.
        count = super().initial_form_count()
        return max(count, 0) if self.is_bound else count

    def total_form_count(self):
        # Django builds, checks and draws again as many rows as the posted count says, up to
        # its own bound of 2,000 per formset: a count beyond that bound made one request
        # build and draw thousands of empty rows (megabytes, tens of seconds). Such a count
        # is refused all the same ("Please submit at most ... forms"), over the rows posted
        # as existing ones only.
        count = super().total_form_count()
        if not self.is_bound or self.absolute_max is None:
            return count
        posted = self.management_form.cleaned_data[TOTAL_FORM_COUNT] or 0
        return min(self.initial_form_count(), count) if posted > self.absolute_max else count


class TabularInline(PortalAdminMixin, admin.TabularInline):
    formset = InlineFormSet
