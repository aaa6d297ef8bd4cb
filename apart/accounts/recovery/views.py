"""Pages of « J'ai oublié mon mot de passe » (guide, ch. 3) and « J'ai oublié mon identifiant »
(ch. 4). Each view reads the input, calls one service and redirects or renders."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from apart.accounts.passwords import policy_rules
from apart.accounts.recovery import guards, selectors, services
from apart.accounts.recovery.forms import (
    EMAIL_INSTEAD_OF_LOGIN_HELP,
    LoginForgottenForm,
    NewPasswordForm,
    PasswordForgottenForm,
    SecretAnswerForm,
)
from apart.accounts.recovery.journey import Flow, Journey
from apart.audit.context import AuditContext
from apart.core.captcha import CaptchaFormMixin, captcha_switch

TOO_MANY_REQUESTS = gettext_noop(
    "Trop de tentatives depuis votre connexion. Veuillez réessayer dans "
    "%(minutes)d minutes ou contacter l'Assistance."
)

_PAGES: dict[str, dict[str, str]] = {
    Flow.PASSWORD: {
        "start": "recovery/password_forgotten.html",
        "question": "recovery/password_question.html",
        "start_url": "accounts:password_forgotten",
        "question_url": "accounts:password_question",
        "sent_url": "accounts:password_sent",
    },
    Flow.LOGIN: {
        "start": "recovery/login_forgotten.html",
        "question": "recovery/login_question.html",
        "start_url": "accounts:login_forgotten",
        "question_url": "accounts:login_question",
        "sent_url": "accounts:login_sent",
    },
}


def _too_many(request: HttpRequest, flow: str) -> HttpResponse:
    message = gettext(TOO_MANY_REQUESTS) % {"minutes": settings.APART_RECOVERY_IP_WINDOW_MINUTES}
    template = (
        "recovery/password_refused.html" if flow == Flow.PASSWORD else "recovery/login_refused.html"
    )
    return render(request, template, {"message": message}, status=429)


def _refused(request: HttpRequest, *, flow: str, step: str, captcha: bool) -> HttpResponse | None:
    """A 429 page when the client's IP posted too much, or failed too many captchas."""
    if not guards.count_post(request, step=f"{flow}-{step}"):
        return _too_many(request, flow)
    if captcha and guards.captcha_blocked(request):
        return _too_many(request, flow)
    return None


def _count_captcha_failure(request: HttpRequest, form: Form) -> None:
    if "captcha" in form.errors:
        guards.count_captcha_failure(request)


# --- Step 1 ------------------------------------------------------------------------------------


def _start(request: HttpRequest, *, flow: str, form_class: type[CaptchaFormMixin]) -> HttpResponse:
    pages = _PAGES[flow]
    if request.method == "GET":
        return render(request, pages["start"], _start_context(form_class()))
    if captcha_switch(request.POST):
        return render(request, pages["start"], _start_context(form_class(request.POST).refilled()))
    refusal = _refused(request, flow=flow, step="start", captcha=True)
    if refusal is not None:
        return refusal
    form = form_class(request.POST)
    if not form.is_valid():
        _count_captcha_failure(request, form)
        return render(request, pages["start"], _start_context(form))
    typed = form.cleaned_data["login" if flow == Flow.PASSWORD else "email"]
    journey = Journey.begin(request.session, flow=flow, typed=typed)
    audit = AuditContext.from_request(request)
    services.record_recovery_request(journey=journey, audit=audit)
    if settings.APART_RECOVERY_SECRET_QUESTION:
        return redirect(pages["question_url"])
    services.send_recovery_email(journey=journey, audit=audit)
    Journey.end(request.session)
    return redirect(pages["sent_url"])


def _start_context(form: Form) -> dict[str, Any]:
    login_errors = form.errors.as_data().get("login", []) if form.is_bound else []
    email_typed = any(error.code == "email_instead_of_login" for error in login_errors)
    return {
        "form": form,
        "email_instead_of_login_help": EMAIL_INSTEAD_OF_LOGIN_HELP if email_typed else "",
    }


@never_cache
@require_http_methods(["GET", "POST"])
def password_forgotten(request: HttpRequest) -> HttpResponse:
    return _start(request, flow=Flow.PASSWORD, form_class=PasswordForgottenForm)


@never_cache
@require_http_methods(["GET", "POST"])
def login_forgotten(request: HttpRequest) -> HttpResponse:
    return _start(request, flow=Flow.LOGIN, form_class=LoginForgottenForm)


# --- Step 2: the secret question -----------------------------------------------------------------


def _question(request: HttpRequest, *, flow: str) -> HttpResponse:
    pages = _PAGES[flow]
    journey = Journey.load(request.session, flow=flow)
    if journey is None or not settings.APART_RECOVERY_SECRET_QUESTION:
        return redirect(pages["start_url"])
    context: dict[str, Any] = {
        "question": selectors.secret_question_for(journey),
        "locked": selectors.journey_is_locked(journey),
        "attempts_left": None,
        "lock_minutes": settings.APART_RECOVERY_LOCK_MINUTES,
    }
    if request.method == "GET" or context["locked"]:
        return render(request, pages["question"], {**context, "form": SecretAnswerForm()})
    refusal = _refused(request, flow=flow, step="answer", captcha=False)
    if refusal is not None:
        return refusal
    form = SecretAnswerForm(request.POST)
    if not form.is_valid():
        return render(request, pages["question"], {**context, "form": form})
    result = services.answer_secret_question(
        journey=journey,
        answer=form.cleaned_data["answer"],
        audit=AuditContext.from_request(request),
    )
    if result.outcome is services.AnswerOutcome.CORRECT:
        Journey.end(request.session)
        return redirect(pages["sent_url"])
    context["locked"] = result.outcome is services.AnswerOutcome.LOCKED
    context["attempts_left"] = result.attempts_left
    return render(request, pages["question"], {**context, "form": SecretAnswerForm()})


@never_cache
@require_http_methods(["GET", "POST"])
def password_question(request: HttpRequest) -> HttpResponse:
    return _question(request, flow=Flow.PASSWORD)


@never_cache
@require_http_methods(["GET", "POST"])
def login_question(request: HttpRequest) -> HttpResponse:
    return _question(request, flow=Flow.LOGIN)


# --- Step 3: « Un mail de confirmation a été envoyé » ------------------------------------------


@require_safe
def password_sent(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "recovery/password_sent.html",
        {"token_minutes": settings.APART_RECOVERY_TOKEN_MINUTES},
    )


@require_safe
def login_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "recovery/login_sent.html")


# --- The emailed link: « Vous devez indiquer votre nouveau mot de passe » -----------------------


@never_cache
@require_http_methods(["GET", "POST"])
def password_reset_link(request: HttpRequest, token: str) -> HttpResponse:
    token_hash = selectors.token_hash_from_link(token)
    reset_token = selectors.usable_token(token_hash) if token_hash else None
    if token_hash is None or reset_token is None:
        return render(request, "recovery/password_reset_invalid.html")
    account = reset_token.account
    if request.method == "GET":
        form = NewPasswordForm(account=account)
    elif captcha_switch(request.POST):
        form = NewPasswordForm(request.POST, account=account).refilled()  # type: ignore[assignment]
    else:
        refusal = _refused(request, flow=Flow.PASSWORD, step="reset", captcha=True)
        if refusal is not None:
            return refusal
        form = NewPasswordForm(request.POST, account=account)
        if form.is_valid():
            try:
                services.reset_password(
                    token_hash=token_hash,
                    password=form.cleaned_data["password1"],
                    audit=AuditContext.from_request(request),
                )
            except services.TokenInvalidError:
                return render(request, "recovery/password_reset_invalid.html")
            return redirect("accounts:password_changed")
        _count_captcha_failure(request, form)
    return render(
        request,
        "recovery/password_reset.html",
        {"form": form, "email": account.email, "rules": policy_rules()},
    )


@require_safe
def password_changed(request: HttpRequest) -> HttpResponse:
    return render(request, "recovery/password_changed.html")
