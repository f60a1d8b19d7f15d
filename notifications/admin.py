from django.contrib import admin

from notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["subject", "user", "delivery", "created_at", "sent_at"]
    list_select_related = ["user"]
    list_filter = ["delivery"]
    search_fields = ["subject", "user__email"]
