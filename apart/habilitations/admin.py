"""Administrators edit the applications catalogue here. Habilitations are decided in the agents'
pages (/gestion/), never here: the admin only shows them, read-only."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from apart.habilitations.models import Application, Habilitation


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "default_validity_days")
    search_fields = ("code", "name")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # The code is what the import files and the services refer to: fixed once created.
        return ("code",) if obj is not None else ()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Habilitation)
class HabilitationAdmin(admin.ModelAdmin):
    list_display = ("account", "application", "status", "start_date", "end_date", "requested_at")
    list_filter = ("status", "application")
    search_fields = ("account__login", "account__email")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
