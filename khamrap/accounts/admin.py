from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from khamrap.accounts.models import User
from khamrap.core.admin import AdministratorOnly


@admin.register(User)
class UserAdmin(AdministratorOnly, BaseUserAdmin[User]):
    list_display = ["username", "first_name", "last_name", "role", "organisation", "is_active"]
    list_filter = ["role", "is_active"]
    autocomplete_fields = ["organisation"]
    filter_horizontal = ["assigned_organisations"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("คำรับรอง", {"fields": ("role", "organisation", "assigned_organisations", "phone")}),
    )  # type: ignore[misc]
    add_fieldsets = (*BaseUserAdmin.add_fieldsets, ("คำรับรอง", {"fields": ("role", "organisation")}))
