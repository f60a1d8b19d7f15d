from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import PortalAdminMixin
from partners.models import Partnership


@admin.register(Partnership)
class PartnershipAdmin(PortalAdminMixin, SimpleHistoryAdmin):
    list_display = ["organisation", "area", "partner_type"]
    list_select_related = ["organisation", "area"]
    list_filter = ["partner_type"]
    search_fields = ["organisation__name", "area__name"]
    autocomplete_fields = ["area", "organisation"]
