import string

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from apart.accounts.models import Account
from apart.accounts.passwords import (
    generate_temporary_password,
    policy_rules,
    policy_sentence,
)

LOOK_ALIKES = set("0Oo1lIi|5S2Z8B'\"`,.;:")


def errors_for(password: str, login: str = "ilmen.foplus") -> list[str]:
    try:
        validate_password(password, Account(login=login))
    except ValidationError as exc:
        return list(exc.messages)
    return []


def test_a_password_following_every_rule_is_accepted():
    assert errors_for("Bon-Mot2passe") == []


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Aa1!aaa", "Votre mot de passe doit comporter au moins 8 caractères"),
        ("bon-mot2passe", "Votre mot de passe n'a pas assez de majuscules"),
        ("BON-MOT2PASSE", "Votre mot de passe n'a pas assez de minuscules"),
        ("Bon-Motdepasse", "Votre mot de passe n'a pas assez de chiffres"),
        ("BonMot2passe", "Votre mot de passe n'a pas assez de caractères spéciaux"),
        ("Bon-Mot2passé", "Les caractères accentués ne sont pas autorisés"),
        ("Ilmen.Foplus1", None),
    ],
)
def test_each_failed_rule_has_its_own_message(password, message):
    errors = errors_for(password)

    if message is None:
        assert errors == []
    else:
        assert errors == [message]


def test_the_password_cannot_be_the_login():
    assert errors_for("Ilmen.Foplus1", login="ilmen.foplus1") == [
        "Votre nouveau mot de passe ne doit pas être identique à votre identifiant"
    ]


def test_a_common_password_is_refused():
    assert "Ce mot de passe est trop courant" in errors_for("Password1!")


def test_several_failed_rules_give_several_messages():
    assert len(errors_for("qzx")) == 4


@pytest.mark.parametrize("special", list(string.punctuation))
def test_every_listed_special_character_counts(special):
    assert errors_for(f"BonMot2passe{special}") == []


def test_control_characters_are_refused_with_a_clear_message():
    errors = errors_for("Bon-Mot2passe\x00")

    assert len(errors) == 1
    assert errors[0].startswith("Votre mot de passe contient un caractère non autorisé")


def test_the_limits_come_from_the_settings(settings):
    settings.AUTH_PASSWORD_VALIDATORS = [
        {
            "NAME": "apart.accounts.passwords.PasswordPolicyValidator",
            "OPTIONS": {"min_length": 12, "min_digits": 2},
        }
    ]

    assert errors_for("Bon-Motpasse1") == ["Votre mot de passe n'a pas assez de chiffres"]
    assert "Nombre minimum de caractères : 12" in policy_rules()
    assert "comporter 12 caractères minimum dont 2 chiffre" in policy_sentence()


def test_the_policy_sentence_is_the_guides():
    assert policy_sentence() == (
        "Le mot de passe doit être différent de l'identifiant et comporter 8 caractères minimum "
        "dont 1 chiffre et 1 caractère spécial minimum (exemples: „?!:;%#). Les caractères "
        "accentués ne sont pas autorisés."
    )


def test_the_policy_list_is_the_guides():
    assert policy_rules() == [
        "Nombre minimum de caractères : 8",
        "Nombre minimum de minuscules : 1",
        "Nombre minimum de majuscules : 1",
        "Nombre minimum de chiffres : 1",
        "Nombre minimum de caractères spéciaux : 1",
        "Votre nouveau mot de passe ne doit pas être identique à votre identifiant",
    ]


def test_temporary_passwords_follow_the_policy_without_look_alikes():
    passwords = {generate_temporary_password(Account(login="ilmen.foplus")) for _ in range(200)}

    assert len(passwords) == 200
    for password in passwords:
        assert errors_for(password) == []
        assert not LOOK_ALIKES & set(password)
