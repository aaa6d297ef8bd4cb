import pytest

from apart.habilitations.models import Application
from tests.habilitations.factories import make_account
from tests.mfa.factories import enrol_totp

pytestmark = pytest.mark.django_db


def test_an_administrator_edits_an_applications_validity_in_the_admin(client):
    admin = make_account(login="admin.asp", role="administrateur", is_staff=True, is_superuser=True)
    enrol_totp(admin)
    client.force_login(admin)
    sylae = Application.objects.get(code="SYLAE")
    url = f"/gestion/admin/habilitations/application/{sylae.pk}/change/"
    assert client.get(url).status_code == 200

    response = client.post(url, {"name": "Sylaé", "default_validity_days": "730"})

    assert response.status_code == 302
    sylae.refresh_from_db()
    assert sylae.default_validity_days == 730
    assert sylae.code == "SYLAE"
