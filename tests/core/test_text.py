"""Typed text is normalised and refused with a French message when it cannot be real text; no
form answers 500 to Unicode of any category."""

import importlib
import unicodedata

import pytest
from django import forms
from django.test import Client
from hypothesis import given, settings

from apart.accounts.models import Account
from apart.core.forms import CleanTextMixin
from apart.core.text import INVISIBLE, LONE_MARK, UNREADABLE, text_problem
from tests.accounts.factories import STRONG_PASSWORD, make_active_account
from tests.hardening.hostile import unicode_oddities

COMBINING_ACUTE = "\u0301"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (COMBINING_ACUTE, LONE_MARK),
        (COMBINING_ACUTE * 3, LONE_MARK),
        ("Rex " + COMBINING_ACUTE, LONE_MARK),
        ("\u200b", INVISIBLE),  # zero width space
        ("Rex\u202e", INVISIBLE),  # right-to-left override
        ("\u2066Rex\u2069", INVISIBLE),  # bidi isolates
        ("\ufeffRex", INVISIBLE),  # byte order mark
        ("Rex\u00ad", INVISIBLE),  # soft hyphen
        ("Rex\x00", INVISIBLE),
        ("Rex\x1b[31m", INVISIBLE),
        ("Rex\tChien", INVISIBLE),
        ("Rex\ufffd", UNREADABLE),  # what is left of bytes that were not UTF-8
        ("Rex\ue000", UNREADABLE),  # private use
        ("Rex\ufdd0", UNREADABLE),  # noncharacter
        ("Rex\U000e0001", INVISIBLE),  # language tag (Cf)
        ("Rex\u0378", UNREADABLE),  # unassigned
    ],
)
def test_text_that_cannot_be_real_is_refused_with_its_reason(value, message):
    assert text_problem(value) == message


@pytest.mark.parametrize(
    "value",
    [
        "Rex",
        "Cylindrée",
        "Ménuça",
        "e\u0301cole",
        "名前 اسم שם",
        "👩\u200d👩\u200d👧",
        "1 200 €",
        "",
    ],
)
def test_real_text_passes(value):
    assert text_problem(value) is None


def test_line_breaks_and_tabs_are_text_in_a_multiline_field():
    assert text_problem("Ligne 1\r\nLigne 2\tfin", multiline=True) is None


class _Sample(CleanTextMixin, forms.Form):
    name = forms.CharField()
    secret = forms.CharField(widget=forms.PasswordInput)


def test_a_decomposed_accent_is_stored_composed():
    form = _Sample({"name": "e\u0301cole", "secret": "x"})

    assert form.is_valid()
    assert form.cleaned_data["name"] == "\u00e9cole"


def test_passwords_are_neither_normalised_nor_checked_by_the_mixin():
    form = _Sample({"name": "Rex", "secret": "e\u0301"})

    assert form.is_valid()
    assert form.cleaned_data["secret"] == "e\u0301"


def test_the_error_stays_next_to_its_field():
    form = _Sample({"name": "Rex\u202e", "secret": "x"})

    assert not form.is_valid()
    assert form.errors["name"] == [INVISIBLE]


@settings(max_examples=300, deadline=None, derandomize=True)
@given(unicode_oddities())
def test_no_oddity_breaks_the_check_or_passes_a_lone_mark(value):
    problem = text_problem(value)
    if problem is None:
        normalized = unicodedata.normalize("NFC", value)
        assert not normalized[:1] or not unicodedata.category(normalized[0]).startswith("M")


def _all_form_classes() -> set[type]:
    """Every form class of the site: each ``forms`` module of every app is imported first, so a
    form added tomorrow is found without touching this list."""
    import pkgutil

    import apart

    for module in pkgutil.walk_packages(apart.__path__, "apart."):
        if module.name.rsplit(".", 1)[-1] == "forms":
            importlib.import_module(module.name)
    found: set[type] = set()
    pending = list(forms.Form.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.startswith("apart.") and not cls.__name__.startswith("_"):
            if cls.__name__.endswith("Mixin"):
                continue
            found.add(cls)
    return found


def test_every_form_of_the_site_cleans_its_text():
    forms_found = _all_form_classes()

    assert len(forms_found) >= 20
    assert sorted(c.__qualname__ for c in forms_found if not issubclass(c, CleanTextMixin)) == []


# --- The two secret question forms that answered 500 to an accent alone ------------------------


@pytest.mark.django_db
def test_an_accent_alone_as_secret_answer_is_refused_at_first_login(client, settings):
    settings.APART_LOGIN_CHECKS = []  # the habilitation gate has its own tests
    account = make_active_account()
    account.secret_question, account.secret_answer_hash = "", ""
    account.save()
    client.force_login(account)
    client.get("/question-secrete/")

    response = client.post("/question-secrete/", {"question": "Mon chien ?", "answer": "\u0301"})

    assert response.status_code == 200
    assert "Ce champ doit contenir au moins une lettre ou un chiffre." in response.content.decode()
    assert Account.objects.get(pk=account.pk).secret_answer_hash == ""


@pytest.mark.django_db
def test_an_accent_alone_as_secret_answer_is_refused_in_my_account(client):
    from tests.space.factories import employer_with_establishments, log_in

    account = employer_with_establishments(1)
    log_in(client, account)
    client.get("/espace/mon-compte/")

    response = client.post(
        "/espace/mon-compte/question-secrete/",
        {"password": STRONG_PASSWORD, "secret_question": "Mon chien ?", "secret_answer": "\u0301"},
    )

    assert response.status_code < 500
    assert Account.objects.get(pk=account.pk).secret_question == "cylindrée"


def test_a_client_sending_bytes_that_are_not_utf8_gets_a_french_refusal(db):
    client = Client()
    client.get("/mot-de-passe-oublie/")

    response = client.post(
        "/mot-de-passe-oublie/",
        b"login=%ED%A0%80&captcha_0=x&captcha_1=PASSED-TEST",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert UNREADABLE in response.content.decode().replace("&#x27;", "'")
