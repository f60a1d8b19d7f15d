from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import PortalAdminMixin, TabularInline
from indicators.models import Indicator, Milestone, MilestoneOverride, Round, RoundIndicator, Theme


@admin.register(Indicator)
class IndicatorAdmin(PortalAdminMixin, SimpleHistoryAdmin):
    list_display = ["code", "title", "theme", "lead_department", "lead_department_confirmed"]
    list_select_related = ["lead_department"]
    list_filter = ["theme", "lead_department", "lead_department_confirmed"]
    search_fields = ["code", "title"]


class ThemeInline(TabularInline):
    model = Theme
    extra = 0


class MilestoneInline(TabularInline):
    model = Milestone
    extra = 0


@admin.register(Round)
class RoundAdmin(PortalAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "structure", "first_year", "designated_target_cap", "is_current"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ThemeInline, MilestoneInline]
    raw_id_fields = ["refresh_opened_by"]


@admin.register(RoundIndicator)
class RoundIndicatorAdmin(PortalAdminMixin, admin.ModelAdmin):
    list_display = ["indicator", "round", "is_statutory", "statutory_phase"]
    list_select_related = ["indicator", "round"]
    list_filter = ["round", "is_statutory"]
    search_fields = ["indicator__code", "indicator__title"]


@admin.register(MilestoneOverride)
class MilestoneOverrideAdmin(PortalAdminMixin, SimpleHistoryAdmin):
    list_display = ["milestone", "area", "due_on"]
    list_select_related = ["milestone", "area"]
    list_filter = ["milestone__round"]
    autocomplete_fields = ["area"]
