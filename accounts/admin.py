from axes import admin as axes_admin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.models import Group
from django_otp.plugins.otp_static import admin as otp_static_admin
from django_otp.plugins.otp_static.models import StaticDevice
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import Area, Organisation, SecurityEvent, User
from core.admin import InlineFormSet, PortalAdminMixin


class UserCreationAdminForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email"]


class UserChangeAdminForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(PortalAdminMixin, SimpleHistoryAdmin, BaseUserAdmin):
    add_form = UserCreationAdminForm
    form = UserChangeAdminForm
    ordering = ["email"]
    list_display = ["email", "full_name", "organisation", "role", "is_active"]
    list_select_related = ["organisation"]
    list_filter = ["role", "is_active", "is_staff"]
    search_fields = ["email", "full_name"]
    autocomplete_fields = ["organisation"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["full_name", "job_title", "organisation", "role"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {"fields": ["email", "full_name", "organisation", "role", "password1", "password2"]},
        ),
    ]


@admin.register(Organisation)
class OrganisationAdmin(PortalAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "kind", "abbreviation", "area"]
    list_select_related = ["area"]
    list_filter = ["kind"]
    search_fields = ["name", "abbreviation"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["area"]


@admin.register(Area)
class AreaAdmin(PortalAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "tier", "government_office", "ons_code"]
    list_select_related = ["government_office"]
    list_filter = ["tier", "government_office"]
    search_fields = ["name", "ons_code"]


# Django's and the lock-outs' own registrations, again with the portal's relation fields
# and filters.
admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(PortalAdminMixin, BaseGroupAdmin):
    pass


for model, lockout_admin in [
    (AccessAttempt, axes_admin.AccessAttemptAdmin),
    (AccessLog, axes_admin.AccessLogAdmin),
    (AccessFailureLog, axes_admin.AccessFailureLogAdmin),
]:
    if admin.site.is_registered(model):
        admin.site.unregister(model)
        admin.site.register(
            model, type(lockout_admin.__name__, (PortalAdminMixin, lockout_admin), {})
        )

# The recovery codes' own registration, again with the portal's relation fields and its
# inline rows, which refuse an absurd count of rows without building them.
if admin.site.is_registered(StaticDevice):
    admin.site.unregister(StaticDevice)
    admin.site.register(
        StaticDevice,
        type(
            "StaticDeviceAdmin",
            (PortalAdminMixin, otp_static_admin.StaticDeviceAdmin),
            {
                "inlines": [
                    type(
                        "StaticTokenInline",
                        (otp_static_admin.StaticTokenInline,),
                        {"formset": InlineFormSet},
                    )
                ]
            },
        ),
    )


@admin.register(SecurityEvent)
class SecurityEventAdmin(PortalAdminMixin, admin.ModelAdmin):
    """The security log, read only: rows are only ever added, by the portal."""

    list_display = ["at", "kind", "subject", "actor", "address", "detail"]
    list_filter = ["kind"]
    search_fields = ["subject__email", "actor__email", "detail"]
    raw_id_fields = ["subject", "actor"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
