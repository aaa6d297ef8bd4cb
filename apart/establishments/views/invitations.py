"""The invitee's side of an invitation: accept it, or create one's account."""

from datetime import timedelta

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from apart.accounts.middleware import password_change_not_required
from apart.accounts.models import Account
from apart.audit.context import AuditContext
from apart.core import ratelimit
from apart.establishments import current, selectors
from apart.establishments.forms.colleagues import NewColleagueForm
from apart.establishments.selectors import invitation_for_token
from apart.establishments.services.invitations import (
    NewColleague,
    accept_invitation,
    register_invited_colleague,
)
from apart.establishments.services.rules import MembershipError


@password_change_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The link of the invitation email. Logged in: « Accepter l'invitation ». Otherwise: log in
    (and come back), or create one's account."""
    found = invitation_for_token(token)
    if found is None:
        return render(request, "establishments/invitation_invalid.html", status=404)
    user = request.user
    if request.method == "POST":
        if not isinstance(user, Account):
            return redirect(f"{reverse('accounts:login')}?next={request.path}")
        try:
            accept_invitation(
                invitation=found, account=user, audit=AuditContext.from_request(request)
            )
        except MembershipError as refused:
            messages.error(request, refused.message)
            return render(
                request, "establishments/invitation.html", {"invitation": found}, status=400
            )
        current.choose(request, found.establishment)
        messages.success(
            request,
            f"Vous avez accès à l'établissement {found.establishment.denomination}."
            if selectors.is_member(user, found.establishment)
            else "Votre demande d'habilitation a été transmise : elle sera traitée par nos "
            "services.",
        )
        return redirect("space:dashboard")
    return render(request, "establishments/invitation.html", {"invitation": found})


@sensitive_post_parameters("secret_answer")
@password_change_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def invitation_register(request: HttpRequest, token: str) -> HttpResponse:
    """The invitee has no account: « Compte utilisateur à créer »."""
    found = invitation_for_token(token)
    if found is None:
        return render(request, "establishments/invitation_invalid.html", status=404)
    if request.method != "POST":
        form = NewColleagueForm()
        return render(
            request, "establishments/invitation_register.html", {"invitation": found, "form": form}
        )
    form = NewColleagueForm(request.POST)
    verdict = ratelimit.hit(f"invitation-register:{found.pk}", limit=10, window=timedelta(hours=1))
    if not verdict.allowed:
        form.add_error(None, "Trop de tentatives. Veuillez réessayer dans une heure.")
    elif form.is_valid():
        data = form.cleaned_data
        try:
            register_invited_colleague(
                invitation=found,
                person=NewColleague(
                    last_name=data["last_name"],
                    first_name=data["first_name"],
                    phone=data["phone"],
                    secret_question=data["secret_question"],
                    secret_answer=data["secret_answer"],
                ),
                audit=AuditContext.from_request(request),
            )
        except MembershipError as refused:
            form.add_error(None, refused.message)
        else:
            return render(request, "establishments/invitation_registered.html")
    return render(
        request,
        "establishments/invitation_register.html",
        {"invitation": found, "form": form},
        status=400,
    )
