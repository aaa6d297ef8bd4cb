"""Values typed before a session ended, put back into the page's empty forms.

The accounts app keeps what a person typed when a submission arrives too late (the session
expired, or the recent-authentication window closed) and, once the same person is back on the
page, hands those values to ``begin_restoring``: every empty (unbound) form built while the page
is rendered starts from them (``CleanTextMixin`` calls ``fill_initial``). The form is shown, not
submitted: the person reviews it and sends it again. No view needs to know.

The field rendering (apart.core.rendering) reports each field it shows (``note_rendered``), so
that the accounts app keeps the values for later when the page did not show them (a form behind
a step still to take, such as « Mot de passe actuel »).

A value never goes into a password field (nor into a file field): those are never kept anyway
(apart.accounts.drafts), this is the second line.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import TYPE_CHECKING

from django import forms

if TYPE_CHECKING:
    from django.forms import BaseForm


@dataclass
class _Restoring:
    values: Mapping[str, list[str]]
    shown: bool = False  # a restored value was rendered in a form field
    forms: list[int] = dataclass_field(default_factory=list)  # ids of the forms that took values


_RESTORED: ContextVar[_Restoring | None] = ContextVar("apart_restored", default=None)


def begin_restoring(values: Mapping[str, list[str]]) -> None:
    """From now until ``end_restoring``, empty forms start from ``values`` (field name with its
    prefix, as posted -> every value posted under that name)."""
    _RESTORED.set(_Restoring(values))


def end_restoring() -> None:
    _RESTORED.set(None)


@contextmanager
def restoring(values: Mapping[str, list[str]]) -> Iterator[None]:
    """``begin_restoring`` for the block only."""
    begin_restoring(values)
    try:
        yield
    finally:
        end_restoring()


def restored_into_forms() -> bool:
    """Whether a form built since ``begin_restoring`` took restored values."""
    state = _RESTORED.get()
    return state is not None and bool(state.forms)


def restored_values_shown() -> bool:
    """Whether a restored value was rendered in a field since ``begin_restoring``."""
    state = _RESTORED.get()
    return state is not None and state.shown


def note_rendered(form: BaseForm, name: str) -> None:
    """The field rendering shows ``form[name]``: if it holds a restored value, it was seen."""
    state = _RESTORED.get()
    if (
        state is not None
        and id(form) in state.forms
        and not form.is_bound
        and form.add_prefix(name) in state.values
    ):
        state.shown = True


def _restorable(form_field: forms.Field) -> bool:
    return not isinstance(
        form_field.widget, forms.PasswordInput | forms.FileInput
    ) and not isinstance(form_field, forms.FileField)


def _multiple(form_field: forms.Field) -> bool:
    return isinstance(form_field, forms.MultipleChoiceField) or bool(
        getattr(form_field.widget, "allow_multiple_selected", False)
    )


def fill_initial(form: BaseForm) -> None:
    """Start an empty form from the values being restored, if any (see ``begin_restoring``)."""
    state = _RESTORED.get()
    if state is None or form.is_bound:
        return
    restored: dict[str, object] = {}
    for name, form_field in form.fields.items():
        posted = state.values.get(form.add_prefix(name))
        if posted is None or not _restorable(form_field):
            continue
        restored[name] = list(posted) if _multiple(form_field) else posted[-1]
    if restored:
        # A new dict: the view's own ``initial`` may be shared (a module constant).
        form.initial = {**form.initial, **restored}
        state.forms.append(id(form))
