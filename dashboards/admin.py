from django.contrib import admin

from core.admin import PortalAdminMixin, TabularInline
from dashboards.models import Subscription, SummaryDelivery, WeeklySummary


@admin.register(Subscription)
class SubscriptionAdmin(PortalAdminMixin, admin.ModelAdmin):
    list_display = ["user", "government_office", "created_at"]
    list_select_related = ["user", "government_office"]
    raw_id_fields = ["user"]


class DeliveryInline(TabularInline):
    model = SummaryDelivery
    extra = 0
    readonly_fields = ["user", "email", "sent_at"]
    can_delete = False


@admin.register(WeeklySummary)
class WeeklySummaryAdmin(PortalAdminMixin, admin.ModelAdmin):
    list_display = ["week_starting", "government_office", "round", "created_at"]
    list_select_related = ["government_office", "round"]
    inlines = [DeliveryInline]
