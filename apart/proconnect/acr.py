"""Assurance levels (``acr``) of ProConnect, in increasing order, and the check against
APART_PROCONNECT_ACR.

ProConnect announces eIDAS levels (``eidas1`` < ``eidas2`` < ``eidas3``) and its own levels
(self-asserted < consistency-checked, each "-2fa" variant above its plain one). A level the
list does not know never satisfies a requirement.
"""

_PROCONNECT = "https://proconnect.gouv.fr/assurance/"
ORDER: tuple[tuple[str, int], ...] = (
    ("eidas1", 1),
    (_PROCONNECT + "self-asserted", 1),
    (_PROCONNECT + "consistency-checked", 2),
    (_PROCONNECT + "self-asserted-2fa", 3),
    (_PROCONNECT + "consistency-checked-2fa", 3),
    ("eidas2", 3),
    ("eidas3", 4),
)
_RANK = dict(ORDER)
# From this rank on, the provider checked a second factor (levels "-2fa", eIDAS substantial
# and high): it satisfies APART's own second factor when that level is required.
SECOND_FACTOR_RANK = 3


def rank(value: str) -> int:
    return _RANK.get(value.strip(), 0)


def satisfies(value: str, required: str) -> bool:
    """True when ``value`` is at least ``required`` (always true when nothing is required)."""
    if not required:
        return True
    return rank(value) > 0 and rank(value) >= rank(required)
