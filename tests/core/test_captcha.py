import pytest
from captcha.models import CaptchaStore
from django import forms

from apart.core.captcha import CAPTCHA_ERROR, OPERATION, CaptchaFormMixin

pytestmark = pytest.mark.django_db


class DemoForm(CaptchaFormMixin, forms.Form):
    name = forms.CharField()


def _rendered_store(mode: str = "image") -> CaptchaStore:
    DemoForm(captcha_mode=mode).as_div()
    return CaptchaStore.objects.latest("id")


def test_right_answer_passes_once():
    store = _rendered_store()
    data = {"name": "x", "captcha_0": store.hashkey, "captcha_1": store.response}

    assert DemoForm(data).is_valid()
    replay = DemoForm(data)
    assert not replay.is_valid()
    assert replay.errors["captcha"] == [CAPTCHA_ERROR]


def test_wrong_answer_burns_the_challenge():
    store = _rendered_store()
    form = DemoForm({"name": "x", "captcha_0": store.hashkey, "captcha_1": "nope"})

    assert not form.is_valid()
    assert form.errors["captcha"] == [CAPTCHA_ERROR]
    assert not CaptchaStore.objects.filter(hashkey=store.hashkey).exists()


def test_operation_mode_renders_the_question_as_text():
    form = DemoForm(captcha_mode=OPERATION)
    html = form.as_div()
    store = CaptchaStore.objects.latest("id")

    assert f"{store.challenge} =" in html
    assert "Combien font" in html
    assert "<img" not in html
    assert eval(store.challenge.replace(" ", "")) == int(store.response)  # noqa: S307


def test_the_configured_test_answer_is_accepted(settings):
    store = _rendered_store()
    form = DemoForm({"name": "x", "captcha_0": store.hashkey, "captcha_1": "PASSED-TEST"})

    assert form.is_valid(), form.errors


def test_mode_switch_keeps_typed_values_and_drops_the_answer():
    store = _rendered_store()
    form = DemoForm(
        {
            "name": "Dupont",
            "captcha_0": store.hashkey,
            "captcha_1": "abc",
            "captcha_switch": "operation",
        }
    )
    again = form.refilled()

    assert again.captcha_mode == OPERATION
    html = again.as_div()
    assert 'value="Dupont"' in html
    assert 'value="abc"' not in html
