"""Colleagues of an establishment: who has access, invitations, removal, main-contact hand-over."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from apart.accounts.decorators import employer_required
from apart.accounts.models import Account
from apart.accounts.reauth import (
    has_recent_auth,
    reauth_redirect,
    reauth_url,
    recent_auth_required,
)
from apart.accounts.requests import AuthenticatedRequest, current_account
from apart.audit.context import AuditContext
from apart.establishments import selectors
from apart.establishments.forms.colleagues import InviteForm
from apart.establishments.models import Establishment, Invitation
from apart.establishments.services.colleagues import hand_over_main_contact, remove_colleague
from apart.establishments.services.invitations import (
    cancel_invitation,
    invite_colleague,
)
from apart.establishments.services.rules import MembershipError

COLLEAGUES_REAUTH_TEXT = (
    "Pour inviter un collègue ou transmettre le rôle de contact principal, confirmez d'abord "
    "votre mot de passe actuel."
)


def _colleagues_page(
    request: HttpRequest,
    establishment: Establishment,
    *,
    invite_form: InviteForm | None = None,
    status: int = 200,
) -> HttpResponse:
    account = current_account(request)
    members = list(selectors.members_of(establishment))
    return render(
        request,
        "establishments/colleagues.html",
        {
            "establishment": establishment,
            "members": members,
            "invitations": selectors.pending_invitations(establishment),
            "invite_form": invite_form or InviteForm(),
            "is_main_contact": establishment.main_contact_id == account.pk,
            # The invitation form shows once the password was confirmed (nothing typed is lost).
            "recent_auth": has_recent_auth(request),
            "reauth_link": reauth_url(request, _back_to_colleagues(request, establishment.pk)),
            "reauth_text": COLLEAGUES_REAUTH_TEXT,
        },
        status=status,
    )


@employer_required
@require_http_methods(["GET", "HEAD", "POST"])
def colleagues(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Who has access to the establishment; the main contact invites a colleague here."""
    account = current_account(request)
    establishment = selectors.establishment_for(account, pk)
    if request.method != "POST":
        return _colleagues_page(request, establishment)
    if not has_recent_auth(request):  # inviting gives access to the establishment
        return reauth_redirect(request, _back_to_colleagues(request, establishment.pk))
    form = InviteForm(request.POST)
    if not form.is_valid():
        return _colleagues_page(request, establishment, invite_form=form, status=400)
    try:
        invite_colleague(
            establishment=establishment,
            email=form.cleaned_data["email"],
            actor=account,
            audit=AuditContext.from_request(request),
        )
    except MembershipError as refused:
        form.add_error("email", refused.message)
        return _colleagues_page(request, establishment, invite_form=form, status=400)
    messages.success(
        request,
        gettext("Une invitation a été envoyée à {email}.").format(email=form.cleaned_data["email"]),
    )
    return redirect("establishments:colleagues", pk=establishment.pk)


def _member(establishment: Establishment, account_pk: Any) -> Account:
    member = selectors.members_of(establishment).filter(pk=account_pk).first()
    if member is None:
        raise Http404("membre inconnu")
    return member


def _change_colleague(
    request: AuthenticatedRequest,
    pk: int,
    account_pk: int,
    change: Callable[[Establishment, Account, Account, AuditContext], object],
    done: str,
) -> HttpResponse:
    """One change about a colleague of one of my establishments, back to the colleagues page
    with the refusal or ``done`` (a sentence with ``{name}``)."""
    account = current_account(request)
    establishment = selectors.establishment_for(account, pk)
    colleague = _member(establishment, account_pk)
    try:
        change(establishment, colleague, account, AuditContext.from_request(request))
    except MembershipError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, done.format(name=colleague.full_name))
    return redirect("establishments:colleagues", pk=establishment.pk)


@employer_required
@require_POST
def colleague_remove(request: AuthenticatedRequest, pk: int, account_pk: int) -> HttpResponse:
    return _change_colleague(
        request,
        pk,
        account_pk,
        lambda establishment, colleague, actor, audit: remove_colleague(
            establishment=establishment, colleague=colleague, actor=actor, audit=audit
        ),
        gettext("{name} n'a plus accès à cet établissement."),
    )


def _back_to_colleagues(request: HttpRequest, pk: int, **_: Any) -> str:
    return reverse("establishments:colleagues", kwargs={"pk": pk})


@employer_required
@require_POST
@recent_auth_required(return_to=_back_to_colleagues)
def main_contact(request: AuthenticatedRequest, pk: int, account_pk: int) -> HttpResponse:
    return _change_colleague(
        request,
        pk,
        account_pk,
        lambda establishment, colleague, actor, audit: hand_over_main_contact(
            establishment=establishment, new_main_contact=colleague, actor=actor, audit=audit
        ),
        gettext("{name} est désormais le contact principal de l'établissement."),
    )


@employer_required
@require_POST
def invitation_cancel(request: AuthenticatedRequest, pk: int, invitation_pk: int) -> HttpResponse:
    account = current_account(request)
    establishment = selectors.establishment_for(account, pk)
    invitation = get_object_or_404(
        Invitation, pk=invitation_pk, establishment=establishment, status=Invitation.Status.PENDING
    )
    try:
        cancel_invitation(
            invitation=invitation, actor=account, audit=AuditContext.from_request(request)
        )
    except MembershipError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request, gettext("L'invitation de {email} est annulée.").format(email=invitation.email)
        )
    return redirect("establishments:colleagues", pk=establishment.pk)
