"""Text folding shared by logins, emails and secret answers.

The guide stores emails "without accents"; secret answers are compared "after folding case,
accents and spaces"; generated logins are lower-case ASCII.
"""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# Letters that Unicode does not decompose into a base letter and an accent.
_LIGATURES = str.maketrans(
    {
        "œ": "oe",
        "Œ": "OE",
        "æ": "ae",
        "Æ": "AE",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ł": "l",
        "Ł": "L",
        "ð": "d",
        "Ð": "D",
        "þ": "th",
        "Þ": "TH",
        "ß": "ss",
    }
)


def strip_accents(text: str) -> str:
    """Remove accents: ligatures spelt out, combining marks dropped after NFKD decomposition
    ("Ménuça" -> "Menuca", "ﬁ" -> "fi", "Bœuf" -> "Boeuf")."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def fold(text: str) -> str:
    """Accents removed, lower case, runs of white space collapsed to one space, trimmed."""
    return _SPACES.sub(" ", strip_accents(text).casefold()).strip()


def normalize_email(raw: str) -> str:
    """Trimmed, accents removed, lower case (the guide removes accents from emails)."""
    return strip_accents(raw.strip()).lower()
