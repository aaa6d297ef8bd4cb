from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from apart.accounts.models import Account
from apart.accounts.services import set_account_active
from apart.audit.context import AuditContext


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-mostly: accounts are created by the registration journey or `createagent`, and
    their passwords and secret answers are never shown."""

    list_display = ("login", "last_name", "first_name", "email", "role", "is_active", "created_at")
    list_filter = ("role", "is_active", "must_change_password")
    search_fields = ("login", "email", "last_name", "first_name")
    ordering = ("login",)
    fields = (
        "login",
        "last_name",
        "first_name",
        "email",
        "phone",
        "role",
        "is_active",
        "must_change_password",
        "temporary_password_expires_at",
        "password_changed_at",
        "last_login",
        "last_login_ip",
        "secret_question",
        "created_at",
        "updated_at",
    )
    readonly_fields = (
        "login",
        "role",
        "must_change_password",
        "temporary_password_expires_at",
        "password_changed_at",
        "last_login",
        "last_login_ip",
        "secret_question",
        "created_at",
        "updated_at",
    )

    def save_model(self, request: HttpRequest, obj: Account, form: Any, change: bool) -> None:
        # Deactivation goes through its service: audited, and the sessions end at once.
        active_changed = change and "is_active" in form.changed_data
        if active_changed:
            wanted = obj.is_active
            obj.is_active = not wanted
        super().save_model(request, obj, form, change)
        if active_changed:
            actor = request.user if isinstance(request.user, Account) else None
            set_account_active(
                account=obj, active=wanted, actor=actor, audit=AuditContext.from_request(request)
            )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
