from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from freedoms.models import FreedomRequest, NegotiatingBrief, PolicyOwner


@admin.register(PolicyOwner)
class PolicyOwnerAdmin(SimpleHistoryAdmin):
    list_display = ["user", "department", "topic", "funding_stream", "is_laa_lead"]
    list_filter = ["department", "is_laa_lead"]


@admin.register(NegotiatingBrief)
class NegotiatingBriefAdmin(SimpleHistoryAdmin):
    list_display = ["round", "department", "updated_at"]


@admin.register(FreedomRequest)
class FreedomRequestAdmin(SimpleHistoryAdmin):
    list_display = ["title", "agreement", "state", "department", "outcome"]
    list_filter = ["state", "outcome", "department"]
    search_fields = ["title", "ask"]
