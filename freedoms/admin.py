from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import PortalAdminMixin
from freedoms.models import FreedomRequest, NegotiatingBrief, PolicyOwner


@admin.register(PolicyOwner)
class PolicyOwnerAdmin(PortalAdminMixin, SimpleHistoryAdmin):
    list_display = ["user", "department", "topic", "funding_stream", "is_laa_lead"]
    list_select_related = ["user", "department", "funding_stream"]
    list_filter = ["department", "is_laa_lead"]
    raw_id_fields = ["user"]


@admin.register(NegotiatingBrief)
class NegotiatingBriefAdmin(PortalAdminMixin, SimpleHistoryAdmin):
    list_display = ["round", "department", "updated_at"]
    list_select_related = ["round", "department"]
    raw_id_fields = ["author"]


@admin.register(FreedomRequest)
class FreedomRequestAdmin(PortalAdminMixin, SimpleHistoryAdmin):
    list_display = ["title", "agreement", "state", "department", "outcome"]
    # The agreement shows as "area – round".
    list_select_related = ["agreement__area", "agreement__round", "department"]
    list_filter = ["state", "outcome", "department"]
    search_fields = ["title", "ask"]
    # A national round has thousands of targets, requests and people: each is entered by its
    # id (with Django's lookup link) rather than drawn as a choice among all of them.
    raw_id_fields = [
        "agreement",
        "outcomes",
        "targets",
        "owner",
        "same_as",
        "decided_by",
        "created_by",
    ]
