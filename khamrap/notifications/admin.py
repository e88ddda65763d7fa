from django.contrib import admin

from khamrap.core.admin import AdministratorOnly
from khamrap.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(AdministratorOnly, admin.ModelAdmin[Notification]):
    list_display = ["created_at", "recipient", "kind", "subject_th", "read_at", "emailed_at"]
    list_filter = ["kind"]
    search_fields = ["recipient__username", "subject_th", "key"]
    readonly_fields = ["created_at"]
