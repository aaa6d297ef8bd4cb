"""The type of a user-facing text: a ``str``, or a lazy translation (``gettext_lazy``) that becomes
a ``str`` in the reader's language when shown (form labels, module-level messages)."""

from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

    Text: TypeAlias = str | StrPromise
else:
    Text = str
