from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import Area, Organisation, User


class UserCreationAdminForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email"]


class UserChangeAdminForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(BaseUserAdmin):
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
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "abbreviation", "area"]
    list_select_related = ["area"]
    list_filter = ["kind"]
    search_fields = ["name", "abbreviation"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["area"]


@admin.register(Area)
class AreaAdmin(SimpleHistoryAdmin):
    list_display = ["name", "tier", "government_office", "ons_code"]
    list_select_related = ["government_office"]
    list_filter = ["tier", "government_office"]
    search_fields = ["name", "ons_code"]
