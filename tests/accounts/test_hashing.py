import pytest
from django.contrib.auth.hashers import get_hasher

from tests.accounts import counting_hasher
from tests.accounts.factories import make_active_account
from tests.accounts.helpers import submit_login

pytestmark = pytest.mark.django_db


def test_passwords_are_hashed_with_argon2id_at_owasp_minimum_or_more():
    account = make_active_account()

    algorithm, variety, _version, params, *_ = account.password.split("$")
    assert algorithm == "argon2"
    assert variety == "argon2id"
    settings_of = dict(item.split("=") for item in params.split(","))
    assert int(settings_of["m"]) >= 19 * 1024
    assert int(settings_of["t"]) >= 2
    assert int(settings_of["p"]) >= 1
    assert get_hasher().algorithm == "argon2"


def test_an_unknown_login_costs_one_hash_like_a_wrong_password(client, settings):
    settings.PASSWORD_HASHERS = ["tests.accounts.counting_hasher.CountingHasher"]
    make_active_account(first_name="Ilmen", last_name="Foplus")
    counting_hasher.calls.clear()

    submit_login(client, "ilmen.foplus", "Mauvais-Mot2passe")
    known = len(counting_hasher.calls)
    counting_hasher.calls.clear()
    submit_login(client, "personne.inconnue", "Mauvais-Mot2passe")
    unknown = len(counting_hasher.calls)

    assert known == unknown == 1
