import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_captcha_buttons_show_their_text_and_switch_to_the_text_question(page, live_server):
    page.goto(live_server.url + "/creer-mon-espace/")
    page.get_by_label("N° de Siret").fill("732 829 320 00074")

    refresh = page.get_by_role("button", name="Afficher un autre code")
    alternative = page.get_by_role("button", name="Je ne peux pas lire l'image : question en texte")
    # Design-system icon buttons collapse to 2rem unless the group says icons go left.
    assert refresh.bounding_box()["width"] > 100
    assert alternative.bounding_box()["width"] > 100

    alternative.click()

    assert page.get_by_text("Répondez en chiffres ou en lettres.").count() == 1
    assert page.locator("img.apart-captcha__image").count() == 0
    assert page.get_by_label("N° de Siret").input_value() == "732 829 320 00074"
