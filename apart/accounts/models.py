"""The person's ASP account, shared by APART and the ASP's sibling extranets."""

from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class AccountManager(UserManager["Account"]):
    def get_by_natural_key(self, username: str | None) -> "Account":
        return self.get(login=username)


class Account(AbstractBaseUser, PermissionsMixin):
    """One person = one ASP account (identifiant), whatever the extranets it is habilitated to."""

    class Role(models.TextChoices):
        EMPLOYER = "employeur", _("Employeur")
        INSTRUCTOR = "instructeur", _("Instructeur")
        ASSISTANCE = "assistance", _("Assistance")
        ADMINISTRATOR = "administrateur", _("Administrateur")

    login = models.CharField("identifiant", max_length=150, unique=True)
    last_name = models.CharField("nom", max_length=100)
    first_name = models.CharField("prénom", max_length=100)
    phone = models.CharField("téléphone", max_length=32, blank=True)
    email = models.EmailField("courriel", max_length=254)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.EMPLOYER)
    secret_question = models.CharField("question secrète", max_length=200, blank=True)
    secret_answer_hash = models.CharField(max_length=256, blank=True)
    must_change_password = models.BooleanField(default=False)
    temporary_password_expires_at = models.DateTimeField(null=True, blank=True)
    # A temporary password opens one session only ("valid 30 days or until first use").
    temporary_password_used_at = models.DateTimeField(null=True, blank=True)
    password_changed_at = models.DateTimeField(null=True, blank=True)
    last_login_ip = models.GenericIPAddressField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    # Frozen by its holder (« Ce n'était pas moi ? ») or an agent: no login, no session, until
    # the helpdesk lifts it (apart.accounts.freezing).
    frozen_at = models.DateTimeField("bloqué le", null=True, blank=True)
    frozen_reason = models.CharField("motif du blocage", max_length=200, blank=True)
    is_staff = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AccountManager()

    USERNAME_FIELD = "login"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["email"]

    class Meta:
        verbose_name = "compte"
        constraints = [
            models.UniqueConstraint(Lower("email"), name="account_email_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.login

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_agent(self) -> bool:
        return self.role != self.Role.EMPLOYER

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None


class AccountSession(models.Model):
    """One open session of an account, written at login, so that every session of an account
    can be ended at once (apart.accounts.sessions.end_sessions), whatever the session engine
    (database, cache or cached_db): Django itself cannot list the sessions of a user."""

    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="open_sessions", verbose_name="compte"
    )
    session_key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "session ouverte"
        verbose_name_plural = "sessions ouvertes"

    def __str__(self) -> str:
        return f"session {self.pk} de {self.account_id}"


class NotMeLink(models.Model):
    """The « Ce n'était pas moi ? » link of one email announcing a sensitive change.

    Only the SHA-256 of the token is stored (the token exists only in the email). Usable once,
    until ``expires_at``; using it freezes the account (apart.accounts.freezing)."""

    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="not_me_links", verbose_name="compte"
    )
    token_hash = models.CharField("empreinte du jeton", max_length=64, unique=True)
    change = models.CharField("modification signalée", max_length=200)
    recipient = models.EmailField("destinataire", max_length=254)
    created_at = models.DateTimeField("émis le")
    expires_at = models.DateTimeField("expire le")
    used_at = models.DateTimeField("utilisé le", null=True, blank=True)

    class Meta:
        verbose_name = "lien « Ce n'était pas moi ? »"
        verbose_name_plural = "liens « Ce n'était pas moi ? »"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")),
                name="not_me_link_expires_after_issue",
            ),
        ]

    def __str__(self) -> str:
        return f"lien {self.pk} de {self.account_id}"
