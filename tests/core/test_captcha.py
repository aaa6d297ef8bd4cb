import html as html_lib
import re

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

    from apart.core.text_challenge import question_from_seed

    assert html_lib.unescape(html).count(question_from_seed(store.challenge)[0]) == 1
    assert "Répondez en chiffres ou en lettres." in html
    assert "<img" not in html
    assert len(store.challenge) <= 32 and len(store.response) <= 32  # the store's columns


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


def _text_store() -> CaptchaStore:
    return _rendered_store(OPERATION)


def test_the_text_question_accepts_its_answer_in_words():
    store = _text_store()
    store.response = "10"  # « Combien font sept plus 3 ? »
    store.save()

    form = DemoForm(
        {"name": "x", "captcha_0": store.hashkey, "captcha_1": " Dix ", "captcha_mode": OPERATION}
    )

    assert form.is_valid(), form.errors


def test_the_text_question_accepts_its_own_answer():
    store = _text_store()

    form = DemoForm(
        {
            "name": "x",
            "captcha_0": store.hashkey,
            "captcha_1": store.response.upper(),
            "captcha_mode": OPERATION,
        }
    )

    assert form.is_valid(), form.errors


def test_the_text_question_is_answered_once():
    store = _text_store()
    data = {"name": "x", "captcha_0": store.hashkey, "captcha_1": "faux", "captcha_mode": OPERATION}
    assert not DemoForm(data).is_valid()

    again = DemoForm({**data, "captcha_1": store.response})

    assert not again.is_valid()
    assert again.errors["captcha"] == [CAPTCHA_ERROR]


OLD_SOLVER = re.compile(r"(\d+) ([+-]) (\d+)")


def _old_solver(question: str) -> str | None:
    """The one regular expression that solved every text question of the previous version."""
    match = OLD_SOLVER.search(question)
    if match is None:
        return None
    left, right = int(match[1]), int(match[3])
    return str(left + right if match[2] == "+" else left - right)


def test_the_text_question_varies_beyond_a_regular_expression(capsys):
    from apart.core.text_challenge import text_challenge

    challenges = [text_challenge() for _ in range(1000)]
    solved = sum(_old_solver(question) == answer for question, answer in challenges)
    openings = {" ".join(question.split()[:3]) for question, _ in challenges}
    with_words = sum(any(w in q.split() for w in ("deux", "sept", "neuf")) for q, _ in challenges)

    with capsys.disabled():
        print(
            f"\ntext captcha: {len(set(challenges))} distinct questions in 1000, "
            f"{len(openings)} openings, old regex solver {solved / 10:.1f} %"
        )
    assert solved == 0
    assert len(openings) >= 15
    assert with_words > 50
