"""Typed text: normalised (NFC) and refused with a French message when it cannot be real text.

Refused, in any text field of any form (``apart.core.forms.CleanTextMixin``):
- control characters (Cc; tab, line feed and carriage return allowed in multi-line fields),
- format characters (Cf): zero-width spaces and joiners, BOM, bidi controls such as U+202E
  RIGHT-TO-LEFT OVERRIDE (they make a text display differently from what it holds),
- surrogates (Cs), private-use (Co) and unassigned (Cn) code points, noncharacters,
- U+FFFD, the replacement character: what is left of bytes that were not UTF-8,
- a combining mark (accent) with no letter before it (alone, at the start, after a space).

Emoji sequences need U+200D (ZERO WIDTH JOINER) and U+FE0F (variation selector): a joiner is
allowed between two symbols, so « 👩‍👩‍👧 » stays valid text (a field may still refuse it by its own
rules). Passwords are never normalised (they are checked exactly as typed) but are refused the
same characters by their own validator.
"""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError

INVISIBLE = "Ce champ contient des caractères invisibles ou de contrôle : retirez-les."
LONE_MARK = "Ce champ contient un accent seul, sans lettre avant lui : retirez-le."
UNREADABLE = "Ce champ contient des caractères illisibles : saisissez-le à nouveau."

_MULTILINE_ALLOWED = {"\t", "\n", "\r"}
_JOINERS = {"\u200d"}  # ZERO WIDTH JOINER, inside emoji sequences only
_BASES = ("L", "N", "S", "M")  # a combining mark may follow a letter, digit, symbol or mark


def _is_noncharacter(code: int) -> bool:
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE


def text_problem(value: str, *, multiline: bool = False) -> str | None:
    """The French message saying what is wrong with ``value``, or None when it is clean text."""
    previous = ""
    for index, char in enumerate(value):
        category = unicodedata.category(char)
        if char == "\ufffd" or category in {"Cs", "Co", "Cn"} or _is_noncharacter(ord(char)):
            return UNREADABLE
        if category == "Cc" and not (multiline and char in _MULTILINE_ALLOWED):
            return INVISIBLE
        if category == "Cf":
            following = value[index + 1 : index + 2]
            between_symbols = (
                char in _JOINERS
                and previous.startswith(("S", "M"))
                and following
                and unicodedata.category(following).startswith("S")
            )
            if not between_symbols:
                return INVISIBLE
        if category.startswith("M") and not previous.startswith(_BASES):
            return LONE_MARK
        previous = category
    return None


def validate_text(value: str) -> None:
    problem = text_problem(value)
    if problem:
        raise ValidationError(problem, code="unclean_text")


def validate_multiline_text(value: str) -> None:
    problem = text_problem(value, multiline=True)
    if problem:
        raise ValidationError(problem, code="unclean_text")


def normalize_text(value: str) -> str:
    """NFC: « é » typed as e + U+0301 and « é » typed as one character are stored alike."""
    return unicodedata.normalize("NFC", value)


NO_LETTER = "Ce champ doit contenir au moins une lettre ou un chiffre."


def validate_has_letter_or_digit(value: str) -> None:
    """Secret questions and answers: something left once case, accents, spaces and punctuation
    are set aside (an answer made of an accent or of dots alone would fold to nothing)."""
    if not any(char.isalnum() for char in value):
        raise ValidationError(NO_LETTER, code="no_letter")
