from django.contrib import admin
from django.http import HttpRequest

from apart.notifications.models import OutboundEmail


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    """Read-only: the outbox is written by queue_email and the worker, never by hand."""

    list_display = ("created_at", "to", "subject", "status", "attempts", "sent_at")
    list_filter = ("status", "template")
    search_fields = ("to", "subject", "message_id", "account__login")
    date_hierarchy = "created_at"
    ordering = ("-created_at",)
    list_select_related = ("account",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
