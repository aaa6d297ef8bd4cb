"""Login, logout, first-login password change and the temporary landing page of the space."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.module_loading import import_string
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from apart.accounts import freezing, services, timeout
from apart.accounts import reauth as reauth_module
from apart.accounts.authentication import attempt_login, log_out, verify_password
from apart.accounts.forms import LoginForm, PasswordChangeForm, ReauthForm, SecretQuestionForm
from apart.accounts.middleware import password_change_not_required
from apart.accounts.models import Account
from apart.accounts.passwords import policy_sentence
from apart.accounts.requests import AuthenticatedRequest, current_account
from apart.accounts.sessions import forget_session
from apart.audit.context import AuditContext
from apart.core import ratelimit

CHANGE_DONE = "Votre mot de passe a été changé. Connectez-vous avec votre nouveau mot de passe."
LOGGED_OUT = "Vous êtes déconnecté."
TOO_MANY_CHANGES = "Trop de tentatives. Veuillez vous reconnecter."
SECRET_QUESTION_SET = "Votre question secrète a été enregistrée."  # noqa: S105 (a message)
# Far more than a person extending by hand needs (one warning per idle delay, a few tabs).
EXTEND_LIMIT = 30
EXTEND_WINDOW = timedelta(hours=1)


def landing_url(user: object) -> str:
    """Employers land on their space (LOGIN_REDIRECT_URL), agents on the back office."""
    if isinstance(user, Account) and user.is_agent:
        try:
            return reverse("backoffice:home")
        except NoReverseMatch:
            pass
    return str(settings.LOGIN_REDIRECT_URL)


def _safe_next(request: HttpRequest, candidate: str | None, user: object) -> str:
    # Only a path of this site: redirect() would take anything else for a view name.
    if (
        candidate
        and candidate.startswith("/")
        and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return candidate
    return landing_url(user)


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@password_change_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    """« MON ESPACE PERSONNEL » on its own page (the home page shows the same box)."""
    if request.method != "POST":
        if request.user.is_authenticated:
            return HttpResponseRedirect(_safe_next(request, request.GET.get("next"), request.user))
        form = LoginForm(initial={"next": request.GET.get("next", "")[:2000]})
        return render(request, "accounts/login.html", {"form": form, "temporary_expired": False})

    form = LoginForm(request.POST)
    if form.is_valid():
        outcome = attempt_login(
            request=request,
            login_typed=form.cleaned_data["login"],
            password=form.cleaned_data["password"],
        )
        if outcome.second_step_url:
            next_url = form.cleaned_data["next"]
            query = f"?{urlencode({'next': next_url})}" if next_url else ""
            return HttpResponseRedirect(f"{outcome.second_step_url}{query}")
        if outcome.account is not None:
            if outcome.account.must_change_password:
                return redirect("accounts:password_change")
            return HttpResponseRedirect(
                _safe_next(request, form.cleaned_data["next"], outcome.account)
            )
        form.add_error(None, outcome.error)
        context = {"form": form, "temporary_expired": outcome.temporary_expired}
    else:
        context = {"form": form, "temporary_expired": False}
    # Always 200, locked or not: the page is the same form with its message (a 429 would tell a
    # script apart from a person's browser nothing it does not already read in the message).
    return render(request, "accounts/login.html", context)


@password_change_not_required
@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    """« DÉCONNEXION »: POST only (with its CSRF token), from every page."""
    # Asked before the session ends: it holds what the identity provider needs (ID token).
    provider_logout = next(
        (url for path in settings.APART_LOGOUT_REDIRECTS if (url := import_string(path)(request))),
        None,
    )
    log_out(request)
    messages.success(request, LOGGED_OUT)
    if provider_logout:
        return HttpResponseRedirect(provider_logout)
    return redirect("core:home")


@sensitive_post_parameters("old_password", "new_password", "confirmation")
@never_cache
@password_change_not_required
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def password_change(request: AuthenticatedRequest) -> HttpResponse:
    """« Changement du mot de passe pour <login> »; on success every session ends and the
    person logs in again with the new password (guide, « Première connexion », steps 2-3)."""
    account = current_account(request)
    if request.method == "POST":
        attempts = ratelimit.hit(
            f"password-change:{account.pk}",
            limit=settings.APART_LOGIN_MAX_FAILURES,
            window=timedelta(seconds=settings.APART_LOGIN_FAILURE_WINDOW_SECONDS),
        )
        if not attempts.allowed:
            log_out(request)
            messages.error(request, TOO_MANY_CHANGES)
            return redirect("accounts:login")
        form = PasswordChangeForm(request.POST, account=account)
        if form.is_valid():
            services.change_password(
                account=account,
                new_password=form.cleaned_data["new_password"],
                keep_session_key=request.session.session_key,
                audit=AuditContext.from_request(request),
            )
            ratelimit.reset(f"password-change:{account.pk}")
            forget_session(request.session.session_key)
            logout(request)
            messages.success(request, CHANGE_DONE)
            return redirect("core:home")
    else:
        form = PasswordChangeForm(account=account)
    return render(
        request,
        "accounts/password_change.html",
        {"form": form, "policy_sentence": policy_sentence()},
    )


@sensitive_post_parameters("answer")
@never_cache
@password_change_not_required
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def secret_question_setup(request: AuthenticatedRequest) -> HttpResponse:
    """Choose a new secret question: the recovery of a forgotten password or login needs one."""
    account = current_account(request)
    if account.secret_question and not reauth_module.has_recent_auth(request):
        # Replacing an existing question is a sensitive change (recovery relies on it).
        return redirect(
            reauth_module.reauth_url(request, reverse("accounts:secret_question_setup"))
        )
    if request.method == "POST":
        form = SecretQuestionForm(request.POST)
        if form.is_valid():
            services.set_secret_question(
                account=account,
                question=form.cleaned_data["question"],
                answer=form.cleaned_data["answer"],
                audit=AuditContext.from_request(request),
            )
            messages.success(request, SECRET_QUESTION_SET)
            return redirect(landing_url(account))
    else:
        form = SecretQuestionForm()
    return render(request, "accounts/secret_question_setup.html", {"form": form})


def _reauth_second_step() -> Any:
    """The second factor's step of the recent authentication (settings.APART_REAUTH_SECOND_STEP:
    an object with needed(account) and begin(request, account, next_path) -> URL), or None."""
    dotted_path = getattr(settings, "APART_REAUTH_SECOND_STEP", "")
    return import_string(dotted_path) if dotted_path else None


@sensitive_post_parameters("password")
@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def reauth(request: AuthenticatedRequest) -> HttpResponse:
    """« Mot de passe actuel »: proves the password again before a sensitive change (window:
    APART_RECENT_AUTH_SECONDS). Failures count in the login's lockout; a lock ends the session
    at its next request (apart.accounts.middleware.AccountStateMiddleware)."""
    account = current_account(request)
    if request.method == "POST":
        form = ReauthForm(request.POST)
        if form.is_valid():
            second_step = _reauth_second_step()
            factor_follows = second_step is not None and second_step.needed(account)
            check = verify_password(
                request=request,
                account=account,
                password=form.cleaned_data["password"],
                factor_follows=factor_follows,
            )
            target = reauth_module.safe_next(request, form.cleaned_data["next"])
            if check.ok and second_step is not None and factor_follows:
                # An account with a second factor proves it too (apart.mfa.reauth).
                return redirect(second_step.begin(request, account, target or ""))
            if check.ok:
                reauth_module.mark_recent_auth(request)
                return HttpResponseRedirect(target or landing_url(account))
            if check.locked:
                log_out(request)
                messages.error(request, check.error)
                return redirect("accounts:login")
            form.add_error("password", check.error)
    else:
        form = ReauthForm(initial={"next": request.GET.get("next", "")[:2000]})
    next_path = reauth_module.safe_next(request, form["next"].value())
    return render(
        request,
        "accounts/reauth.html",
        {
            "form": form,
            "minutes": settings.APART_RECENT_AUTH_SECONDS // 60,
            "cancel_url": next_path or landing_url(account),
        },
    )


@never_cache
@password_change_not_required
@require_POST
def session_extend(request: HttpRequest) -> HttpResponse:
    """« Prolonger ma session » (RGAA 13.1): POST with the CSRF token, logged-in only; the idle
    delay starts again. Answers the new deadline, as JSON for the page's script: the seconds
    now left (``left``, immune to the browser's clock) and the moment (``expires_at``). An
    expired session never gets here (the timeout middleware ends it first)."""
    account = request.user
    if not isinstance(account, Account) or not account.is_authenticated:
        return JsonResponse({"error": "not_authenticated"}, status=403)
    attempts = ratelimit.hit(
        f"session-extend:{account.pk}", limit=EXTEND_LIMIT, window=EXTEND_WINDOW
    )
    if not attempts.allowed:
        return JsonResponse(
            {"error": "too_many", "left": timeout.seconds_left(request.session)}, status=429
        )
    left = timeout.extend_session(
        session=request.session, account=account, audit=AuditContext.from_request(request)
    )
    deadline = timezone.now() + timedelta(seconds=left)
    return JsonResponse({"left": left, "expires_at": deadline.isoformat(timespec="seconds")})


@never_cache
@password_change_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def not_me(request: HttpRequest, token: str) -> HttpResponse:
    """« Ce n'était pas moi ? »: anonymous; GET only shows a confirmation (mail scanners follow
    links), the POST freezes the account. Says nothing of the account either way."""
    if len(token) > 100 or freezing.usable_not_me_link(token) is None:
        return render(request, "accounts/not_me.html", {"state": "invalid"}, status=404)
    if request.method != "POST":
        return render(request, "accounts/not_me.html", {"state": "confirm"})
    try:
        freezing.use_not_me_link(raw_token=token, audit=AuditContext.from_request(request))
    except freezing.NotMeLinkInvalidError:
        return render(request, "accounts/not_me.html", {"state": "invalid"}, status=404)
    if request.user.is_authenticated:
        logout(request)
    return render(request, "accounts/not_me.html", {"state": "done"})
