import pytest
from django.urls import reverse

from apart.core.accessibility import current_audit

pytestmark = pytest.mark.django_db


def test_home_presents_the_service_in_french(client):
    response = client.get(reverse("core:home"))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr"' in html
    assert "Activité Partielle" in html
    assert "CRÉER MON ESPACE" in html
    assert "MON ESPACE PERSONNEL" in html
    assert f"Accessibilité : {current_audit().level}" in html


def test_dsfr_assets_are_served_locally(client):
    html = client.get(reverse("core:home")).content.decode()

    assert "/static/dsfr/dist/dsfr/dsfr.min.css" in html or "/static/dsfr/" in html
    assert "https://" not in html.split("<body")[0], "nothing loaded from outside in <head>"
    css = client.get("/static/dsfr/dist/dsfr/dsfr.min.css")
    assert css.status_code == 200


def test_english_is_available(client):
    client.get(reverse("core:home"))
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302

    html = client.get(reverse("core:home")).content.decode()
    assert '<html lang="en"' in html
    assert "Accessibility: fully compliant" in html  # docs/accessibility.md: 100 %


@pytest.mark.parametrize("name", ["core:terms", "core:legal", "core:accessibility"])
def test_footer_pages_exist(client, name):
    assert client.get(reverse(name)).status_code == 200


def test_security_headers_on_every_page(client):
    response = client.get(reverse("core:home"))

    csp = response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "'unsafe-inline'" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]


def test_post_without_csrf_token_is_refused(client):
    response = client.post("/i18n/setlang/", {"language": "en"})
    assert response.status_code == 403
