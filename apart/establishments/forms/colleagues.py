"""Invitations of colleagues: the invitation, and the invitee's account."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apart.core.forms import DecoratedForm
from apart.core.forms import validators as v
from apart.core.forms.fields import TextField


class InviteForm(DecoratedForm):
    email = TextField(
        label=_("Courriel du collègue"),
        max_length=254,
        error_messages={"required": _("Veuillez saisir le courriel de votre collègue.")},
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_email(self) -> str:
        return v.clean_email_address(self.cleaned_data["email"])[0]


class NewColleagueForm(DecoratedForm):
    """The invitee without an account: "Compte utilisateur à créer" (the email is the one the
    invitation was sent to, so it is neither typed nor confirmed)."""

    last_name = TextField(label=_("Nom"), max_length=100, check=v.validate_person_name)
    first_name = TextField(label=_("Prénom"), max_length=100, check=v.validate_person_name)
    phone = TextField(
        label=_("Téléphone"), max_length=25, widget=forms.TextInput(attrs={"type": "tel"})
    )
    secret_question = TextField(
        label=_("Question secrète"), max_length=200, check=v.validate_free_text
    )
    secret_answer = TextField(
        label=_("Réponse"),
        max_length=100,
        check=v.reject_control_characters,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def clean_phone(self) -> str:
        return v.clean_any_phone(self.cleaned_data["phone"], postal_code="")
