"""Text folding shared by logins, emails and secret answers.

The guide stores emails "without accents"; secret answers are compared "after folding case,
accents and spaces"; generated logins are lower-case ASCII.
"""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def strip_accents(text: str) -> str:
    """Remove combining marks after NFKD decomposition ("Ménuça" -> "Menuca", "ﬁ" -> "fi")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def fold(text: str) -> str:
    """Accents removed, lower case, runs of white space collapsed to one space, trimmed."""
    return _SPACES.sub(" ", strip_accents(text).casefold()).strip()


def normalize_email(raw: str) -> str:
    """Trimmed, accents removed, lower case (the guide removes accents from emails)."""
    return strip_accents(raw.strip()).lower()
