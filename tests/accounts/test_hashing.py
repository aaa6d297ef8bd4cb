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


# The hash is computed by libsodium; any Argon2 implementation must read it, and it must read
# the hashes Django's own Argon2 hasher (argon2-cffi) wrote before.


def test_a_hash_of_ours_is_the_standard_argon2id_string_argon2_cffi_verifies():
    from argon2 import PasswordHasher
    from argon2.exceptions import VerifyMismatchError

    encoded = get_hasher().encode("Correct-Cheval9", get_hasher().salt())
    phc = encoded.removeprefix("argon2")

    assert phc.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert PasswordHasher().verify(phc, "Correct-Cheval9") is True
    with pytest.raises(VerifyMismatchError):
        PasswordHasher().verify(phc, "Correct-Cheval8")


def test_hashes_written_by_djangos_argon2_hasher_still_verify():
    from django.contrib.auth.hashers import Argon2PasswordHasher

    legacy = Argon2PasswordHasher()  # argon2-cffi, Django's defaults (m=100 MiB, p=8)
    encoded = legacy.encode("Ancien-Secret7", legacy.salt())

    assert get_hasher().verify("Ancien-Secret7", encoded) is True
    assert get_hasher().verify("Ancien-Secret8", encoded) is False
    assert get_hasher().must_update(encoded) is True  # rehashed at OWASP's minimum at next login


def test_other_argon2_varieties_go_through_argon2_cffi():
    from argon2 import low_level

    argon2i = low_level.hash_secret(
        b"Vieux-Secret5",
        b"saltsaltsaltsalt",
        time_cost=2,
        memory_cost=19456,
        parallelism=1,
        hash_len=32,
        type=low_level.Type.I,
    ).decode()

    assert get_hasher().verify("Vieux-Secret5", "argon2" + argon2i) is True
    assert get_hasher().verify("Vieux-Secret6", "argon2" + argon2i) is False


def test_encoding_is_a_function_of_password_and_salt_and_the_salt_is_not_reused():
    hasher = get_hasher()

    assert hasher.encode("Un-Secret42", "abcdefghijklmnopqrstuv") == hasher.encode(
        "Un-Secret42", "abcdefghijklmnopqrstuv"
    )
    first, second = (hasher.encode("Un-Secret42", hasher.salt()) for _ in range(2))
    assert first != second
    assert hasher.decode(first)["salt"] != hasher.decode(second)["salt"]
    assert hasher.must_update(first) is False


def test_a_hash_of_another_algorithm_or_a_damaged_hash_is_refused():
    hasher = get_hasher()
    encoded = hasher.encode("Un-Secret42", hasher.salt())

    assert hasher.verify("Un-Secret42", "pbkdf2" + encoded.removeprefix("argon2")) is False
    assert hasher.verify("Un-Secret42", encoded[:-4] + "AAAA") is False


def test_stored_hashes_are_verified_by_our_hasher():
    # Django picks the verifying hasher by the algorithm name of the stored hash, the last one of
    # PASSWORD_HASHERS with that name: a second "argon2" hasher after ours would silently verify
    # every login with argon2-cffi.
    from django.contrib.auth.hashers import Argon2PasswordHasher, identify_hasher

    from apart.accounts.hashers import OwaspArgon2PasswordHasher

    ours = make_active_account().password
    legacy = Argon2PasswordHasher().encode("Ancien-Secret7", "abcdefghijklmnopqrstuv")

    assert type(identify_hasher(ours)) is OwaspArgon2PasswordHasher
    assert type(identify_hasher(legacy)) is OwaspArgon2PasswordHasher
