"""Every form class of the site, validated directly with hostile data: thousands of inputs in
seconds, where the HTTP fuzzer (test_hostile_input.py) can afford a few per form.

For each form (found by walking the subclasses of django.forms.Form in apart.*), hypothesis fills
every field with hostile text (the Unicode categories that broke forms included: combining marks
alone, format and bidi characters, private use, unassigned...), extra fields and missing ones;
``is_valid()`` must return without raising, every error must be a French message, and whatever a
form accepts must be clean text (apart.core.text)."""

from __future__ import annotations

import inspect
import os
from typing import Any

import pytest
from django import forms
from django.utils.datastructures import MultiValueDict
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from apart.core.text import text_problem
from tests.core.test_text import _all_form_classes
from tests.hardening.hostile import hostile_text, unicode_oddities
from tests.hardening.world import build_world

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:The default scheme will be changed:DeprecationWarning"),
]

EXAMPLES = int(os.environ.get("APART_FUZZ_FORM_CLASS_EXAMPLES", "220"))


def _arguments(form_class: type, world: Any) -> dict[str, Any]:
    """The keyword-only arguments a form needs, taken from the test world."""
    from apart.directory.eligibility import known_cities

    available = {
        "sirene": {},  # nothing locked: every field of step 2 is typed
        "known_cities": known_cities,
        "account": world.employer,
        "decisions": [],
        "establishments": [world.establishment],
        "postal_code": "75002",
    }
    wanted: dict[str, Any] = {}
    for klass in form_class.__mro__:
        init = klass.__dict__.get("__init__")
        if init is None:
            continue
        for name, parameter in inspect.signature(init).parameters.items():
            if parameter.kind == parameter.KEYWORD_ONLY and name in available:
                wanted.setdefault(name, available[name])
    return wanted


def _field_names(form_class: type, arguments: dict[str, Any]) -> list[str]:
    return list(form_class(**arguments).fields)


def _data(names: list[str]) -> st.SearchStrategy[MultiValueDict[str, str]]:
    """What a browser can post: every name with one or more values, or missing."""
    single = st.one_of(hostile_text(), unicode_oddities()).map(lambda v: [v])
    value = st.one_of(single, single, st.lists(hostile_text(), min_size=2, max_size=3))
    return st.dictionaries(
        st.sampled_from([*names, "captcha_1", "id", "is_staff"]), value, max_size=len(names) + 2
    ).map(MultiValueDict)


def _check(form: forms.Form) -> None:
    valid = form.is_valid()
    for messages in form.errors.values():
        for message in messages:
            assert message and "This field" not in message, message
    if not valid:
        return
    for name, value in form.cleaned_data.items():
        field = form.fields.get(name)
        hidden_or_secret = isinstance(field.widget, forms.PasswordInput | forms.HiddenInput)
        if isinstance(value, str) and not hidden_or_secret:
            multiline = isinstance(field.widget, forms.Textarea)
            assert text_problem(value, multiline=multiline) is None, (name, value)


def _fuzz(form_class: type, arguments: dict[str, Any], counter: list[int]) -> None:
    names = _field_names(form_class, arguments)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(_data(names))
    def attempt(data: MultiValueDict[str, str]) -> None:
        counter[0] += 1
        _check(form_class(data, **arguments))

    attempt()


def test_no_form_class_breaks_on_hostile_data(client, record_property, capsys):
    world = build_world()
    counter = [0]
    failures: list[str] = []
    classes = sorted(_all_form_classes(), key=lambda c: c.__qualname__)
    for form_class in classes:
        try:
            _fuzz(form_class, _arguments(form_class, world), counter)
        except Exception as failure:
            failures.append(f"{form_class.__qualname__}: {failure!s:.2000}")

    record_property("hostile_inputs", counter[0])
    with capsys.disabled():
        print(f"\nhostile data on form classes: {counter[0]} inputs on {len(classes)} forms")
    assert failures == []
