"""Values typed before a session ended, put back into the page's empty forms.

The accounts app keeps what a person typed when a submission arrives too late (the session
expired, or the recent-authentication window closed) and, once the same person is back on the
page, hands those values to ``restoring``: every empty (unbound) form built while the page is
rendered starts from them (``CleanTextMixin`` calls ``fill_initial``). The form is shown, not
submitted: the person reviews it and sends it again. No view needs to know.

A value never goes into a password field (nor into a file field): those are never kept anyway
(apart.accounts.drafts), this is the second line.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING

from django import forms

if TYPE_CHECKING:
    from django.forms import BaseForm

_RESTORED: ContextVar[Mapping[str, list[str]] | None] = ContextVar("apart_restored", default=None)


def begin_restoring(values: Mapping[str, list[str]]) -> None:
    """From now until ``end_restoring``, empty forms start from ``values`` (field name with its
    prefix, as posted -> every value posted under that name)."""
    _RESTORED.set(values)


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


def _restorable(field: forms.Field) -> bool:
    return not isinstance(field.widget, forms.PasswordInput | forms.FileInput) and not isinstance(
        field, forms.FileField
    )


def _multiple(field: forms.Field) -> bool:
    return isinstance(field, forms.MultipleChoiceField) or bool(
        getattr(field.widget, "allow_multiple_selected", False)
    )


def fill_initial(form: BaseForm) -> None:
    """Start an empty form from the values being restored, if any (see ``restoring``)."""
    values = _RESTORED.get()
    if not values or form.is_bound:
        return
    restored: dict[str, object] = {}
    for name, field in form.fields.items():
        posted = values.get(form.add_prefix(name))
        if posted is None or not _restorable(field):
            continue
        restored[name] = list(posted) if _multiple(field) else posted[-1]
    if restored:
        # A new dict: the view's own ``initial`` may be shared (a module constant).
        form.initial = {**form.initial, **restored}
