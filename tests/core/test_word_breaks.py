"""A login wraps between its parts, never inside one (core_tags.word_breaks)."""

from django.template import Context, Template


def _render(value):
    return Template("{% load core_tags %}{{ value|word_breaks }}").render(Context({"value": value}))


def test_a_login_may_wrap_after_its_dots_and_hyphens_only():
    assert _render("jean-marc.dupont") == "jean-<wbr>marc.<wbr>dupont"


def test_the_text_is_escaped_before_the_breaks_are_put():
    assert _render("<b>x</b>.y") == "&lt;b&gt;x&lt;/b&gt;.<wbr>y"
