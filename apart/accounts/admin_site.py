"""The Django admin (/gestion/admin/) is for active administrators only; it has no login page of
its own: the site's login (with its lockout) is used."""

from urllib.parse import urlencode

from django.contrib.admin import AdminSite
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from apart.accounts.models import Account
from apart.accounts.views import landing_url


class AgentAdminSite(AdminSite):
    site_header = "Activité Partielle — administration"
    site_title = "Administration"

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return (
            isinstance(user, Account)
            and user.is_active
            and user.role == Account.Role.ADMINISTRATOR
            and not user.must_change_password
        )

    def login(self, request: HttpRequest, extra_context: object = None) -> HttpResponse:
        if request.user.is_authenticated:
            # Logged in but not an administrator: no second login form, a plain refusal.
            return redirect(landing_url(request.user))
        target = request.GET.get("next") or reverse("admin:index")
        return redirect(f"{reverse('accounts:login')}?{urlencode({'next': target})}")
