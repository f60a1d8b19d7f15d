from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import PortalAdminMixin
from performance.models import AnnualReview, Outturn


@admin.register(AnnualReview)
class AnnualReviewAdmin(PortalAdminMixin, SimpleHistoryAdmin):
    list_display = ["round", "year_index", "opened_at", "closed_at"]
    list_select_related = ["round"]
    list_filter = ["round"]
    raw_id_fields = ["opened_by", "closed_by"]


@admin.register(Outturn)
class OutturnAdmin(PortalAdminMixin, SimpleHistoryAdmin):
    list_display = ["target", "year_index", "value", "measured_on", "source"]
    # The target shows as its indicator or local title.
    list_select_related = ["target__indicator"]
    list_filter = ["year_index"]
    raw_id_fields = ["target", "recorded_by"]
