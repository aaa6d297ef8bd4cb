"""The person's ASP account, shared by APART and the ASP's sibling extranets."""

from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin, UserManager
from django.db import models
from django.db.models.functions import Lower


class AccountManager(UserManager["Account"]):
    def get_by_natural_key(self, username: str | None) -> "Account":
        return self.get(login=username)


class Account(AbstractBaseUser, PermissionsMixin):
    """One person = one ASP account (identifiant), whatever the extranets it is habilitated to."""

    class Role(models.TextChoices):
        EMPLOYER = "employeur", "Employeur"
        INSTRUCTOR = "instructeur", "Instructeur"
        ASSISTANCE = "assistance", "Assistance"
        ADMINISTRATOR = "administrateur", "Administrateur"

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
