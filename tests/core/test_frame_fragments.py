"""The page frame (head, brand, menus, footer) is rendered once per process and language: each
language gets its own, and nothing of a person or a request is ever kept in it."""

import pytest
from django.conf import settings
from django.template import Context, Template, TemplateSyntaxError

from apart.core.templatetags.frames import forget_frames, kept_frames
from tests.accounts.factories import STRONG_PASSWORD, make_active_account
from tests.accounts.helpers import submit_login

pytestmark = pytest.mark.django_db

TAGLINE_FR = "L'extranet des employeurs pour l'activité partielle"
TAGLINE_EN = "The employers' extranet for short-time work"
LICENCE_EN = "offered under the etalab-2.0 licence"


@pytest.fixture(autouse=True)
def _frames_kept(settings):
    """As in production (config.settings); the other tests render the frame every time."""
    settings.APART_KEEP_FRAMES = True
    forget_frames()
    yield
    forget_frames()


def test_the_frame_is_kept_by_the_first_page(client):
    html = client.get("/mentions-legales/").content.decode()

    assert TAGLINE_FR in html
    assert kept_frames() == [
        "frame_brand",
        "frame_end",
        "frame_footer_top",
        "frame_head",
        "frame_menu",
        "frame_skiplinks",
    ]


def test_each_language_has_its_own_frame(client):
    client.get("/")  # the French frame is kept first

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/").content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    french = client.get("/").content.decode()

    assert TAGLINE_EN in english and LICENCE_EN in english
    assert TAGLINE_FR in french
    assert TAGLINE_EN not in french and LICENCE_EN not in french


def test_the_csrf_token_and_the_nonce_stay_per_request(client):
    pages = [client.get("/mentions-legales/") for _ in range(2)]

    for response in pages:
        html = response.content.decode()
        assert f'nonce="{response.wsgi_request.csp_nonce}"' in html
    tokens = [p.content.decode().split('name="csrfmiddlewaretoken" value="')[1][:64] for p in pages]
    assert tokens[0] != tokens[1]  # the language form's token is masked anew on each page


def test_the_header_follows_the_person(client, settings):
    settings.APART_LOGIN_CHECKS = []
    client.get("/mentions-legales/")  # the frame of an anonymous visitor is kept first
    make_active_account(first_name="Ilmen", last_name="Foplus")
    submit_login(client, "ilmen.foplus", STRONG_PASSWORD)

    html = client.get("/mentions-legales/").content.decode()

    assert "ilmen.<wbr>foplus" in html  # the header's login, which may wrap after its dot
    assert 'action="/deconnexion/"' in html


def test_the_home_intro_and_the_empty_login_form_are_kept_once_per_language(client):
    client.get("/")
    client.get("/connexion/")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/connexion/").content.decode()

    kept = kept_frames()
    assert kept.count("home_intro") == 1
    assert kept.count("login_fields") == 2  # French (shared by both pages), then English
    assert 'name="password"' in english and "Password" in english


def test_a_login_form_shown_again_is_never_taken_from_the_kept_one(client):
    client.get("/connexion/")  # the empty form is kept first

    html = submit_login(client, "ilmen.foplus", "wrong").content.decode()

    assert 'value="ilmen.foplus"' in html  # the login typed, not the kept empty form
    assert 'id="erreur-connexion"' in html


def test_the_login_form_keeps_its_own_csrf_token_and_next_page(client):
    pages = [client.get("/connexion/?next=/espace/etablissements/") for _ in range(2)]

    tokens = []
    for response in pages:
        html = response.content.decode()
        tokens.append(html.split('name="csrfmiddlewaretoken" value="')[1][:64])
        assert 'name="next" value="/espace/etablissements/"' in html
    assert tokens[0] != tokens[1]
    assert client.get("/connexion/").content.decode().count('name="next"') == 1


@pytest.mark.parametrize("tag", ["{% frame %}", "{% frame name %}", '{% frame "name" user=user %}'])
def test_a_frame_needs_a_quoted_name_and_takes_only_a_nonce(tag):
    with pytest.raises(TemplateSyntaxError):
        Template("{% load frames %}" + tag + "{% endframe %}")


def test_a_kept_frame_writes_each_request_its_own_nonce_escaped():
    kept = Template(
        '{% load frames %}{% frame "test_nonce" nonce=nonce %}<script nonce="{{ frame_nonce }}">'
        "</script>{% endframe %}"
    )

    first = kept.render(Context({"nonce": "abc"}))
    second = kept.render(Context({"nonce": 'x"y'}))

    assert first == '<script nonce="abc"></script>'
    assert second == '<script nonce="x&quot;y"></script>'
    assert kept_frames() == ["test_nonce"]
