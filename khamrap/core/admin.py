"""The administrator's screens (Django admin) open by role: OPDC administrators edit, nobody else enters."""

from typing import Any

from axes import admin as axes_admin
from axes.models import AccessAttempt, AccessLog
from django.contrib import admin
from django.http import HttpRequest


def _is_admin(request: HttpRequest) -> bool:
    # accounts.access.can_use_admin_screens, read off the user here because core imports no app.
    user: Any = request.user
    return bool(user.is_active and user.is_authenticated and user.is_admin)


class AdministratorOnly:
    """Mix into a ModelAdmin or inline: every permission follows the OPDC administrator role."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_admin(request)

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return _is_admin(request)

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return _is_admin(request)

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return _is_admin(request)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return _is_admin(request)


# Login lockouts (django-axes): the OPDC administrator sees the attempts and unlocks by deleting one.
class AccessAttemptAdmin(AdministratorOnly, axes_admin.AccessAttemptAdmin):  # type: ignore[misc]
    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class AccessLogAdmin(AdministratorOnly, axes_admin.AccessLogAdmin):  # type: ignore[misc]
    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


admin.site.register(AccessAttempt, AccessAttemptAdmin)
admin.site.register(AccessLog, AccessLogAdmin)
