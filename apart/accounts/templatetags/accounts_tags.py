"""Template helpers: the login box and the password policy texts, from the settings."""

from typing import Any

from django import template

from apart.accounts.forms import LoginForm
from apart.accounts.passwords import policy_checklist, policy_rules, policy_sentence

register = template.Library()


@register.inclusion_tag("accounts/_login_form.html", takes_context=True)
def login_box(context: template.Context) -> dict[str, Any]:
    """The « MON ESPACE PERSONNEL » form, posting to the login page."""
    return {
        "form": LoginForm(),
        "temporary_expired": False,
        "request": context["request"],
        "csrf_token": context["csrf_token"],
    }


@register.simple_tag
def password_policy_sentence() -> str:
    """« Le mot de passe doit être différent de l'identifiant et comporter 8 caractères... »"""
    return policy_sentence()


@register.inclusion_tag("accounts/_password_rules.html")
def password_policy_rules() -> dict[str, Any]:
    """The list « Nombre minimum de caractères : 8 »... of « GESTION DU MOT DE PASSE »."""
    return {"rules": policy_rules()}


@register.inclusion_tag("accounts/_password_checklist.html", takes_context=True)
def password_checklist(
    context: template.Context,
    *,
    list_id: str,
    password_id: str,
    confirmation_id: str,
    login: str = "",
) -> dict[str, Any]:
    """Every rule of a new password, ticked live by the page's script (the server checks them
    all anyway and lists every failing one). ``login`` is given only to its own account."""
    return {
        "checks": policy_checklist(),
        "list_id": list_id,
        "password_id": password_id,
        "confirmation_id": confirmation_id,
        "login": login,
        "request": context["request"],
    }
