from django.contrib import admin
from django.http import HttpRequest

from apart.notifications.models import OutboundEmail

# Shown instead of the body of a confidential email (temporary password, reset, confirmation or
# invitation link), queued or not: only its recipient may read it.
CONFIDENTIAL_BODY = (
    "[Courriel confidentiel : son contenu (mot de passe temporaire ou lien personnel) n'est "
    "visible que par son destinataire, et il est effacé de la base une fois envoyé.]"
)


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    """Read-only: the outbox is written by queue_email and the worker, never by hand. The body of
    a confidential email is never shown, neither queued nor after sending (it is wiped then)."""

    list_display = ("created_at", "to", "subject", "status", "sensitive", "attempts", "sent_at")
    list_filter = ("status", "template", "sensitive")
    search_fields = ("to", "subject", "message_id", "account__login")
    date_hierarchy = "created_at"
    ordering = ("-created_at",)
    list_select_related = ("account",)
    fields = (
        "status",
        "to",
        "subject",
        "content",
        "account",
        "template",
        "sensitive",
        "message_id",
        "attempts",
        "next_attempt_at",
        "last_error",
        "sent_at",
        "created_at",
    )
    readonly_fields = fields

    @admin.display(description="contenu")
    def content(self, email: OutboundEmail) -> str:
        return CONFIDENTIAL_BODY if email.sensitive else email.body_text

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
