"""Pages of the establishments in the employer's space: list, fiche, bank details, SIRENE refresh,
colleagues and invitations, another SIRET ("DEMANDE CRÉATION DE COMPTE")."""

from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from apart.accounts.decorators import employer_required
from apart.accounts.middleware import password_change_not_required
from apart.accounts.models import Account
from apart.accounts.reauth import has_recent_auth, reauth_url, recent_auth_required
from apart.core import ratelimit
from apart.directory.eligibility import known_cities, sirene_prefill
from apart.establishments import access, current
from apart.establishments.bank import mask_iban
from apart.establishments.completeness import (
    COMPLETE,
    INCOMPLETE,
    fiche_of,
    missing_items,
    status_label,
)
from apart.establishments.fiche import (
    FICHE_FIELDS,
    RECENT_AUTH_NEEDED,
    FicheError,
    change_bank_details,
    refresh_from_sirene,
    update_fiche,
)
from apart.establishments.forms.colleagues import InviteForm, NewColleagueForm
from apart.establishments.forms.details import EstablishmentDetailsForm, SiretForm
from apart.establishments.forms.fiche import BankDetailsForm, FicheForm
from apart.establishments.members import (
    MembershipError,
    NewColleague,
    accept_invitation,
    add_establishment,
    cancel_invitation,
    hand_over_main_contact,
    invitation_for_token,
    invite_colleague,
    register_invited_colleague,
    remove_colleague,
)
from apart.establishments.models import Establishment, Invitation
from apart.establishments.selectors import siret_eligibility

PAGE_SIZE = 20
COLLEAGUES_REAUTH_TEXT = (
    "Pour inviter un collègue ou transmettre le rôle de contact principal, confirmez d'abord "
    "votre mot de passe actuel."
)
_ADD_SESSION_KEY = "space_add_siret"


def _account(request: HttpRequest) -> Account:
    user = request.user
    if not isinstance(user, Account):
        raise Http404
    return user


# -- List ---------------------------------------------------------------------------------------
@employer_required
@require_safe
def establishment_list(request: HttpRequest) -> HttpResponse:
    """« Voir tous mes Etablissements »: search (name, SIRET, town), sort, pages of 20."""
    query = request.GET.get("q", "")[:100].replace("\x00", "")
    sort = request.GET.get("tri", access.DEFAULT_SORT)
    if sort not in access.SORTS:
        sort = access.DEFAULT_SORT
    establishments = access.search_establishments(_account(request), query=query, sort=sort)
    page = Paginator(establishments, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        (establishment, COMPLETE if access.listed_complete(establishment) else INCOMPLETE)
        for establishment in page.object_list
    ]
    return render(
        request,
        "establishments/list.html",
        {
            "page": page,
            "rows": rows,
            "query": query,
            "sort": sort,
            "awaiting": access.awaiting_validation(_account(request)),
        },
    )


# -- Fiche --------------------------------------------------------------------------------------
def _fiche_page(
    request: HttpRequest,
    establishment: Establishment,
    *,
    fiche_form: FicheForm | None = None,
    bank_form: BankDetailsForm | None = None,
    status: int = 200,
) -> HttpResponse:
    fiche = fiche_of(establishment)
    if fiche_form is None:
        initial = {name: getattr(fiche, name) for name in FICHE_FIELDS}
        fiche_form = FicheForm(initial=initial, postal_code=establishment.postal_code)
    account = _account(request)
    return render(
        request,
        "establishments/fiche.html",
        {
            "establishment": establishment,
            "fiche": fiche,
            "fiche_form": fiche_form,
            "bank_form": bank_form or BankDetailsForm(),
            "masked_iban": mask_iban(fiche.iban),
            "missing": missing_items(establishment),
            "status_label": status_label(establishment),
            "is_main_contact": establishment.main_contact_id == account.pk,
            "bank_recent_auth": has_recent_auth(request),
            "bank_reauth_url": _bank_reauth_url(establishment),
        },
        status=status,
    )


@employer_required
@require_http_methods(["GET", "HEAD", "POST"])
def fiche(request: HttpRequest, pk: int) -> HttpResponse:
    """The fiche établissement: identity (SIRENE, read-only), contact, mail address, activity."""
    account = _account(request)
    establishment = access.establishment_for(account, pk)
    if request.method != "POST":
        return _fiche_page(request, establishment)
    form = FicheForm(request.POST, postal_code=establishment.postal_code)
    if not form.is_valid():
        return _fiche_page(request, establishment, fiche_form=form, status=400)
    values = {name: form.cleaned_data[name] for name in FICHE_FIELDS}
    changed = update_fiche(
        establishment=establishment, values=values, actor=account, request=request
    )
    messages.success(
        request,
        "La fiche établissement a été enregistrée." if changed else "Aucune modification.",
    )
    return redirect("establishments:fiche", pk=establishment.pk)


def _bank_reauth_url(establishment: Establishment) -> str:
    """« Mot de passe actuel », then back to the bank details of the fiche."""
    back = reverse("establishments:fiche", kwargs={"pk": establishment.pk}) + "#banque"
    return f"{reverse('accounts:reauth')}?{urlencode({'next': back})}"


@sensitive_post_parameters("iban", "bic")
@employer_required
@require_POST
def bank_details(request: HttpRequest, pk: int) -> HttpResponse:
    account = _account(request)
    establishment = access.establishment_for(account, pk)
    form = BankDetailsForm(request.POST)
    if not form.is_valid():
        return _fiche_page(request, establishment, bank_form=form, status=400)
    if establishment.main_contact_id == account.pk and not has_recent_auth(request):
        # The window of the recent authentication ended while the form was open.
        messages.error(request, RECENT_AUTH_NEEDED)
        return redirect(_bank_reauth_url(establishment))
    try:
        changed = change_bank_details(
            establishment=establishment,
            iban=form.cleaned_data["iban"],
            bic=form.cleaned_data["bic"],
            account_holder=form.cleaned_data["account_holder"],
            actor=account,
            recently_authenticated=has_recent_auth(request),
            request=request,
        )
    except FicheError as refused:
        messages.error(request, refused.message)
        return redirect(
            reverse("establishments:fiche", kwargs={"pk": establishment.pk}) + "#banque"
        )
    messages.success(
        request,
        "Les coordonnées bancaires ont été enregistrées. Les membres de l'établissement et son "
        "adresse de courriel en sont informés."
        if changed
        else "Les coordonnées bancaires sont inchangées.",
    )
    return redirect(reverse("establishments:fiche", kwargs={"pk": establishment.pk}) + "#banque")


@employer_required
@require_POST
def sirene_refresh(request: HttpRequest, pk: int) -> HttpResponse:
    """« Actualiser depuis SIRENE »."""
    account = _account(request)
    establishment = access.establishment_for(account, pk)
    try:
        changed = refresh_from_sirene(establishment=establishment, actor=account, request=request)
    except FicheError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request,
            "L'identité de l'établissement a été actualisée depuis le répertoire SIRENE."
            if changed
            else "L'identité de l'établissement est déjà à jour du répertoire SIRENE.",
        )
    return redirect("establishments:fiche", pk=establishment.pk)


# -- Colleagues ---------------------------------------------------------------------------------
def _colleagues_page(
    request: HttpRequest,
    establishment: Establishment,
    *,
    invite_form: InviteForm | None = None,
    status: int = 200,
) -> HttpResponse:
    account = _account(request)
    members = list(access.members_of(establishment))
    return render(
        request,
        "establishments/colleagues.html",
        {
            "establishment": establishment,
            "members": members,
            "invitations": access.pending_invitations(establishment),
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
def colleagues(request: HttpRequest, pk: int) -> HttpResponse:
    """Who has access to the establishment; the main contact invites a colleague here."""
    account = _account(request)
    establishment = access.establishment_for(account, pk)
    if request.method != "POST":
        return _colleagues_page(request, establishment)
    if not has_recent_auth(request):  # inviting gives access to the establishment
        return redirect(reauth_url(request, _back_to_colleagues(request, establishment.pk)))
    form = InviteForm(request.POST)
    if not form.is_valid():
        return _colleagues_page(request, establishment, invite_form=form, status=400)
    try:
        invite_colleague(
            establishment=establishment,
            email=form.cleaned_data["email"],
            actor=account,
            request=request,
        )
    except MembershipError as refused:
        form.add_error("email", refused.message)
        return _colleagues_page(request, establishment, invite_form=form, status=400)
    messages.success(request, f"Une invitation a été envoyée à {form.cleaned_data['email']}.")
    return redirect("establishments:colleagues", pk=establishment.pk)


def _member(establishment: Establishment, account_pk: Any) -> Account:
    member = access.members_of(establishment).filter(pk=account_pk).first()
    if member is None:
        raise Http404("membre inconnu")
    return member


@employer_required
@require_POST
def colleague_remove(request: HttpRequest, pk: int, account_pk: int) -> HttpResponse:
    account = _account(request)
    establishment = access.establishment_for(account, pk)
    colleague = _member(establishment, account_pk)
    try:
        remove_colleague(
            establishment=establishment, colleague=colleague, actor=account, request=request
        )
    except MembershipError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, f"{colleague.full_name} n'a plus accès à cet établissement.")
    return redirect("establishments:colleagues", pk=establishment.pk)


def _back_to_colleagues(request: HttpRequest, pk: int, **_: Any) -> str:
    return reverse("establishments:colleagues", kwargs={"pk": pk})


@employer_required
@require_POST
@recent_auth_required(return_to=_back_to_colleagues)
def main_contact(request: HttpRequest, pk: int, account_pk: int) -> HttpResponse:
    account = _account(request)
    establishment = access.establishment_for(account, pk)
    colleague = _member(establishment, account_pk)
    try:
        hand_over_main_contact(
            establishment=establishment, new_main_contact=colleague, actor=account, request=request
        )
    except MembershipError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request, f"{colleague.full_name} est désormais le contact principal de l'établissement."
        )
    return redirect("establishments:colleagues", pk=establishment.pk)


@employer_required
@require_POST
def invitation_cancel(request: HttpRequest, pk: int, invitation_pk: int) -> HttpResponse:
    account = _account(request)
    establishment = access.establishment_for(account, pk)
    invitation = get_object_or_404(
        Invitation, pk=invitation_pk, establishment=establishment, status=Invitation.Status.PENDING
    )
    try:
        cancel_invitation(invitation=invitation, actor=account, request=request)
    except MembershipError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, f"L'invitation de {invitation.email} est annulée.")
    return redirect("establishments:colleagues", pk=establishment.pk)


# -- The invitee's side ---------------------------------------------------------------------------
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
            accept_invitation(invitation=found, account=user, request=request)
        except MembershipError as refused:
            messages.error(request, refused.message)
            return render(
                request, "establishments/invitation.html", {"invitation": found}, status=400
            )
        current.choose(request, found.establishment)
        messages.success(
            request,
            f"Vous avez accès à l'établissement {found.establishment.denomination}."
            if access.is_member(user, found.establishment)
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
                request=request,
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


# -- Another SIRET while logged in ----------------------------------------------------------------
def _throttled(account: Account) -> str | None:
    verdict = ratelimit.hit(
        f"space:add-siret:{account.pk}",
        limit=settings.APART_ADD_SIRET_PER_HOUR,
        window=timedelta(hours=1),
    )
    if verdict.allowed:
        return None
    return "Trop de demandes en une heure. Veuillez réessayer plus tard."


@employer_required
@require_http_methods(["GET", "HEAD", "POST"])
def add_siret(request: HttpRequest) -> HttpResponse:
    """« DEMANDE CRÉATION DE COMPTE », step 1: the SIRET, with registration's step-1 controls."""
    if request.method != "POST":
        return render(request, "establishments/add_siret.html", {"form": SiretForm()})
    form = SiretForm(request.POST)
    refusal = _throttled(_account(request))
    if refusal:
        form.add_error(None, refusal)
        return render(request, "establishments/add_siret.html", {"form": form}, status=429)
    if form.is_valid():
        siret = form.cleaned_data["siret"]
        eligibility = siret_eligibility(siret)
        if eligibility.eligible:
            request.session[_ADD_SESSION_KEY] = siret
            return redirect("establishments:add_details")
        form.add_error("siret", eligibility.refusal or "")
    return render(request, "establishments/add_siret.html", {"form": form}, status=400)


@employer_required
@require_http_methods(["GET", "HEAD", "POST"])
def add_details(request: HttpRequest) -> HttpResponse:
    """Step 2: "Information établissement" (SIRENE's values greyed), then the establishment is
    attached to the person's habilitation."""
    siret = request.session.get(_ADD_SESSION_KEY)
    if not isinstance(siret, str):
        return redirect("establishments:add_siret")
    eligibility = siret_eligibility(siret)
    if not eligibility.eligible or eligibility.lookup is None:
        request.session.pop(_ADD_SESSION_KEY, None)
        messages.error(request, eligibility.refusal or "Ce numéro de Siret est inconnu.")
        return redirect("establishments:add_siret")
    sirene = sirene_prefill(eligibility.lookup)
    if request.method != "POST":
        form = EstablishmentDetailsForm(sirene=sirene, known_cities=known_cities)
        return render(request, "establishments/add_details.html", {"form": form})
    form = EstablishmentDetailsForm(request.POST, sirene=sirene, known_cities=known_cities)
    if not form.ready():
        return render(request, "establishments/add_details.html", {"form": form}, status=400)
    account = _account(request)
    try:
        establishment = add_establishment(
            account=account,
            siret=siret,
            details=form.details(),
            request=request,
        )
    except MembershipError as refused:
        request.session.pop(_ADD_SESSION_KEY, None)
        messages.error(request, refused.message)
        return redirect("establishments:add_siret")
    request.session.pop(_ADD_SESSION_KEY, None)
    messages.info(
        request,
        f"Votre demande de rattachement de l'établissement {establishment.denomination} a bien "
        "été transmise. Il sera accessible lorsqu'un agent l'aura validée ; un courriel vous "
        "informera de sa décision.",
    )
    return redirect("establishments:list")
