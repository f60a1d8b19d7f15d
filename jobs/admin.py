from django.contrib import admin

from core.admin import PortalAdminMixin
from jobs.models import Job, VersionPdf


@admin.register(Job)
class JobAdmin(PortalAdminMixin, admin.ModelAdmin):
    """Read-only: jobs are made by asking for a PDF or an export, and run by the workers."""

    list_display = ["kind", "state", "requested_by", "attempts", "created_at", "finished_at"]
    list_select_related = ["requested_by"]
    list_filter = ["kind", "state"]
    search_fields = ["dedupe_key", "requested_by__email"]
    readonly_fields = [field.name for field in Job._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(VersionPdf)
class VersionPdfAdmin(PortalAdminMixin, admin.ModelAdmin):
    list_display = ["version", "pages", "size", "created_at"]
    list_select_related = ["version"]
    readonly_fields = ["version", "file", "sha256", "pages", "size", "created_at"]

    def has_add_permission(self, request) -> bool:
        return False
