"""The captcha's text alternative (for people who cannot read the image, RGAA 1.4/1.5): a short
question in French whose form varies, so that no single pattern answers it.

Nine kinds of question, several phrasings each, numbers written in digits or in words at random:
sums and differences, the largest or smallest of three numbers, a number to write in digits, the
letters of a word (how many, which one), the day after or before another, how many items of a
list are fruits. Answers are accepted in digits or in words (« 7 » or « sept »), whatever the case
and accents.

This is not what stops a determined script (a parser for nine kinds of question can be written):
the real controls are the per-address and global quotas and the surge mode (apart.core.quotas,
docs/security.md). It stops the trivial one: a regular expression over « 8 + 4 » solved every
text question of the previous version.
"""

from __future__ import annotations

import random
import secrets
import unicodedata
from collections.abc import Callable, Sequence
from typing import TypeVar

from apart.core.text import normalize_text

NUMBERS = (
    *("zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix"),
    *("onze", "douze", "treize", "quatorze", "quinze", "seize", "dix-sept", "dix-huit"),
    *("dix-neuf", "vingt"),
)
_WORDS = (
    "jardin",
    "maison",
    "voiture",
    "fenêtre",
    "cheval",
    "soleil",
    "montagne",
    "table",
    "livre",
)
_T = TypeVar("_T")
_DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
_ORDINALS = ("première", "deuxième", "troisième", "quatrième", "cinquième")
_FRUITS = ("pomme", "poire", "banane", "cerise", "prune", "fraise", "orange")
_OTHERS = ("chaise", "stylo", "nuage", "bateau", "lampe", "chapeau", "clé")


# Each question is drawn from a random.Random seeded with 64 secret bits: the captcha store keeps
# the seed (its challenge column holds 32 characters, too few for the question) and the page
# draws the same question again from it.


def _pick(rng: random.Random, options: Sequence[_T]) -> _T:
    return options[rng.randrange(len(options))]


def _number(rng: random.Random, n: int) -> str:
    """A number in digits or in words, at random."""
    return NUMBERS[n] if rng.randrange(2) else str(n)


def _small(rng: random.Random, low: int = 1, high: int = 10) -> int:
    return low + rng.randrange(high - low + 1)


def _sum(rng: random.Random) -> tuple[str, str]:
    a, b = _small(rng), _small(rng)
    phrasing = _pick(
        rng,
        [
            "Combien font {a} plus {b} ?",
            "Ajoutez {a} et {b} : quel est le résultat ?",
            "{A} plus {b}, cela fait combien ?",
            "Si j'ai {a} livres et que j'en reçois {b}, combien en ai-je ?",
        ],
    )
    first = _number(rng, a)
    text = phrasing.format(a=first, A=first[:1].upper() + first[1:], b=_number(rng, b))
    return text, str(a + b)


def _difference(rng: random.Random) -> tuple[str, str]:
    a, b = _small(rng, 5, 20), _small(rng, 1, 5)
    phrasing = _pick(
        rng,
        [
            "Combien font {a} moins {b} ?",
            "Retirez {b} de {a} : combien reste-t-il ?",
            "J'ai {a} pommes, j'en mange {b}. Combien m'en reste-t-il ?",
        ],
    )
    return phrasing.format(a=_number(rng, a), b=_number(rng, b)), str(a - b)


def _extreme(rng: random.Random) -> tuple[str, str]:
    values: list[int] = []
    while len(values) < 3:
        n = _small(rng, 0, 20)
        if n not in values:
            values.append(n)
    largest = rng.randrange(2) == 0
    shown = ", ".join(_number(rng, n) for n in values[:2]) + " et " + _number(rng, values[2])
    adjective = "grand" if largest else "petit"
    text = _pick(
        rng,
        [
            f"Quel est le plus {adjective} nombre parmi {shown} ?",
            f"Parmi {shown}, lequel est le plus {adjective} ?",
        ],
    )
    return text, str(max(values) if largest else min(values))


def _in_digits(rng: random.Random) -> tuple[str, str]:
    n = _small(rng, 0, 20)
    return _pick(
        rng,
        [
            f"Écrivez en chiffres le nombre « {NUMBERS[n]} ».",
            f"Comment s'écrit « {NUMBERS[n]} » en chiffres ?",
        ],
    ), str(n)


def _letters(rng: random.Random) -> tuple[str, str]:
    word = _pick(rng, _WORDS)
    return _pick(
        rng,
        [
            f"Combien de lettres compte le mot « {word} » ?",
            f"Le mot « {word} » a combien de lettres ?",
        ],
    ), str(len(word))


def _nth_letter(rng: random.Random) -> tuple[str, str]:
    word = _pick(rng, _WORDS)
    index = rng.randrange(min(len(word), len(_ORDINALS)))
    return f"Quelle est la {_ORDINALS[index]} lettre du mot « {word} » ?", word[index]


def _day(rng: random.Random) -> tuple[str, str]:
    index = rng.randrange(len(_DAYS))
    if rng.randrange(2):
        return f"Quel jour de la semaine vient juste après {_DAYS[index]} ?", _DAYS[(index + 1) % 7]
    return f"Quel jour de la semaine vient juste avant {_DAYS[index]} ?", _DAYS[(index - 1) % 7]


def _fruits(rng: random.Random) -> tuple[str, str]:
    count = _small(rng, 1, 3)
    items = [*(_pick(rng, _FRUITS) for _ in range(count)), *(_pick(rng, _OTHERS) for _ in range(2))]
    order = sorted(items, key=lambda _: rng.randrange(1000))
    return f"Combien de fruits y a-t-il dans cette liste : {', '.join(order)} ?", str(count)


KINDS: tuple[Callable[[random.Random], tuple[str, str]], ...] = (
    _sum,
    _difference,
    _extreme,
    _in_digits,
    _letters,
    _nth_letter,
    _day,
    _fruits,
)


SEED_PREFIX = "tc:"


def new_seed() -> str:
    """What the captcha store keeps as the challenge: 64 secret bits."""
    return SEED_PREFIX + secrets.token_hex(8)


def question_from_seed(seed: str) -> tuple[str, str]:
    """The (question, expected answer) drawn from ``seed``; the answer in its canonical form
    (see :func:`canonical_answer`)."""
    rng = random.Random(int(seed.removeprefix(SEED_PREFIX), 16))  # noqa: S311 - secret seed
    question, answer = _pick(rng, KINDS)(rng)
    return question, canonical_answer(answer)


def text_challenge() -> tuple[str, str]:
    """A new (question, expected answer) pair."""
    return question_from_seed(new_seed())


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.casefold().split())


def canonical_answer(typed: str) -> str:
    """What a typed answer means: case, accents and spaces ignored, surrounding punctuation
    dropped, a number in words read as digits (« Sept » -> « 7 », « dix sept » -> « 17 »)."""
    text = _fold(normalize_text(typed)).strip(" .!?;:«»\"'")
    words = [_fold(word) for word in NUMBERS]
    spaced = text.replace("-", " ")
    for number, word in enumerate(words):
        if spaced == word.replace("-", " "):
            return str(number)
    return text
