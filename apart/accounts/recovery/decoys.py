"""Secret questions shown at step 2: the same distribution whether an account exists or not.

The secret question is free text typed at registration, so a fixed list of decoys cannot look
like the real questions (an attacker soon learns that « Quel est le nom de mon chien ? » is never
a decoy). Instead the decoys are drawn from the questions in use:

- questions are grouped by a key that ignores case, accents, spaces and punctuation
  (« quel est le nom de mon chien » for every way of typing it);
- the **pool** holds the groups used by at least ``APART_RECOVERY_DECOY_FLOOR`` accounts (a
  rarer question would identify one person if it were shown to strangers), each weighted by
  how many accounts use it, and shown in one display form: its most frequent spelling once
  case and final punctuation are set (« Quel est le nom de mon chien ? »);
- a real account whose question is in the pool is shown that display form (not its own
  spelling), so a real and a decoy question cannot be told apart by their typing;
- an unknown value gets the question picked from the pool by **weighted rendezvous hashing**
  keyed with an HMAC of the folded value (SECRET_KEY): stable for that value, the same
  distribution as the real questions, and stable as the pool grows (a new question moves only
  the draws it wins);
- while no question reaches the floor (a young deployment), the pool is the built-in list below.

The pool is computed by one grouped query and cached ``APART_RECOVERY_DECOY_POOL_SECONDS``;
both paths (real and decoy) read it, so they cost the same.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count

from apart.accounts.models import Account
from apart.accounts.recovery.guards import keyed_digest
from apart.core.normalize import fold

# Used only while no question in use reaches the floor.
DECOY_QUESTIONS = (
    "Nom de mon premier animal de compagnie ?",
    "Ville de naissance de ma mère ?",
    "Nom de mon école primaire ?",
    "Marque de ma première voiture ?",
    "Prénom de mon meilleur ami d'enfance ?",
    "Nom de jeune fille de ma grand-mère ?",
    "Mon plat préféré ?",
    "Ville de mon premier emploi ?",
    "Nom de mon instituteur de CP ?",
    "Titre de mon livre préféré ?",
    "Couleur de ma première voiture ?",
    "Prénom de mon parrain ?",
    "Lieu de mes premières vacances ?",
    "Nom de mon premier employeur ?",
    "Mon sport préféré ?",
    "cylindrée",
)
_POOL_MAX = 300
_CACHE_KEY = "apart:recovery:decoy-pool:v1"
_NOT_WORD = re.compile(r"[^\w]+")
_SPACES = re.compile(r"\s+")


def question_key(text: str) -> str:
    """The grouping key: case, accents, spaces and punctuation ignored."""
    return _NOT_WORD.sub(" ", fold(text)).strip()


def _tidy(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _display(text: str) -> str:
    """One way of writing a question, whatever its case and final punctuation: « Quel est le nom
    de mon chien ? » for « QUEL EST LE NOM DE MON CHIEN » and « quel est le nom de mon chien? »."""
    body = _tidy(text).rstrip(" ?.!:;").lower()
    return body[:1].upper() + body[1:] + " ?" if body else ""


@dataclass(frozen=True)
class PoolEntry:
    key: str
    display: str
    weight: int


def _compute_pool() -> tuple[PoolEntry, ...]:
    rows = (
        Account.objects.exclude(secret_question="")
        .values_list("secret_question")
        .annotate(n=Count("pk"))
    )
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for question, n in rows:
        key = question_key(question)
        if key:
            spellings[key][_display(question)] += n
    floor = max(1, settings.APART_RECOVERY_DECOY_FLOOR)
    groups = [
        PoolEntry(
            key=key,
            # The most frequent spelling; ties broken by the text, so every node agrees.
            display=min(counter.items(), key=lambda item: (-item[1], item[0]))[0],
            weight=sum(counter.values()),
        )
        for key, counter in spellings.items()
        if sum(counter.values()) >= floor
    ]
    groups.sort(key=lambda entry: (-entry.weight, entry.key))
    if not groups:
        return tuple(PoolEntry(question_key(q), q, 1) for q in DECOY_QUESTIONS)
    return tuple(groups[:_POOL_MAX])


def question_pool() -> tuple[PoolEntry, ...]:
    seconds = settings.APART_RECOVERY_DECOY_POOL_SECONDS
    if seconds <= 0:
        return _compute_pool()
    pool = cache.get(_CACHE_KEY)
    if pool is None:
        pool = _compute_pool()
        cache.set(_CACHE_KEY, pool, seconds)
    return tuple(pool)


def shown_question(question: str) -> str:
    """How a real account's question is shown: the pool's display form of its group, or (a rare
    question, never used as a decoy) as typed, spaces tidied."""
    key = question_key(question)
    for entry in question_pool():
        if entry.key == key:
            return entry.display
    return _tidy(question)


def decoy_question(typed_key: str) -> str:
    """The decoy of a typed value: weighted rendezvous hashing over the pool (highest
    ``-weight / ln(u)`` where ``u`` in (0, 1) is the keyed hash of the value and the question)."""
    best, best_score = "", -math.inf
    for entry in question_pool():
        digest = keyed_digest(f"decoy-question:{typed_key}\x00{entry.key}")
        unit = (int(digest[:15], 16) + 1) / (16**15 + 2)
        score = -entry.weight / math.log(unit)
        if score > best_score:
            best, best_score = entry.display, score
    return best
