"""The holder's side: ask for the renewal of the APART habilitation (from the space)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from apart.accounts.requests import current_account
from apart.audit.context import AuditContext
from apart.habilitations.services import HabilitationError, request_renewal

RENEWAL_REQUESTED = (
    "Votre demande de renouvellement a bien été transmise, un courriel vous sera prochainement "
    "envoyé, lorsque votre demande aura été traitée."
)


@require_POST
@login_required
def renew(request: HttpRequest) -> HttpResponse:
    try:
        request_renewal(account=current_account(request), audit=AuditContext.from_request(request))
    except HabilitationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, RENEWAL_REQUESTED)
    return redirect("space:dashboard")
